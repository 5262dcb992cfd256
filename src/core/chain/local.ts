import type { EngineConfig, EngineResult } from "../engine";
import { describeErrno, errnoCode, FileRefusal } from "../io";
import { applyClientReads, CLIENT_ENTRY_PATHS } from "../ledger/apply-clients";
import { expectedResponses, FileBook, readBefore, type PlannedRead } from "../ledger/files";
import { openState, Scope, stateUnusable } from "../ledger/kept";
import { StateDamaged, UsageState } from "../ledger/state";
import { loadState, saveState, type LoadResult } from "../ledger/state-file";
import { discoverFiles, type Discovery, type FolderListings } from "../scan/claude/discover";
import { listingsPathFor, loadListings, saveListings } from "../scan/claude/listings";
import { readClients, type ClientReads } from "../scan/clients/read";
import { compileModelFilter } from "../scan/model-filter";
import { defaultParallelOptions, scanInOrder } from "../scan/pool";
import { isValidTimeZone } from "../views/calendar";
import type { Snapshot } from "../views/schema";
import { buildSnapshot, futureDated } from "../views/snapshot";

export type { EngineConfig, EngineFailureKind, EngineResult } from "../engine";

/**
 * The local chain, the incremental refresh: load the saved state, read only what was appended
 * since, count it under the de-duplication rules, save, and build a snapshot. The order is the step
 * list below; the scanning is scan/'s, the bookkeeping the ledger's. Nothing here throws to the
 * caller: a failure comes back with its kind.
 */

type Step = (run: Refresh) => void | Promise<void>;

/** The local chain, in order. Each step reads what the steps before it left in the run. */
const LOCAL_CHAIN: readonly Step[] = [
  loadSaved,
  discover,
  openSaved,
  planReads,
  readOtherClients,
  loadKeys,
  readTranscripts,
  countOtherClients,
  markGone,
  save,
];

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

class InvalidTimeZone extends Error {}

async function runRefresh(config: EngineConfig): Promise<EngineResult> {
  const filter = compileModelFilter(config.modelFilter);
  if (!filter.ok) return { ok: false, kind: "invalidModelFilter", error: filter.message };
  const run = new Refresh(config, filter.filter);
  try {
    for (const step of LOCAL_CHAIN) await step(run);
    return { ok: true, snapshot: snapshotOf(run) };
  } catch (error) {
    if (error instanceof InvalidTimeZone)
      return { ok: false, kind: "invalidTimeZone", error: error.message, cause: "timeZone" };
    return { ok: false, kind: "scanFailed", error: `The local scan failed: ${errnoCode(error)}` };
  } finally {
    // A loaded state may still hold its file open for keys this refresh never needed.
    if (run.loaded?.ok) run.loaded.state.release();
  }
}

const NOTHING_FOUND: Discovery = {
  files: [],
  aliases: [],
  roots: [],
  unreadableFolders: 0,
  listings: {},
  listingsChanged: false,
};

/** One refresh as it goes. */
class Refresh {
  readonly started = performance.now();
  readonly now: Date;
  readonly warnings: string[] = [];
  readonly scope: Scope;
  /** Folder listings are worth keeping only where a state is kept. */
  readonly listingsPath: string | null;
  /** File times are in the system's clock, not the injected `now` the figures are dated by. */
  readonly wallClock = Date.now();
  loaded: LoadResult | null = null;
  listings: FolderListings | null = null;
  discovery = NOTHING_FOUND;
  /** Paths read now: each discovered file, and the other clients' entries. */
  readPaths = new Set<string>();
  /** Paths whose entries are not gone: those read, and any path that reaches a file read under another. */
  present = new Set<string>();
  /** False when the state path holds a file that is not ours. */
  canSave = false;
  /** Until the saved state is opened, a fresh state that saves nothing. */
  book: FileBook;
  reads: PlannedRead[] = [];
  clients: ClientReads | null = null;

  constructor(
    readonly config: EngineConfig,
    readonly filter: RegExp,
  ) {
    this.now = (config.now ?? (() => new Date()))();
    this.scope = new Scope(config.roots, filter, config.clients?.enabled);
    this.listingsPath = config.statePath ? listingsPathFor(config.statePath) : null;
    this.book = new FileBook(new UsageState(this.scope.configKey), { headless: true, wallClock: this.wallClock });
  }
}

/** The saved state and folder listings, read side by side. */
async function loadSaved(run: Refresh): Promise<void> {
  const { statePath } = run.config;
  [run.loaded, run.listings] = await Promise.all([
    statePath ? loadState(statePath) : null,
    run.listingsPath ? loadListings(run.listingsPath) : null,
  ]);
}

/**
 * The transcripts on disk. A path that reaches one of them again (a hard link, a link) is present
 * too, but is not read under that path and its entry keeps what it counted.
 */
