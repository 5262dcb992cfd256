import { buildSnapshot } from "../views/snapshot";
import { applyFileScan } from "../ledger/apply";
import { headHashOf, type ScanJob } from "../scan/read-file";
import { defaultParallelOptions, scanInOrder, type ParallelOptions, type ScanOutcome } from "../scan/pool";
import { discoverFiles, type DiscoveredFile, type RootConfig } from "../scan/discover";
import type { Snapshot, WeekStart } from "../views/schema";
import type { ScanProgress } from "../scan/progress";
import { errnoCode } from "../io";
import { loadState, saveState, UsageState, type FileEntry } from "../ledger/state";

/**
 * The incremental refresh: load the saved state, read only what was appended since, count it under
 * the de-duplication rules, save, and build a snapshot. Nothing here throws to the caller.
 */

export interface EngineConfig {
  roots: RootConfig[];
  /** Case-insensitive regular expression applied to `message.model` in shared roots. */
  modelFilter: string;
  timeZone: string;
  weekStart: WeekStart;
  /** Where the state lives; null scans cold and keeps nothing. */
  statePath: string | null;
  now?: () => Date;
  /** How big reads use worker threads; by default as the build allows (see scan/pool.ts). */
  parallel?: ParallelOptions;
  /** Called after each file read is counted, so a long cold scan can show how far it is. */
  onProgress?: (progress: ScanProgress) => void;
}

export type EngineResult = { ok: true; snapshot: Snapshot } | { ok: false; error: string };

const inFlight = new Map<string, Promise<EngineResult>>();

/**
 * Refreshes usage. Calls that overlap on the same state file in one process share a single run;
 * across processes the atomic state write keeps every saved state whole and consistent.
 */
export function refreshUsage(config: EngineConfig): Promise<EngineResult> {
  const key = config.statePath ?? "";
  const running = key ? inFlight.get(key) : undefined;
  if (running) return running;
  const run = runRefresh(config).finally(() => {
    if (key) inFlight.delete(key);
  });
  if (key) inFlight.set(key, run);
  return run;
}

async function runRefresh(config: EngineConfig): Promise<EngineResult> {
  let filter: RegExp;
  try {
    filter = new RegExp(config.modelFilter || "mimo", "i");
  } catch {
    return { ok: false, error: `The model filter "${config.modelFilter}" is not a valid regular expression.` };
  }
  try {
    return { ok: true, snapshot: await scanAndCount(config, filter) };
  } catch (error) {
    return { ok: false, error: `The local scan failed: ${errnoCode(error)}` };
  }
}

async function scanAndCount(config: EngineConfig, filter: RegExp): Promise<Snapshot> {
  const started = performance.now();
  const now = (config.now ?? (() => new Date()))();
  const warnings: string[] = [];
  const configKey = JSON.stringify({ roots: config.roots, filter: filter.source });
  const state = await openState(config.statePath, configKey, warnings);

  const discovery = await discoverFiles(config.roots);
  const run = new RunCounters();
  const present = new Set<string>();
  const reads: PlannedRead[] = [];
  for (const file of discovery.files) {
    present.add(file.path);
    const read = planRead(state, file, run);
    if (read) reads.push(read);
  }
  await scanInOrder(reads, filter, config.parallel ?? defaultParallelOptions(), (i, outcome) => {
    countRead(state, reads[i], outcome, run);
    config.onProgress?.({ filesRead: i + 1, filesTotal: reads.length });
  });
  for (const entry of state.files) {
    if (!present.has(entry.path) && !entry.gone) {
      entry.gone = true;
      run.changed = true;
    }
  }

  if (config.statePath && run.changed) {
    try {
      await saveState(config.statePath, state);
    } catch (error) {
      warnings.push(`Could not save the scan state (${errnoCode(error)}); the next refresh reads everything again.`);
    }
  }

  return {
    ...buildSnapshot(state, {
      now,
      timeZone: config.timeZone,
      weekStart: config.weekStart,
      roots: discovery.roots,
      stats: {
        filesSeen: discovery.files.length,
        filesRead: run.filesRead,
        bytesRead: run.bytesRead,
        durationMs: Math.round((performance.now() - started) * 10) / 10,
        skipped: skippedTotals(state.files, present, run.unreadable),
      },
    }),
    warnings,
  };
}

