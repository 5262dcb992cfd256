import { createHash } from "../../hashing";
import fs from "node:fs";
import * as z from "zod";
import { decompressZstd } from "./zstd";

/**
 * Reading only the lines appended to a JSONL log since the last read. The position remembers the
 * offset just past the last complete line and a hash of the file's first bytes, so a file that was
 * replaced or rewritten (shorter, or different at its start) is read again from the beginning.
 */

export const JsonlPositionSchema = z.object({
  offset: z.number().int().nonnegative(),
  head: z.string(),
  /** Identity, size and mtime at the last read: a file that still matches is not even opened. */
  stamp: z.string().default(""),
});
export type JsonlPosition = z.infer<typeof JsonlPositionSchema>;

export interface JsonlRead {
  position: JsonlPosition;
  /** True when the file was read from its start although a position was given. */
  restarted: boolean;
}

const HEAD_BYTES = 4096;
const CHUNK_BYTES = 1 << 20;
const NEWLINE = 0x0a;

/**
 * Calls `onLine` with each complete line after `position` that contains at least one of `wanted`
 * (all lines when `wanted` is empty). Bytes after the last newline belong to a line still being
 * written and are left for the next read.
 */
export function readAppendedLines(
  file: string,
  position: JsonlPosition | null,
  wanted: readonly Buffer[],
  onLine: (line: string) => void,
): JsonlRead {
  const unchanged = position !== null && position.stamp !== "" && stampOf(fs.statSync(file)) === position.stamp;
  if (unchanged) return { position, restarted: false };
  const fd = fs.openSync(file, "r");
  try {
    const stats = fs.fstatSync(fd);
    const size = stats.size;
    const resumable = position !== null && position.offset <= size && headHash(fd, position.offset) === position.head;
    const from = resumable ? position.offset : 0;
    const end = forEachLine(fd, from, size, (line) => {
      if (wanted.length === 0 || wanted.some((needle) => line.includes(needle))) onLine(line.toString("utf8"));
    });
    return {
      position: { offset: end, head: headHash(fd, end), stamp: stampOf(stats) },
      restarted: position !== null && !resumable,
    };
  } finally {
    fs.closeSync(fd);
  }
}

/** Walks complete lines from `from` to `size`; returns the offset just past the last newline. */
function forEachLine(fd: number, from: number, size: number, onLine: (line: Buffer) => void): number {
  let carry: Buffer[] = [];
  let carryStart = from;
  let position = from;
  const chunk = Buffer.allocUnsafe(CHUNK_BYTES);
  while (position < size) {
    const read = fs.readSync(fd, chunk, 0, Math.min(CHUNK_BYTES, size - position), position);
    if (read === 0) break;
    let start = 0;
    for (let i = chunk.indexOf(NEWLINE, 0); i !== -1 && i < read; i = chunk.indexOf(NEWLINE, i + 1)) {
      const piece = chunk.subarray(start, i);
      const line = carry.length === 0 ? piece : Buffer.concat([...carry, piece]);
      carry = [];
      if (line.length > 0) onLine(line);
      start = i + 1;
      carryStart = position + start;
    }
    // Copy the tail: the chunk buffer is reused for the next read.
    if (start < read) carry.push(Buffer.from(chunk.subarray(start, read)));
    position += read;
  }
  return carryStart;
}

/** A file's identity, size and modification time, to tell whether it changed since a read. */
export function stampOf(stats: fs.Stats): string {
  return `${stats.dev}:${stats.ino}:${stats.size}:${stats.mtimeMs}`;
}

function headHash(fd: number, upTo: number): string {
  const length = Math.min(HEAD_BYTES, upTo);
  if (length === 0) return "";
  const buffer = Buffer.alloc(length);
  fs.readSync(fd, buffer, 0, length, 0);
  return createHash("sha1").update(buffer).digest("hex");
}

/** Parses a line as a JSON object; null when it is not one. */
export function parseObject(line: string): Record<string, unknown> | null {
  try {
    const value: unknown = JSON.parse(line);
    return typeof value === "object" && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : null;
  } catch {
    return null;
  }
}

/**
 * The most a compressed log may unpack to. It is held whole while it is read; a compressed Codex
 * rollout is one finished session, and a larger one is named and passed over rather than risked.
 */
export const MAX_UNPACKED_BYTES = 256 * 1024 * 1024;

export interface CompressedRead {
  position: JsonlPosition;
  /** The file is the same as at the last read: nothing was read. */
  unchanged: boolean;
  /** Why the file could not be read (it is not read again until it changes), or null. */
  problem: string | null;
}

/**
 * Calls `onLine` with every line of a Zstandard-compressed log that contains one of `wanted`. Such
 * a file is written whole and never appended to, so it is read from its start whenever its stamp
 * changed, and not opened at all while the stamp is the same.
 */
export function readCompressedLines(
  file: string,
  position: JsonlPosition | null,
  wanted: readonly Buffer[],
  onLine: (line: string) => void,
  maxBytes = MAX_UNPACKED_BYTES,
): CompressedRead {
  const stats = fs.statSync(file);
  const stamp = stampOf(stats);
  if (position !== null && position.stamp === stamp) return { position, unchanged: true, problem: null };
  const done = (offset: number, problem: string | null): CompressedRead => ({
    position: { offset, head: "", stamp },
    unchanged: false,
    problem,
  });
  if (stats.size > maxBytes) return done(0, `it is larger than ${Math.round(maxBytes / (1024 * 1024))} MB`);
  const unpacked = decompressZstd(fs.readFileSync(file), maxBytes);
  if (!unpacked.ok) return done(0, unpacked.reason);
  forEachLineOf(unpacked.bytes, wanted, onLine);
  return done(unpacked.bytes.length, null);
}

/** Every line of a whole buffer (the last one need not end with a newline) holding one of `wanted`. */
export function forEachLineOf(bytes: Buffer, wanted: readonly Buffer[], onLine: (line: string) => void): void {
  let start = 0;
  while (start < bytes.length) {
    let end = bytes.indexOf(NEWLINE, start);
    if (end === -1) end = bytes.length;
    const line = bytes.subarray(start, end);
    if (line.length > 0 && (wanted.length === 0 || wanted.some((needle) => line.includes(needle))))
      onLine(line.toString("utf8"));
    start = end + 1;
  }
}