async function discover(run: Refresh): Promise<void> {
  run.discovery = await discoverFiles(run.config.roots, run.listings, readBefore(run.loaded));
  run.readPaths = new Set(run.discovery.files.map((file) => file.path));
  if (run.config.clients) for (const entryPath of CLIENT_ENTRY_PATHS) run.readPaths.add(entryPath);
  run.present = new Set(run.readPaths);
  for (const alias of run.discovery.aliases) run.present.add(alias.path);
}

/** The saved state for these settings (see ledger/kept.ts), and the new listings beside it. */
async function openSaved(run: Refresh): Promise<void> {
  const opened = openState(run.loaded, run.scope, run.readPaths, run.warnings);
  run.canSave = opened.canSave;
  if (run.listingsPath && run.canSave && run.discovery.listingsChanged)
    await saveListings(run.listingsPath, run.discovery.listings);
  // Ends hashes tell an appended file from a rewritten one next time: only a saved state needs them.
  const headless = !run.config.statePath || !run.canSave;
  run.book = new FileBook(opened.state, { headless, wallClock: run.wallClock }, opened.rebuilt);
}

function planReads(run: Refresh): void {
  run.reads = run.book.plan(run.discovery.files);
}

async function readOtherClients(run: Refresh): Promise<void> {
  const { clients } = run.config;
  const { state } = run.book;
  run.clients = clients
    ? await readClients({ cursors: state.clientCursors, versions: state.readerVersions }, clients, run.now)
    : null;
}

/**
 * The state's keys, loaded only when there is something to count. Keys found damaged start the
 * state over: what the steps before planned and read is planned and read again.
 */
async function loadKeys(run: Refresh): Promise<void> {
  if (run.reads.length === 0 && !run.clients?.needsKeys) return;
  try {
    run.book.state.loadKeys();
  } catch (error) {
    if (!(error instanceof StateDamaged)) throw error;
    run.warnings.push(stateUnusable(error.message));
    run.book = new FileBook(new UsageState(run.scope.configKey), run.book.options);
    planReads(run);
    await readOtherClients(run);
  }
}

/** Reads what is new of each planned file (on worker threads where that pays) and counts it in file order. */
async function readTranscripts(run: Refresh): Promise<void> {
  const { reads, book, config } = run;
  if (reads.length > 0) book.state.reserveKeys(expectedResponses(reads));
  await scanInOrder(reads, run.filter, config.parallel ?? defaultParallelOptions(), (i, outcome) => {
    book.count(reads[i], outcome);
    config.onProgress?.({ filesRead: i + 1, filesTotal: reads.length });
  });
}

function countOtherClients(run: Refresh): void {
  if (!run.clients) return;
  const applied = applyClientReads(run.book.state, run.clients);
  run.warnings.push(...applied.warnings);
  if (applied.changed) run.book.changed = true;
}

function markGone(run: Refresh): void {
  run.book.markPresent(run.present);
}

async function save(run: Refresh): Promise<void> {
  const { statePath } = run.config;
  if (!statePath || !run.canSave || !run.book.changed) return;
  try {
    await saveState(statePath, run.book.state);
  } catch (error) {
    run.warnings.push(
      error instanceof FileRefusal
        ? `The scan state was not saved: ${error.message}. Every refresh reads all transcripts until that path is free or holds a state of ours.`
        : run.loaded?.ok
          ? `Could not save the scan state (${describeErrno(error)}); the next refresh goes on from the last state that was saved, so it reads again what this one read.`
          : `Could not save the scan state at ${run.config.statePath} (${describeErrno(error)}); no state was saved before, so every refresh reads all transcripts until one can be saved there.`,
    );
  }
}

/** What the chain answers: the snapshot of the state as counted. */
function snapshotOf(run: Refresh): Snapshot {
  const { config, book } = run;
  // Counted on their own dates all the same; the count only says a clock or a file is off.
  // Checked only where the snapshot first needs it: the first use of the time-zone data costs a
  // fresh process some 20 ms, and by now the command line's scan worker has loaded it (see
  // scan/worker.ts). Counting does not depend on the zone, so what was read is kept all the same.
  if (!isValidTimeZone(config.timeZone)) throw new InvalidTimeZone(`"${config.timeZone}" is not an IANA time zone`);
  const skipped = book.skippedTotals(run.readPaths, run.discovery.unreadableFolders);
  const future = futureDated(book.state, run.now);
  if (future.messages > 0) skipped.futureDated = future.messages;
  return {
    ...buildSnapshot(book.state, {
      now: run.now,
      timeZone: config.timeZone,
      weekStart: config.weekStart,
      sessions: config.sessions,
      roots: run.discovery.roots,
      clients: run.clients?.reports,
      stats: {
        filesSeen: run.discovery.files.length,
        filesRead: book.filesRead,
        bytesRead: book.bytesRead,
        durationMs: Math.round((performance.now() - run.started) * 10) / 10,
        skipped,
      },
    }),
    warnings: run.warnings,
  };
}
