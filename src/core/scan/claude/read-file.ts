import { createHash } from "../../hashing";
import fs from "node:fs";
import { readFully } from "../../io";
import { fsPath } from "./file-names";
import { classifyLine, type LineResult } from "./classify-line";
import {
  EV,
  EVENT_STRIDE,
  EVENT_SUMMARY,
  EVENT_USAGE,
  keyFor,
  type FileScan,
  type SkipReason,
} from "../../usage-event";
import {
  acquireLineReader,
  newReadUsage,
  releaseLineReader,
  type LineSink,
  type ReadUsage,
  type WasmLineReader,
} from "./line-fields";
import type { UsageRecord } from "./usage-record";

/**
 * Reading the bytes appended to one transcript and condensing its lines into a `FileScan`: a flat
 * list of events in line order plus the few strings they name. It touches no shared state, so it
 * runs the same on the main thread and in a scan worker, and the result is small and transferable.
 */

export interface ScanJob {
  path: string;
  /** Offset to read from: 0, or the end of the last complete line read before. */
  from: number;
  /** A shared root: only models matching the filter count. */
  shared: boolean;
  /** The verified ends hash of the file at `from` (see endsHashOf); "" when from is 0. */
  ends: string;
  /**
   * The file's size when it was listed, if known: the read stops there instead of asking for more
   * (what is appended after the listing is read by the next refresh).
   */
  size?: number;
  /** Nothing keeps this read's ends hash (a scan that saves no state): the result's is "". */
  headless?: boolean;
}

/**
 * Bytes hashed at each end of what a read consumed, to tell a file that only grew from one replaced
 * or rewritten in place (see endsHashOf).
 */
export const HEAD_BYTES = 4096;
export const TAIL_BYTES = 4096;
const CHUNK_BYTES = 1 << 20;
const NEWLINE = 0x0a;
/** Chunk buffers are reused across files: allocating a megabyte per file would churn the GC. */
const spareBuffers: Buffer[] = [];

/** Reads and condenses a whole job in one go (the scan worker's way). */
export function scanFile(job: ScanJob, filter: RegExp): FileScan {
  const scanner = new FileScanner(job, filter);
  try {
    while (!scanner.step(Infinity));
    return scanner.result();
  } finally {
    scanner.close();
  }
}

/**
 * Reads a file from an offset a chunk at a time, so a caller on the main thread can yield to the
 * event loop between steps. The bytes after the last newline are a line still being written and
 * are left for the next read. A line cut by the end of a chunk is moved to the start of the buffer
 * and completed by the next read; a line longer than the buffer gets a bigger one.
 *
 * Reads are synchronous because page-cache reads take microseconds while a round trip through the
 * libuv thread pool costs more than the read.
 */
export class FileScanner {
  private readonly fd: number;
  private buf: Buffer;
  private readonly events: EventWriter;
  /** File offset of the next read. */
  private position: number;
  /** Bytes at the start of `buf` that belong to a line not complete yet. */
  private pending = 0;
  private firstBytes: Buffer | null = null;
  private closed = false;
  /** Where lines are read into and classified when WebAssembly is to be had (see line-fields.ts). */
  private readonly reader: WasmLineReader | null;

  constructor(
    private readonly job: ScanJob,
    filter: RegExp,
  ) {
    this.fd = fs.openSync(fsPath(job.path), "r");
    this.reader = acquireLineReader(CHUNK_BYTES);
    this.buf = this.reader
      ? this.reader.buffer.subarray(0, CHUNK_BYTES)
      : (spareBuffers.pop() ?? Buffer.allocUnsafe(CHUNK_BYTES));
    this.position = job.from;
    this.events = new EventWriter(job, filter);
  }

  /** Reads up to `chunks` chunks; true once the end of the file is reached. */
  step(chunks: number): boolean {
    for (let turn = 0; turn < chunks; turn++) {
      if (this.job.size !== undefined && this.position >= this.job.size) return true;
      if (this.pending === this.buf.length) this.growBuffer();
      const read = fs.readSync(this.fd, this.buf, this.pending, this.buf.length - this.pending, this.position);
      if (read === 0) return true;
      if (this.position === 0 && !this.job.headless)
        this.firstBytes = Buffer.from(this.buf.subarray(0, Math.min(read, HEAD_BYTES)));
      this.position += read;
      this.lines(this.pending + read);
    }
    return false;
  }

  /** Where the next read continues: just past the last complete line. */
  private get end(): number {
    return this.position - this.pending;
  }

  private lines(filled: number): void {
    if (this.reader) return this.linesInModule(filled);
    const chunk = this.buf.subarray(0, filled);
    let lineStart = 0;
    // The pending bytes hold no newline, or their line would have been complete.
    let newline = chunk.indexOf(NEWLINE, this.pending);
    while (newline !== -1) {
      this.events.line(chunk, lineStart, newline);
      lineStart = newline + 1;
      newline = chunk.indexOf(NEWLINE, lineStart);
    }
    this.pending = filled - lineStart;
    if (this.pending > 0 && lineStart > 0) chunk.copyWithin(0, lineStart, filled);
  }