async function openState(statePath: string | null, configKey: string, warnings: string[]): Promise<UsageState> {
  if (!statePath) return new UsageState(configKey);
  const loaded = await loadState(statePath, configKey);
  if (loaded.ok) return loaded.state;
  if (loaded.reason === "corrupt" || loaded.reason === "version") {
    warnings.push(`Saved scan state could not be used (${loaded.message}); everything was scanned again.`);
  }
  return new UsageState(configKey);
}

class RunCounters {
  filesRead = 0;
  bytesRead = 0;
  unreadable = 0;
  changed = false;
}

interface PlannedRead {
  index: number;
  file: DiscoveredFile;
  job: ScanJob;
  bytes: number;
}

/** Brings a file's entry up to date with discovery and says what of it, if anything, to read. */
function planRead(state: UsageState, file: DiscoveredFile, run: RunCounters): PlannedRead | null {
  let index = state.fileByPath(file.path);
  if (index < 0) {
    index = state.addFile(newEntry(file));
    run.changed = true;
  }
  const entry = state.files[index];
  if (entry.gone) {
    entry.gone = false;
    run.changed = true;
  }
  if (entry.dev === file.dev && entry.ino === file.ino && entry.size === file.size && entry.mtimeMs === file.mtimeMs)
    return null;
  let from: number;
  try {
    from = canContinue(entry, file) ? entry.offset : 0;
  } catch {
    run.unreadable++;
    return null;
  }
  if (from === 0) entry.skipped = {};
  const job: ScanJob = { path: file.path, from, shared: file.kind === "shared", head: from > 0 ? entry.head : "" };
  return { index, file, job, bytes: Math.max(0, file.size - from) };
}

/**
 * Counts a file's read into the state and moves its entry on to where the read ended. A file that
 * could not be read counts nothing this time and keeps its entry, so the next refresh tries again.
 */
function countRead(state: UsageState, read: PlannedRead, outcome: ScanOutcome, run: RunCounters): void {
  if (!outcome.ok) {
    run.unreadable++;
    return;
  }
  const { file } = read;
  const { scan } = outcome;
  const entry = state.files[read.index];
  for (const [reason, n] of Object.entries(scan.skipped)) entry.skipped[reason] = (entry.skipped[reason] ?? 0) + n;
  applyFileScan(state, read.index, scan);
  Object.assign(entry, { dev: file.dev, ino: file.ino, size: file.size, mtimeMs: file.mtimeMs, offset: scan.end });
  entry.head = scan.head;
  run.filesRead++;
  run.bytesRead += scan.bytesRead;
  run.changed = true;
}

function newEntry(file: DiscoveredFile): FileEntry {
  return {
    path: file.path,
    dev: file.dev,
    ino: file.ino,
    size: 0,
    mtimeMs: 0,
    offset: 0,
    head: "",
    tokens: 0,
    messages: 0,
    skipped: {},
    gone: false,
  };
}

/**
 * A file can be read on from its offset only if it is the same file, grown: same identity, not
 * shorter than what was read, and the same first bytes. Otherwise it was replaced or rewritten and
 * is read again from the start; de-duplication keeps the lines seen before from counting twice.
 */
function canContinue(entry: FileEntry, file: DiscoveredFile): boolean {
  if (entry.offset === 0) return false;
  if (entry.dev !== file.dev || entry.ino !== file.ino || file.size < entry.offset) return false;
  return headHashOf(file.path, entry.offset) === entry.head;
}

/** Skip counts of the files still present (a deleted file's broken lines are no longer there). */
function skippedTotals(files: FileEntry[], present: Set<string>, unreadable: number): Record<string, number> {
  const totals: Record<string, number> = {};
  for (const file of files) {
    if (!present.has(file.path)) continue;
    for (const [reason, n] of Object.entries(file.skipped)) totals[reason] = (totals[reason] ?? 0) + n;
  }
  if (unreadable) totals.unreadable = unreadable;
  return totals;
}
