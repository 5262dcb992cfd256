import { isUtf8 } from "node:buffer";
import { classifyLine, type LineResult } from "./classify-line";
import { LINE_FIELDS_WASM } from "./line-fields-wasm";

/**
 * The fast way to read transcript lines: a small WebAssembly module (assembly/line-fields.ts) splits
 * the bytes a file was read into, passes over lines that carry no usage, and for a usage line in the
 * usual form gives what counting needs: its time, token counts and key, and where its session,
 * folder and model strings are. Every other line (summaries, broken lines, escapes, unusual values)
 * it hands back, and classify-line.ts, the definition, classifies it; test/core/scan/claude/line-fields.test.ts
 * holds the two ways to the same counts.
 *
 * Why WebAssembly: an assistant line is a kilobyte of JSON of which counting reads a few dozen
 * bytes, and user lines (tool output) are most of a transcript's bytes and read for nothing. In
 * JavaScript, stepping over bytes costs one to two nanoseconds each, and a full parse more; the
 * module steps over them with 16-byte vector compares, ten to forty times faster, and allocates
 * nothing. It is built from source by scripts/build-embedded.mjs and embedded as base64.
 */

/**
 * The little of the WebAssembly API used here, typed locally: the extension's TypeScript setup has
 * no DOM library (where the global's types live), and a runtime without it simply reads lines the
 * JavaScript way.
 */
interface WasmMemory {
  readonly buffer: ArrayBuffer;
  grow(pages: number): number;
}
type WasmModule = object;
interface WasmApi {
  Module: new (bytes: Uint8Array) => WasmModule;
  Instance: new (module: WasmModule, imports: Record<string, Record<string, unknown>>) => { exports: unknown };
}
const wasmApi = (globalThis as { WebAssembly?: WasmApi }).WebAssembly;

interface LineFieldsExports {
  memory: WasmMemory;
  readLines(start: number, end: number): number;
  resumeAt(): number;
  records(): number;
  recordBytes(): number;
  inputBase(): number;
}

/** A usage line as the module read it: what counting needs, nothing more. */
export interface ReadUsage {
  at: number;
  input: number;
  output: number;
  cacheRead: number;
  cacheWrite: number;
  /** The de-duplication key (usage-event.ts), unless `keyFromLine`: the line has no ids to key it by. */
  keyHi: number;
  keyLo: number;
  keyFromLine: boolean;
  sessionId: string | undefined;
  cwd: string | undefined;
  model: string | undefined;
}

/** A blank record to fill line after line (allocating one per line would churn the collector). */
export function newReadUsage(): ReadUsage {
  return {
    at: 0,
    input: 0,
    output: 0,
    cacheRead: 0,
    cacheWrite: 0,
    keyHi: 0,
    keyLo: 0,
    keyFromLine: false,
    sessionId: undefined,
    cwd: undefined,
    model: undefined,
  };
}

/** Where the lines' results go, in line order (read-file.ts). */
export interface LineSink {
  /** A line classified the JavaScript way, or passed over as one of the skip reasons. */
  take(result: LineResult, start: number, end: number): void;
  /** A usage line the module read. */
  usage(line: ReadUsage, start: number, end: number): void;
}

// Record layout and flags: see assembly/line-fields.ts.
const USAGE = 1;
const STRING = 1;
const HIGH_BYTES = 1;
const API_ERROR = 2;
const KEY_FROM_LINE = 4;
const SAME = 0x10000;
const RECORD_CAPACITY = 512;
const INTERN_SLOTS = 1024;
const SESSION_WORD = 4;
const CWD_WORD = 8;
const MODEL_WORD = 12;
const KEY_WORD = 16;
const TIME_NUMBER = 9;
const SKIP_INVALID_UTF8: LineResult = { kind: "skip", reason: "invalidUtf8" };
const SKIP_API_ERROR: LineResult = { kind: "skip", reason: "apiError" };
const SKIP_SYNTHETIC: LineResult = { kind: "skip", reason: "synthetic" };

/**
 * One instance of the module and the file bytes in its memory. A reader serves one file read at a
 * time (see `acquireLineReader`); its buffer is where the file's chunks are read into.
 */
export class WasmLineReader {
  private readonly exports: LineFieldsExports;
  private readonly base: number;
  private readonly recordWords: number;
  private words = new Int32Array(0);
  private numbers = new Float64Array(0);
  /** The input area as a Buffer: file chunks are read into it and their lines read in place. */
  buffer: Buffer = Buffer.alloc(0);
  /** The decoded string of each of the module's intern slots (see assembly/line-fields.ts). */
  private readonly interned: string[] = new Array<string>(INTERN_SLOTS).fill("");
  /** Handed to the sink for every usage line: it keeps no reference to it. */
  private readonly read = newReadUsage();