  /** The same, with the lines read inside the WebAssembly module (see line-fields.ts). */
  private linesInModule(filled: number): void {
    const reader = this.reader as WasmLineReader;
    const from = this.events.skipByteOrderMark(this.buf, 0, filled);
    this.events.source = this.buf;
    const rest = reader.readLines(from, filled, this.events);
    this.pending = filled - rest;
    if (this.pending > 0 && rest > 0) this.buf.copyWithin(0, rest, filled);
  }

  private growBuffer(): void {
    if (this.reader) {
      // The module's memory grows in place, so the pending bytes stay where they are; the old view
      // is detached by the growth (its length reads 0), so the size is taken first.
      const size = this.buf.length * 2;
      this.reader.reserve(size);
      this.buf = this.reader.buffer.subarray(0, size);
      return;
    }
    const bigger = Buffer.allocUnsafe(this.buf.length * 2);
    this.buf.copy(bigger, 0, 0, this.pending);
    this.releaseBuffer();
    this.buf = bigger;
  }

  /** Keeps a standard buffer for the next file; one grown for a long line is left to the GC. */
  private releaseBuffer(): void {
    if (this.reader) releaseLineReader(this.reader);
    else if (this.buf.length === CHUNK_BYTES) spareBuffers.push(this.buf);
  }

  result(): FileScan {
    return {
      end: this.end,
      bytesRead: this.position - this.job.from,
      ends: this.endsHash(),
      ...this.events.result(),
    };
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    fs.closeSync(this.fd);
    this.releaseBuffer();
    this.events.release();
  }

  /** The ends hash at the end of this read; the first bytes are not read again when the read saw them. */
  private endsHash(): string {
    const end = this.end;
    if (end === 0 || this.job.headless) return "";
    // Nothing complete was added: the hash verified before this read still holds.
    if (this.job.from > 0 && end === this.job.from) return this.job.ends;
    return hashEnds(this.fd, end, this.firstBytes);
  }
}

/**
 * Hashes the bytes at both ends of a file's first `offset` bytes: the first min(HEAD_BYTES, offset),
 * then the last TAIL_BYTES before `offset` that are not among them. A file that only grew since a
 * read ended at `offset` hashes the same there; one replaced, cut or rewritten in place almost
 * always does not, even when its first bytes stayed and it did not shrink, since the bytes just
 * before the old offset moved or changed too. Up to HEAD_BYTES this is the hash of the first bytes
 * alone, as states before format 4 kept it.
 */
export function endsHashOf(file: string, offset: number): string {
  const fd = fs.openSync(fsPath(file), "r");
  try {
    return hashEnds(fd, offset, null);
  } finally {
    fs.closeSync(fd);
  }
}

/** Read into and hashed from: one file's ends at a time, on one thread. */
const endBytes = Buffer.allocUnsafe(Math.max(HEAD_BYTES, TAIL_BYTES));

function hashEnds(fd: number, offset: number, firstBytes: Buffer | null): string {
  const hash = createHash("sha1");
  const headLength = Math.min(HEAD_BYTES, offset);
  if (firstBytes && firstBytes.length >= headLength) hash.update(firstBytes.subarray(0, headLength));
  else hash.update(endBytes.subarray(0, readFully(fd, endBytes, headLength, 0)));
  if (offset > HEAD_BYTES) {
    const from = Math.max(HEAD_BYTES, offset - TAIL_BYTES);
    hash.update(endBytes.subarray(0, readFully(fd, endBytes, offset - from, from)));
  }
  return hash.digest("hex");
}

/**
 * Event tables written into, reused from file to file: a table sized for each file was fresh memory
 * every time, and the first touch of fresh memory costs more than the counting. A file's result is
 * a copy of just its events.
 */
const spareEventTables: Float64Array<ArrayBuffer>[] = [];

/** Turns classified lines into events, with every per-line decision made here. */
class EventWriter implements LineSink {
  private events: Float64Array<ArrayBuffer>;
  private count = 0;
  private readonly strings: string[] = [];
  private readonly stringIndex = new Map<string, number>();
  // The last session, model and folder strings with their indexes: consecutive lines repeat them.
  private readonly lastSession = { text: "", index: -1 };
  private readonly lastModel = { text: "", index: -1 };
  private readonly lastCwd = { text: "", index: -1 };
  private readonly skipped: Partial<Record<SkipReason, number>> = {};
  /** The next line is the file's first, which may open with a byte order mark. */
  private first: boolean;
  /** The bytes the lines given to `take` and `usage` are in. */
  source: Buffer = Buffer.alloc(0);
  /** Reused for every line this side reads: counting keeps no reference to it. */
  private readonly read = newReadUsage();

