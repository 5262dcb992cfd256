import { buildSnapshot, futureDated } from "../views/snapshot";
import { isValidTimeZone } from "../views/calendar";
import { applyFileScan } from "../ledger/apply";
import { headHashOf, type ScanJob } from "../scan/read-file";
import { defaultParallelOptions, scanInOrder, type ParallelOptions, type ScanOutcome } from "../scan/pool";
import { discoverFiles, type DiscoveredFile, type FolderListings, type RootConfig } from "../scan/discover";
import type { Snapshot, WeekStart } from "../views/schema";
import { describeErrno, errnoCode, FileRefusal } from "../io";
import {
  loadState,
  newFileEntry,
  saveState,
  StateDamaged,
  UsageState,
  type FileEntry,
  type LoadResult,
} from "../ledger/state";
import { rescope, Scope } from "../ledger/kept";
import { listingsPathFor, loadListings, saveListings } from "../scan/listings";
import { compileModelFilter } from "../scan/model-filter";
import { applyClientReads, CLIENT_ENTRY_PATHS, readClients, type ClientsConfig } from "./local-clients";
import type { ScanProgress } from "../scan/progress";

/**
 * The incremental refresh: load the saved state, read only what was appended since, count it under
 * the de-duplication rules, save, and build a snapshot. Nothing here throws to the caller.
 */

export interface EngineConfig {
  roots: RootConfig[];
  /** Case-insensitive regular expression applied to `message.model` in shared roots (see settings.ts). */
  modelFilter: string;
  timeZone: string;
  weekStart: WeekStart;
  /** Where the state lives; null scans cold and keeps nothing. */
  statePath: string | null;
  now?: () => Date;
  /** Whether the snapshot lists sessions (default true); the menu bar needs none. */
  sessions?: boolean;
  /** How big reads use worker threads; by default as the build allows (see scan/pool.ts). */
  parallel?: ParallelOptions;
  /** The other clients (OpenCode, Kilo, OpenClaw, Codex) to read as well; none when absent. */
  clients?: ClientsConfig;
  /** Called after each file read is counted, so a long cold scan can show how far it is. */
  onProgress?: (progress: ScanProgress) => void;
}

/** `cause` names the setting at fault when one is. */
export type EngineResult =
  { ok: true; snapshot: Snapshot } | { ok: false; error: string; cause?: "timeZone" | "modelFilter" };

class InvalidTimeZone extends Error {}

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
  const filter = compileModelFilter(config.modelFilter);
  if (!filter.ok) return { ok: false, error: filter.message, cause: "modelFilter" };
  try {
    return { ok: true, snapshot: await scanAndCount(config, filter.filter) };
  } catch (error) {
    if (error instanceof InvalidTimeZone) return { ok: false, error: error.message, cause: "timeZone" };
    return { ok: false, error: `The local scan failed: ${errnoCode(error)}` };
  }
}

async function scanAndCount(config: EngineConfig, filter: RegExp): Promise<Snapshot> {
  const started = performance.now();
  // Folder listings are worth keeping only where a state is kept.
  const listingsPath = config.statePath ? listingsPathFor(config.statePath) : null;
  const [loaded, listings] = await Promise.all([
    config.statePath ? loadState(config.statePath) : null,
    listingsPath ? loadListings(listingsPath) : null,
  ]);
  try {
    return await countFrom(config, filter, { started, loaded, listings, listingsPath });
  } finally {
    // A loaded state may still hold its file open for keys this refresh never needed.
    if (loaded?.ok) loaded.state.release();
  }
}

async function countFrom(
  config: EngineConfig,
  filter: RegExp,
  start: { started: number; loaded: LoadResult | null; listings: FolderListings | null; listingsPath: string | null },
): Promise<Snapshot> {
  const { started, loaded, listings, listingsPath } = start;
  const now = (config.now ?? (() => new Date()))();
  const warnings: string[] = [];
  const scope = new Scope(config.roots, filter, config.clients?.enabled);
  const discovery = await discoverFiles(config.roots, listings);
  const present = new Set(discovery.files.map((file) => file.path));
  if (config.clients) for (const entryPath of CLIENT_ENTRY_PATHS) present.add(entryPath);
  const opened = openState(loaded, scope, present, warnings);
  let state = opened.state;
  if (listingsPath && opened.canSave && discovery.listingsChanged) await saveListings(listingsPath, discovery.listings);
  const run = new RunCounters();
  run.changed = opened.rebuilt;
  // Head hashes tell an appended file from a rewritten one next time: only a saved state needs them.
  const headless = !config.statePath || !opened.canSave;
  let reads = planReads(state, discovery.files, run, headless);
  let clients = config.clients ? await readClients(state, config.clients, now) : null;
  if (reads.length > 0 || clients?.hasEvents) {
    try {
      state.loadKeys();
    } catch (error) {
      if (!(error instanceof StateDamaged)) throw error;
      warnings.push(`Saved scan state could not be used (${error.message}); everything was scanned again.`);
      state = new UsageState(scope.configKey);
      run.reset();
      reads = planReads(state, discovery.files, run, headless);
      if (config.clients) clients = await readClients(state, config.clients, now);
    }
  }
  if (reads.length > 0) state.reserveKeys(expectedResponses(reads));
  await scanInOrder(reads, filter, config.parallel ?? defaultParallelOptions(), (i, outcome) => {
    countRead(state, reads[i], outcome, run);
    config.onProgress?.({ filesRead: i + 1, filesTotal: reads.length });
  });
  if (clients) {
    const applied = applyClientReads(state, clients);
    warnings.push(...applied.warnings);
    if (applied.changed) run.changed = true;
  }
  for (const entry of state.files) {
    if (!present.has(entry.path) && !entry.gone) {
      entry.gone = true;
      run.changed = true;
    }
  }

  if (config.statePath && opened.canSave && run.changed) {
    try {
      await saveState(config.statePath, state);
    } catch (error) {
      warnings.push(
        error instanceof FileRefusal
          ? `The scan state was not saved: ${error.message}. Every refresh reads all transcripts until that path is free or holds a state of ours.`
          : loaded?.ok
            ? `Could not save the scan state (${describeErrno(error)}); the next refresh goes on from the last state that was saved, so it reads again what this one read.`
            : `Could not save the scan state at ${config.statePath} (${describeErrno(error)}); no state was saved before, so every refresh reads all transcripts until one can be saved there.`,
      );
    }
  }

  // Counted on their own dates all the same; the count only says a clock or a file is off.
  // Checked only where the snapshot first needs it: the first use of the time-zone data costs a
  // fresh process some 20 ms, and by now the command line's scan worker has loaded it (see
  // scan/worker.ts). Counting does not depend on the zone, so what was read is kept all the same.
  if (!isValidTimeZone(config.timeZone)) throw new InvalidTimeZone(`"${config.timeZone}" is not an IANA time zone`);
  const skipped = skippedTotals(state.files, present, run.unreadable, discovery.unreadableFolders);
  const future = futureDated(state, now);
  if (future.messages > 0) skipped.futureDated = future.messages;
  return {
    ...buildSnapshot(state, {
      now,
      timeZone: config.timeZone,
      weekStart: config.weekStart,
      sessions: config.sessions,
      roots: discovery.roots,
      clients: clients?.reports,
      stats: {
        filesSeen: discovery.files.length,
        filesRead: run.filesRead,
        bytesRead: run.bytesRead,
        durationMs: Math.round((performance.now() - started) * 10) / 10,
        skipped,
      },
    }),
    warnings,
  };
}

