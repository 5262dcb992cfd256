import fg from "fast-glob";
import fsSync from "node:fs";
import { isUtf8 } from "node:buffer";
import path from "node:path";
import { UsageLineSchema, type RootKind, type RootReport, type UsageLine } from "./schema";

/**
 * Finding transcript files and reading the bytes appended to them, line by line, without ever
 * holding a whole file: files reach hundreds of megabytes and the heap budget is a few dozen.
 */

export interface RootConfig {
  path: string;
  kind: RootKind;
}

export interface DiscoveredFile {
  path: string;
  kind: RootKind;
  dev: number;
  ino: number;
  size: number;
  mtimeMs: number;
}

export interface Discovery {
  files: DiscoveredFile[];
  roots: RootReport[];
}

/**
 * Globs `projects/**\/*.jsonl` below every root. A file reached twice (a symlink, a folder inside
 * another configured folder) is kept once, under its first path, and a dedicated root wins over a
 * shared one so nothing is filtered that should not be.
 */
export async function discoverFiles(roots: RootConfig[]): Promise<Discovery> {
  const ordered = [...roots].sort((a, b) => Number(a.kind === "shared") - Number(b.kind === "shared"));
  const seen = new Set<string>();
  const files: DiscoveredFile[] = [];
  const reports = new Map<RootConfig, RootReport>();
  for (const root of ordered) {
    const projects = path.join(root.path, "projects");
    const exists = await isDirectory(projects);
    const report: RootReport = { path: root.path, kind: root.kind, exists, files: 0 };
    reports.set(root, report);
    if (!exists) continue;
    // The synchronous walk is several times faster than the async one for a few thousand files
    // (no thread-pool round trip per directory and stat), and it takes milliseconds.
    const entries = fg.sync("**/*.jsonl", {
      cwd: projects,
      absolute: true,
      stats: true,
      onlyFiles: true,
      followSymbolicLinks: true,
      suppressErrors: true,
    });
    entries.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
    for (const entry of entries) {
      const stats = entry.stats;
      if (!stats) continue;
      const identity = `${stats.dev}:${stats.ino}`;
      if (seen.has(identity)) continue;
      seen.add(identity);
      report.files++;
      files.push({
        path: entry.path,
        kind: root.kind,
        dev: stats.dev,
        ino: stats.ino,
        size: stats.size,
        mtimeMs: stats.mtimeMs,
      });
    }
  }
  return { files, roots: roots.map((root) => reports.get(root) as RootReport) };
}

async function isDirectory(dir: string): Promise<boolean> {
  try {
    return fsSync.statSync(dir).isDirectory();
  } catch {
    return false;
  }
}

const CHUNK_BYTES = 1 << 20;
const NEWLINE = 0x0a;
/** Chunk buffers are reused across files: allocating a megabyte per file would churn the GC. */
const spareBuffers: Buffer[] = [];

export interface ReadResult {
  /** Offset just past the last complete line: where the next read starts. */
  end: number;
  bytesRead: number;
}

/**
 * Calls `onLine(buffer, start, end)` for every complete line from `start` on. The bytes after the
 * last newline are a line still being written and are left for the next read. A line longer than
 * a chunk is gathered into a buffer of its own.
 *
 * Reads are synchronous because page-cache reads take microseconds while a round trip through the
 * libuv thread pool costs more than the read; the loop yields to the event loop between chunks so
 * timers (a platform request's timeout) still run during a long scan.
 */
export async function readLines(
  file: string,
  start: number,
  onLine: (buf: Buffer, from: number, to: number) => void,
): Promise<ReadResult> {
  const fd = fsSync.openSync(file, "r");
  const buf = spareBuffers.pop() ?? Buffer.allocUnsafe(CHUNK_BYTES);
  try {
    let position = start;
    let end = start;
    let carry: Buffer[] = [];
    let carried = 0;
    for (let turn = 1; ; turn++) {
      const read = fsSync.readSync(fd, buf, 0, buf.length, position);
      if (read === 0) break;
      const chunk = buf.subarray(0, read);
      const chunkAt = position;
      position += read;

      let newline = chunk.indexOf(NEWLINE);
      if (newline === -1) {
        carry.push(Buffer.from(chunk));
        carried += read;
        continue;
      }
      let lineStart = 0;
      if (carried > 0) {
        const first = Buffer.concat([...carry, chunk.subarray(0, newline)]);
        onLine(first, 0, first.length);
        carry = [];
        carried = 0;
        lineStart = newline + 1;
        newline = chunk.indexOf(NEWLINE, lineStart);
      }
      while (newline !== -1) {
        onLine(chunk, lineStart, newline);
        lineStart = newline + 1;
        newline = chunk.indexOf(NEWLINE, lineStart);
      }
      end = chunkAt + lineStart;
      if (lineStart < read) {
        carry.push(Buffer.from(chunk.subarray(lineStart)));
        carried += read - lineStart;
      }
      if (turn % 16 === 0) await yieldToEventLoop();
    }
    return { end, bytesRead: position - start };
  } finally {
    fsSync.closeSync(fd);
    spareBuffers.push(buf);
  }
}