  constructor(
    private readonly job: ScanJob,
    private readonly filter: RegExp,
  ) {
    this.first = job.from === 0;
    this.events = spareEventTables.pop() ?? new Float64Array(1024 * EVENT_STRIDE);
  }

  /** Gives the event table back for the next file; the writer is not used after. */
  release(): void {
    spareEventTables.push(this.events);
  }

  line(buf: Buffer, start: number, end: number): void {
    start = this.skipByteOrderMark(buf, start, end);
    this.source = buf;
    this.take(classifyLine(buf, start, end), start, end);
  }

  /**
   * Where the file's first line starts: past a byte order mark, which editors on Windows write at
   * the start of UTF-8 and which JSON.parse would call the whole first line broken for.
   */
  skipByteOrderMark(buf: Buffer, start: number, end: number): number {
    if (!this.first) return start;
    this.first = false;
    if (end - start >= 3 && buf[start] === 0xef && buf[start + 1] === 0xbb && buf[start + 2] === 0xbf) return start + 3;
    return start;
  }

  /** Counts one line's result: a skip, a summary or usage. */
  take(result: LineResult, start: number, end: number): void {
    if (result.kind === "skip") this.skip(result.reason);
    else if (result.kind === "summary") this.summary(result.text);
    else if (result.kind === "usage") this.usageRecord(result.line, start, end);
  }

  private skip(reason: SkipReason): void {
    this.skipped[reason] = (this.skipped[reason] ?? 0) + 1;
  }

  private summary(text: string): void {
    const index = this.string(text);
    const at = this.next(EVENT_SUMMARY);
    this.events[at + EV.TEXT] = index;
  }

  private usageRecord(line: UsageRecord, start: number, end: number): void {
    const key = keyFor(line, this.job.path, () => this.source.toString("latin1", start, end));
    const read = this.read;
    read.at = Date.parse(line.timestamp);
    read.input = line.input;
    read.output = line.output;
    read.cacheRead = line.cacheRead;
    read.cacheWrite = line.cacheWrite;
    read.keyHi = key.hi;
    read.keyLo = key.lo;
    read.keyFromLine = false;
    read.sessionId = line.sessionId;
    read.cwd = line.cwd;
    read.model = line.model;
    this.usage(read, start, end);
  }

  /** Counts a usage line, read either way. */
  usage(line: ReadUsage, start: number, end: number): void {
    const model = line.model ?? "unknown";
    if (this.job.shared && !this.filter.test(model)) return this.skip("otherModel");
    // A line without ids is keyed by its bytes and file (usage-event.ts).
    const key = line.keyFromLine
      ? keyFor({}, this.job.path, () => this.source.toString("latin1", start, end))
      : { hi: line.keyHi, lo: line.keyLo };
    const session = line.sessionId === undefined ? -1 : this.repeated(this.lastSession, line.sessionId);
    const modelIndex = this.repeated(this.lastModel, model);
    const cwd = line.cwd === undefined ? -1 : this.repeated(this.lastCwd, line.cwd);
    const at = this.next(EVENT_USAGE);
    const ev = this.events;
    ev[at + EV.KEY_HI] = key.hi;
    ev[at + EV.KEY_LO] = key.lo;
    ev[at + EV.AT] = line.at;
    ev[at + EV.INPUT] = line.input;
    ev[at + EV.OUTPUT] = line.output;
    ev[at + EV.CACHE_READ] = line.cacheRead;
    ev[at + EV.CACHE_WRITE] = line.cacheWrite;
    ev[at + EV.SESSION] = session;
    ev[at + EV.MODEL] = modelIndex;
    ev[at + EV.CWD] = cwd;
  }

  /** Appends an event and returns where its fields start. */
  private next(kind: number): number {
    if ((this.count + 1) * EVENT_STRIDE > this.events.length) {
      const grown = new Float64Array(this.events.length * 2);
      grown.set(this.events);
      this.events = grown;
    }
    const at = this.count++ * EVENT_STRIDE;
    this.events[at + EV.KIND] = kind;
    return at;
  }

  /** The index of a string that is most often the same as in the line before. */
  private repeated(last: { text: string; index: number }, value: string): number {
    if (last.index >= 0 && last.text === value) return last.index;
    last.text = value;
    last.index = this.string(value);
    return last.index;
  }

  private string(value: string): number {
    let index = this.stringIndex.get(value);
    if (index === undefined) {
      index = this.strings.push(value) - 1;
      this.stringIndex.set(value, index);
    }
    return index;
  }

  result(): Pick<FileScan, "events" | "eventCount" | "strings" | "skipped"> {
    const events = this.events.slice(0, this.count * EVENT_STRIDE);
    return { events, eventCount: this.count, strings: this.strings, skipped: this.skipped };
  }
}
