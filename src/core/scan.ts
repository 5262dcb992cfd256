import fg from "fast-glob";
import { promises as fs } from "node:fs";
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
    const entries = await fg("**/*.jsonl", {
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
    return (await fs.stat(dir)).isDirectory();
  } catch {
    return false;
  }
}

const CHUNK_BYTES = 1 << 20;
const NEWLINE = 0x0a;

export interface ReadResult {
  /** Offset just past the last complete line: where the next read starts. */
  end: number;
  bytesRead: number;
}

/**
 * Calls `onLine(buffer, start, end)` for every complete line from `start` on. The bytes after the
 * last newline are a line still being written and are left for the next read. Lines longer than a
 * chunk grow the buffer to fit them, and it shrinks back afterwards.
 */
export async function readLines(
  file: string,
  start: number,
  onLine: (buf: Buffer, from: number, to: number, hasUsageKey: boolean) => void,
): Promise<ReadResult> {
  const handle = await fs.open(file, "r");
  try {
    let buf: Buffer = Buffer.allocUnsafe(CHUNK_BYTES);
    let filled = 0;
    let position = start;
    let end = start;
    let bytesRead = 0;
    for (;;) {
      if (filled === buf.length) buf = grow(buf, filled);
      const read = (await handle.read(buf, filled, buf.length - filled, position)).bytesRead;
      if (read === 0) break;
      position += read;
      bytesRead += read;
      const scanFrom = filled;
      filled += read;
      let lineStart = 0;
      // One forward search for the usage key serves every line up to its match; searching per line
      // would rescan the same megabytes of tool output once for each line before it.
      let nextUsage = -1;
      let newline = buf.indexOf(NEWLINE, scanFrom);
      while (newline !== -1 && newline < filled) {
        if (nextUsage < lineStart) nextUsage = findWithin(buf, USAGE_KEY, lineStart, filled);
        onLine(buf, lineStart, newline, nextUsage < newline);
        lineStart = newline + 1;
        newline = buf.indexOf(NEWLINE, lineStart);
      }
      end += lineStart;
      buf.copy(buf, 0, lineStart, filled);
      filled -= lineStart;
      if (buf.length > CHUNK_BYTES && filled < CHUNK_BYTES) buf = shrink(buf, filled);
    }
    return { end, bytesRead };
  } finally {
    await handle.close();
  }
}

/** First match at or after `from` that ends before `limit`, or `limit` when there is none. */
function findWithin(buf: Buffer, needle: Buffer, from: number, limit: number): number {
  const at = buf.indexOf(needle, from);
  return at === -1 || at + needle.length > limit ? limit : at;
}

function grow(buf: Buffer, filled: number): Buffer {
  const bigger = Buffer.allocUnsafe(buf.length * 2);
  buf.copy(bigger, 0, 0, filled);
  return bigger;
}

function shrink(buf: Buffer, filled: number): Buffer {
  const smaller = Buffer.allocUnsafe(CHUNK_BYTES);
  buf.copy(smaller, 0, 0, filled);
  return smaller;
}

/** Reads the first bytes of a file, to tell an appended file from one rewritten in place. */
export async function readHead(file: string, length: number): Promise<Buffer> {
  const handle = await fs.open(file, "r");
  try {
    const buf = Buffer.alloc(length);
    const { bytesRead } = await handle.read(buf, 0, length, 0);
    return buf.subarray(0, bytesRead);
  } finally {
    await handle.close();
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
const SUMMARY_PREFIX = Buffer.from('{"type":"summary"');
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const CR = 0x0d;

const NONE: LineResult = { kind: "none" };

/**
 * Classifies one line. Only lines that carry a `"usage":` key are decoded and validated; other lines
 * are checked for the shape of a JSON object so broken and binary lines are still counted.
 */
export function classifyLine(buf: Buffer, from: number, to: number, hasUsageKey: boolean): LineResult {
  if (to > from && buf[to - 1] === CR) to--;
  while (from < to && isSpace(buf[from])) from++;
  if (from === to) return NONE;
  if (buf[from] !== OPEN_BRACE || buf[to - 1] !== CLOSE_BRACE) return { kind: "skip", reason: "malformed" };
  if (startsWith(buf, from, to, SUMMARY_PREFIX)) return parseSummary(buf, from, to);
  return hasUsageKey ? parseUsage(buf, from, to) : NONE;
}

function parseUsage(buf: Buffer, from: number, to: number): LineResult {
  const bytes = buf.subarray(from, to);
  if (!isUtf8(bytes)) return { kind: "skip", reason: "invalidUtf8" };
  let value: unknown;
  try {
    value = JSON.parse(bytes.toString("utf8"));
  } catch {
    return { kind: "skip", reason: "malformed" };
  }
  // Other line types (progress, tool results of sub-agents) may nest a usage object: not ours.
  if (!value || typeof value !== "object" || (value as { type?: unknown }).type !== "assistant") return NONE;
  const parsed = UsageLineSchema.safeParse(value);
  if (!parsed.success) return { kind: "skip", reason: "invalid" };
  const line = parsed.data;
  if (line.isApiErrorMessage) return { kind: "skip", reason: "apiError" };
  if (line.message.model === "<synthetic>") return { kind: "skip", reason: "synthetic" };
  return { kind: "usage", line };
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
