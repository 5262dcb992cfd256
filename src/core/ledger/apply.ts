import path from "node:path";
import { EV, EVENT_STRIDE, EVENT_SUMMARY, EVENT_USAGE, type DedupKey, type FileScan } from "../usage-event";
import { SLOT_MS, type UsageDelta, type UsageState } from "./state";

/**
 * Counts one file's condensed lines into the state, event by event in line order, so the state
 * comes out the same whichever thread read the file.
 */
export function applyFileScan(state: UsageState, fileIndex: number, scan: FileScan): void {
  new FileApplier(state, fileIndex, scan).run();
}

/** Sub-agent transcripts live in `<session>/subagents/agent-*.jsonl` and belong to that session. */
export function sessionIdFromPath(file: string): string {
  const marker = file.lastIndexOf(SUBAGENTS);
  if (marker >= 0) return file.slice(file.lastIndexOf(path.sep, marker - 1) + 1, marker);
  return path.basename(file, ".jsonl");
}

const SUBAGENTS = `${path.sep}subagents${path.sep}`;

/**
 * Two lookup arrays shared by every file counted: a file is counted in one go, and a cold scan counts
 * a thousand files, for which fresh typed arrays cost more in allocation than the counting itself.
 */
const scratchArrays = [new Int32Array(256), new Int32Array(256)];

/** Scratch array `which`, at least `length` long, with its first `length` entries set to -1. */
function scratch(which: 0 | 1, length: number): Int32Array {
  if (scratchArrays[which].length < length)
    scratchArrays[which] = new Int32Array(Math.max(length, 2 * scratchArrays[which].length));
  return scratchArrays[which].fill(-1, 0, length);
}

class FileApplier {
  private readonly file: string;
  /** The session of lines without a sessionId, and of the file's summary lines. */
  private readonly fileSession: string;
  private readonly fileBase: string;
  // Per string of the scan, resolved once: its session and model index in the state, or -1.
  private readonly sessionOf: Int32Array;
  private readonly modelOf: Int32Array;
  // Reused for every event: counting keeps no reference to them.
  private readonly key: DedupKey = { hi: 0, lo: 0 };
  /**
   * The scan's strings, held here: a scan from a worker arrives as an object of another shape than
   * one read on this thread, and reaching through it on every event made the counting code polymorphic.
   */
  private readonly strings: string[];
  private readonly usage: UsageDelta = { input: 0, output: 0, cacheRead: 0, cacheWrite: 0 };

  constructor(
    private readonly state: UsageState,
    private readonly fileIndex: number,
    private readonly scan: FileScan,
  ) {
    this.file = state.files[fileIndex].path;
    this.fileSession = sessionIdFromPath(this.file);
    this.fileBase = path.basename(this.file, ".jsonl");
    this.strings = scan.strings;
    this.sessionOf = scratch(0, scan.strings.length);
    this.modelOf = scratch(1, scan.strings.length);
  }

  run(): void {
    const { events, eventCount } = this.scan;
    for (let at = 0; at < eventCount * EVENT_STRIDE; at += EVENT_STRIDE) {
      const kind = events[at + EV.KIND];
      if (kind === EVENT_USAGE) this.countUsage(events, at);
      else if (kind === EVENT_SUMMARY)
        this.state.sessions[this.state.sessionFor(this.fileSession)].summary = this.strings[events[at + EV.TEXT]];
    }
  }

  private countUsage(ev: Float64Array, at: number): void {
    const time = ev[at + EV.AT];
    const sessionString = ev[at + EV.SESSION];
    const sessionId = sessionString < 0 ? this.fileSession : this.strings[sessionString];
    const session = sessionString < 0 ? this.state.sessionFor(sessionId) : this.sessionFor(sessionString);
    this.noteSession(session, sessionId, ev[at + EV.CWD], time);
    const cell = this.state.cellFor(Math.floor(time / SLOT_MS), session, this.modelFor(ev[at + EV.MODEL]));
    this.key.hi = ev[at + EV.KEY_HI];
    this.key.lo = ev[at + EV.KEY_LO];
    this.usage.input = ev[at + EV.INPUT];
    this.usage.output = ev[at + EV.OUTPUT];
    this.usage.cacheRead = ev[at + EV.CACHE_READ];
    this.usage.cacheWrite = ev[at + EV.CACHE_WRITE];
    this.state.count(this.key, time, cell, this.fileIndex, this.usage);
  }

  private sessionFor(string: number): number {
    let session = this.sessionOf[string];
    if (session < 0) session = this.sessionOf[string] = this.state.sessionFor(this.strings[string]);
    return session;
  }

  private modelFor(string: number): number {
    let model = this.modelOf[string];
    if (model < 0) model = this.modelOf[string] = this.state.modelFor(this.strings[string]);
    return model;
  }

  private noteSession(session: number, sessionId: string, cwdString: number, at: number): void {
    const meta = this.state.sessions[session];
    if (!meta.cwd && cwdString >= 0 && this.strings[cwdString]) meta.cwd = this.strings[cwdString];
    if (meta.firstAt === 0 || at < meta.firstAt) meta.firstAt = at;
    if (at > meta.lastAt) meta.lastAt = at;
    // Prefer the session's own transcript over a sub-agent's or a replaying session's file.
    if (!meta.file) meta.file = this.file;
    else if (this.fileBase === sessionId && meta.file !== this.file && path.basename(meta.file, ".jsonl") !== sessionId)
      meta.file = this.file;
  }
}