function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/** Reads the first bytes of a file, to tell an appended file from one rewritten in place. */
export function readHead(file: string, length: number): Buffer {
  const fd = fsSync.openSync(file, "r");
  try {
    const buf = Buffer.alloc(length);
    return buf.subarray(0, fsSync.readSync(fd, buf, 0, length, 0));
  } finally {
    fsSync.closeSync(fd);
  }
}

export type SkipReason = "malformed" | "invalidUtf8" | "invalid" | "apiError" | "synthetic" | "otherModel";

export type LineResult =
  | { kind: "usage"; line: UsageLine }
  | { kind: "summary"; text: string }
  | { kind: "skip"; reason: SkipReason }
  | { kind: "none" };

// Inside a JSON string every quote is escaped, so these byte sequences only match real keys: lines
// without them are skipped without decoding or parsing, which is most of a transcript's bytes.
const USAGE_KEY = Buffer.from('"usage":');
// Claude Code writes user lines (tool results: the bulk of a transcript) with this near the start.
// Recognising it there spares searching megabytes of tool output for a usage key they cannot have.
const USER_LINE = Buffer.from('"type":"user","message":{"role":"user"');
const HEAD_BYTES = 2048;
const SUMMARY_PREFIX = Buffer.from('{"type":"summary"');
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const CR = 0x0d;

const NONE: LineResult = { kind: "none" };

/**
 * Classifies one line. Only lines that carry a `"usage":` key are decoded and validated; other lines
 * are checked for the shape of a JSON object so broken and binary lines are still counted.
 */
export function classifyLine(buf: Buffer, from: number, to: number): LineResult {
  if (to > from && buf[to - 1] === CR) to--;
  while (from < to && isSpace(buf[from])) from++;
  if (from === to) return NONE;
  if (buf[from] !== OPEN_BRACE || buf[to - 1] !== CLOSE_BRACE) return { kind: "skip", reason: "malformed" };
  if (startsWith(buf, from, to, SUMMARY_PREFIX)) return parseSummary(buf, from, to);
  if (to - from > HEAD_BYTES && buf.subarray(from, from + HEAD_BYTES).includes(USER_LINE)) return NONE;
  const bytes = buf.subarray(from, to);
  // The message's usage sits near the end of the line, after its (large) content.
  const usageAt = bytes.lastIndexOf(USAGE_KEY);
  return usageAt === -1 ? NONE : parseUsage(bytes, usageAt);
}

function parseUsage(bytes: Buffer, usageAt: number): LineResult {
  if (!isUtf8(bytes)) return { kind: "skip", reason: "invalidUtf8" };
  const value = parseWithoutContent(bytes, usageAt) ?? parseWhole(bytes);
  if (value === undefined) return { kind: "skip", reason: "malformed" };
  // Other line types (progress, tool results of sub-agents) may nest a usage object: not ours.
  if (!value || typeof value !== "object" || (value as { type?: unknown }).type !== "assistant") return NONE;
  const parsed = UsageLineSchema.safeParse(value);
  if (!parsed.success) return { kind: "skip", reason: "invalid" };
  const line = parsed.data;
  if (line.isApiErrorMessage) return { kind: "skip", reason: "apiError" };
  if (line.message.model === "<synthetic>") return { kind: "skip", reason: "synthetic" };
  return { kind: "usage", line };
}

const CONTENT_KEY = Buffer.from('"content":');

/**
 * Parses the line with the message's content left out: `{…"content":null,"usage":{…}…}`. The
 * content (thinking, tool inputs, file bodies) is most of an assistant line's bytes and none of what
 * we count, so skipping it spares most of the parsing and garbage. Any line whose shape does not
 * fit gives invalid JSON here and is parsed whole instead.
 */
function parseWithoutContent(bytes: Buffer, usageAt: number): unknown {
  const contentAt = bytes.indexOf(CONTENT_KEY);
  if (contentAt === -1 || contentAt > usageAt) return undefined;
  const head = bytes.toString("utf8", 0, contentAt + CONTENT_KEY.length);
  try {
    return JSON.parse(`${head}null,${bytes.toString("utf8", usageAt)}`);
  } catch {
    return undefined;
  }
}

function parseWhole(bytes: Buffer): unknown {
  try {
    return JSON.parse(bytes.toString("utf8"));
  } catch {
    return undefined;
  }
}

function parseSummary(buf: Buffer, from: number, to: number): LineResult {
  try {
    const value: unknown = JSON.parse(buf.toString("utf8", from, to));
    const summary = (value as { summary?: unknown }).summary;
    return typeof summary === "string" ? { kind: "summary", text: summary } : NONE;
  } catch {
    return { kind: "skip", reason: "malformed" };
  }
}

function startsWith(buf: Buffer, from: number, to: number, prefix: Buffer): boolean {
  return to - from >= prefix.length && buf.compare(prefix, 0, prefix.length, from, from + prefix.length) === 0;
}

function isSpace(byte: number): boolean {
  return byte === 0x20 || byte === 0x09 || byte === CR;
}