  constructor(api: WasmApi, module: WasmModule, inputBytes: number) {
    const instance = new api.Instance(module, {
      env: {
        abort: () => {
          throw new Error("line-fields module aborted");
        },
      },
    });
    this.exports = instance.exports as unknown as LineFieldsExports;
    this.base = this.exports.inputBase();
    this.recordWords = this.exports.recordBytes() / 4;
    this.reserve(inputBytes);
  }

  /** Makes the input area at least `bytes` long, keeping what it holds. */
  reserve(bytes: number): void {
    const memory = this.exports.memory;
    const needed = this.base + bytes;
    if (memory.buffer.byteLength < needed) memory.grow(Math.ceil((needed - memory.buffer.byteLength) / 65536));
    // Growing detaches the old views: every view is taken again.
    const records = this.exports.records();
    this.words = new Int32Array(memory.buffer, records, RECORD_CAPACITY * this.recordWords);
    this.numbers = new Float64Array(memory.buffer, records, (RECORD_CAPACITY * this.recordWords) / 2);
    this.buffer = Buffer.from(memory.buffer, this.base, memory.buffer.byteLength - this.base);
  }

  /**
   * Reads the complete lines of `buffer[from, to)`, giving `sink` each line that is not passed
   * over, in order. Returns where the bytes after the last complete line start.
   */
  readLines(from: number, to: number, sink: LineSink): number {
    let pos = from;
    for (;;) {
      const count = this.exports.readLines(this.base + pos, this.base + to);
      for (let r = 0; r < count; r++) this.deliver(r * this.recordWords, sink);
      pos = this.exports.resumeAt() - this.base;
      if (count < RECORD_CAPACITY) return pos;
    }
  }

  private deliver(at: number, sink: LineSink): void {
    const w = this.words;
    const start = w[at + 1] - this.base;
    const end = w[at + 2] - this.base;
    if (w[at] !== USAGE) return sink.take(classifyLine(this.buffer, start, end), start, end);
    // The strings first, always and in this order: the module updated its table the same way.
    const read = this.read;
    read.sessionId = this.string(at + SESSION_WORD);
    read.cwd = this.string(at + CWD_WORD);
    read.model = this.string(at + MODEL_WORD);
    const flags = w[at + 3];
    // A plain view: Buffer#subarray builds a Buffer, several times the cost while the JIT is cold.
    const bytes = this.buffer;
    if (flags & HIGH_BYTES && !isUtf8(new Uint8Array(bytes.buffer, bytes.byteOffset + start, end - start)))
      return sink.take(SKIP_INVALID_UTF8, start, end);
    if (flags & API_ERROR) return sink.take(SKIP_API_ERROR, start, end);
    if (read.model === "<synthetic>") return sink.take(SKIP_SYNTHETIC, start, end);
    const n = at / 2 + TIME_NUMBER;
    read.at = this.numbers[n];
    read.input = this.numbers[n + 1];
    read.output = this.numbers[n + 2];
    read.cacheRead = this.numbers[n + 3];
    read.cacheWrite = this.numbers[n + 4];
    read.keyFromLine = (flags & KEY_FROM_LINE) !== 0;
    read.keyHi = w[at + KEY_WORD] >>> 0;
    read.keyLo = w[at + KEY_WORD + 1] >>> 0;
    sink.usage(read, start, end);
  }

  private string(at: number): string | undefined {
    const w = this.words;
    if (w[at] !== STRING) return undefined;
    const word = w[at + 3];
    if (word >= 0 && word & SAME) return this.interned[word & (INTERN_SLOTS - 1)];
    const text = this.buffer.toString("latin1", w[at + 1] - this.base, w[at + 2] - this.base);
    if (word >= 0) this.interned[word] = text;
    return text;
  }
}

let compiled: WasmModule | null | undefined;
const idle: WasmLineReader[] = [];

/**
 * A reader for one file read, or null where WebAssembly is not to be had (the JavaScript reader then
 * does the work). Each concurrent read gets its own instance; released ones are reused.
 */
export function acquireLineReader(inputBytes: number): WasmLineReader | null {
  if (process.env.MIMO_SCAN_WASM === "0") return null;
  if (compiled === undefined) compiled = compile();
  if (!compiled || !wasmApi) return null;
  const reader = idle.pop();
  if (reader) return reader;
  try {
    return new WasmLineReader(wasmApi, compiled, inputBytes);
  } catch {
    // No memory to be had for an instance: this read goes the JavaScript way.
    return null;
  }
}

export function releaseLineReader(reader: WasmLineReader): void {
  idle.push(reader);
}

function compile(): WasmModule | null {
  if (!wasmApi) return null;
  try {
    return new wasmApi.Module(Buffer.from(LINE_FIELDS_WASM, "base64"));
  } catch {
    return null;
  }
}