/**
 * The saved state for these settings: as saved when the settings are the same, rebuilt when they
 * changed (kept usage follows its folder, see ledger/kept.ts), or a fresh one. `rebuilt` says it
 * differs from the file and must be saved. `canSave` is false
 * when the state path holds a file that is not ours: it is then left exactly as it was.
 */
function openState(
  loaded: LoadResult | null,
  scope: Scope,
  present: Set<string>,
  warnings: string[],
): { state: UsageState; canSave: boolean; rebuilt: boolean } {
  const fresh = (canSave: boolean) => ({ state: new UsageState(scope.configKey), canSave, rebuilt: false });
  if (!loaded) return fresh(false);
  // A state read from an older format is saved again in the current one even if nothing changed.
  if (loaded.ok && loaded.state.configKey === scope.configKey)
    return { state: loaded.state, canSave: true, rebuilt: loaded.upgraded };
  if (loaded.ok) {
    try {
      const rebuilt = rescope(loaded.state, scope, present);
      warnings.push(...rebuilt.notes);
      return { state: rebuilt.state, canSave: true, rebuilt: true };
    } catch (error) {
      if (!(error instanceof StateDamaged)) throw error;
      warnings.push(`Saved scan state could not be used (${error.message}); everything was scanned again.`);
      return fresh(true);
    }
  }
  if (loaded.reason === "refused") {
    warnings.push(
      `The scan state file was left as it was because it is not ours (${loaded.message}); this refresh read all transcripts and saved no state.`,
    );
    return fresh(false);
  }
  if (loaded.reason === "corrupt" || loaded.reason === "version")
    warnings.push(`Saved scan state could not be used (${loaded.message}); everything was scanned again.`);
  return fresh(true);
}

/** Real transcripts hold a response every 3 to 5 kB (tool output is most of their bytes). */
const BYTES_PER_RESPONSE = 4096;

function expectedResponses(reads: PlannedRead[]): number {
  return Math.ceil(reads.reduce((sum, read) => sum + read.bytes, 0) / BYTES_PER_RESPONSE);
}

function planReads(state: UsageState, files: DiscoveredFile[], run: RunCounters, headless: boolean): PlannedRead[] {
  const reads: PlannedRead[] = [];
  for (const file of files) {
    const read = planRead(state, file, run, headless);
    if (read) reads.push(read);
  }
  return reads;
}

class RunCounters {
  filesRead = 0;
  bytesRead = 0;
  unreadable = 0;
  changed = false;

  reset(): void {
    Object.assign(this, { filesRead: 0, bytesRead: 0, unreadable: 0, changed: false });
  }
}

interface PlannedRead {
  index: number;
  file: DiscoveredFile;
  job: ScanJob;
  bytes: number;
}

/** Brings a file's entry up to date with discovery and says what of it, if anything, to read. */
function planRead(state: UsageState, file: DiscoveredFile, run: RunCounters, headless: boolean): PlannedRead | null {
  let index = state.fileByPath(file.path);
  if (index < 0) {
    index = state.addFile(newFileEntry(file));
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
  const job: ScanJob = {
    path: file.path,
    from,
    shared: file.kind === "shared",
    head: from > 0 ? entry.head : "",
    size: file.size,
    headless,
  };
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
function skippedTotals(
  files: FileEntry[],
  present: Set<string>,
  unreadable: number,
  unreadableFolders: number,
): Record<string, number> {
  const totals: Record<string, number> = {};
  for (const file of files) {
    if (!present.has(file.path)) continue;
    // for…in: nearly every file has no skips, and Object.entries would allocate for each.
    for (const reason in file.skipped) totals[reason] = (totals[reason] ?? 0) + file.skipped[reason];
  }
  if (unreadable) totals.unreadable = unreadable;
  if (unreadableFolders) totals.unreadableFolder = unreadableFolders;
  return totals;
}
