import { createHash } from "node:crypto";
import path from "node:path";
import { buildSnapshot } from "./aggregate";
import { keyFor } from "./dedup";
import { classifyLine, discoverFiles, readHead, readLines, type DiscoveredFile, type RootConfig } from "./scan";
import type { Snapshot, UsageLine, WeekStart } from "./schema";
import { errnoCode, loadState, saveState, SLOT_MS, UsageState, type FileEntry } from "./state";

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
  for (const file of discovery.files) {
    present.add(file.path);
    await refreshFile(state, file, filter, run);
  }
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

const HEAD_BYTES = 4096;

async function refreshFile(state: UsageState, file: DiscoveredFile, filter: RegExp, run: RunCounters): Promise<void> {
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
    return;

  try {
    const from = canContinue(entry, file) ? entry.offset : 0;
    if (from === 0) entry.skipped = {};
    const counter = new LineCounter(state, index, file, filter);
    const result = await readLines(file.path, from, (buf, start, end) => counter.line(buf, start, end));
    Object.assign(entry, { dev: file.dev, ino: file.ino, size: file.size, mtimeMs: file.mtimeMs, offset: result.end });
    entry.head = result.end > 0 ? headHash(file.path, result.end) : "";
    run.filesRead++;
    run.bytesRead += result.bytesRead;
    run.changed = true;
  } catch {
    run.unreadable++;
  }
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
  return headHash(file.path, entry.offset) === entry.head;
}

function headHash(file: string, offset: number): string {
  const head = readHead(file, Math.min(HEAD_BYTES, offset));
  return createHash("sha1").update(head).digest("hex");
}

/** Counts the lines of one file into the state. */
class LineCounter {
  private readonly fileSession: string;

  constructor(
    private readonly state: UsageState,
    private readonly fileIndex: number,
    private readonly file: DiscoveredFile,
    private readonly filter: RegExp,
  ) {
    this.fileSession = sessionIdFromPath(file.path);
  }

  line(buf: Buffer, start: number, end: number): void {
    const result = classifyLine(buf, start, end);
    if (result.kind === "skip") this.skip(result.reason);
    else if (result.kind === "summary")
      this.state.sessions[this.state.sessionFor(this.fileSession)].summary = result.text;
    else if (result.kind === "usage") this.usage(result.line, () => buf.toString("latin1", start, end));
  }

  private skip(reason: string): void {
    const skipped = this.state.files[this.fileIndex].skipped;
    skipped[reason] = (skipped[reason] ?? 0) + 1;
  }

  private usage(line: UsageLine, raw: () => string): void {
    const model = line.message.model ?? "unknown";
    if (this.file.kind === "shared" && !this.filter.test(model)) return this.skip("otherModel");
    const at = Date.parse(line.timestamp);
    const sessionId = line.sessionId ?? this.fileSession;
    const session = this.state.sessionFor(sessionId);
    this.noteSession(session, sessionId, line, at);
    const cell = this.state.cellFor(Math.floor(at / SLOT_MS), session, this.state.modelFor(model));
    const key = keyFor(
      { messageId: line.message.id, requestId: line.requestId, sessionId: line.sessionId },
      this.file.path,
      raw,
    );
    const u = line.message.usage;
    this.state.count(key, at, cell, this.fileIndex, {
      input: u.input_tokens,
      output: u.output_tokens,
      cacheRead: u.cache_read_input_tokens ?? 0,
      cacheWrite: u.cache_creation_input_tokens ?? 0,
    });
  }

  private noteSession(session: number, sessionId: string, line: UsageLine, at: number): void {
    const meta = this.state.sessions[session];
    if (!meta.cwd && line.cwd) meta.cwd = line.cwd;
    if (meta.firstAt === 0 || at < meta.firstAt) meta.firstAt = at;
    if (at > meta.lastAt) meta.lastAt = at;
    // Prefer the session's own transcript over a sub-agent's or a replaying session's file.
    const better = !isMainTranscript(meta.file, sessionId) && isMainTranscript(this.file.path, sessionId);
    if (!meta.file || better) meta.file = this.file.path;
  }
}

function isMainTranscript(file: string | null, sessionId: string): boolean {
  return file !== null && path.basename(file, ".jsonl") === sessionId;
}

/** Sub-agent transcripts live in `<session>/subagents/agent-*.jsonl` and belong to that session. */
export function sessionIdFromPath(file: string): string {
  const parts = file.split(path.sep);
  const subagents = parts.lastIndexOf("subagents");
  if (subagents > 0) return parts[subagents - 1];
  return path.basename(file, ".jsonl");
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
