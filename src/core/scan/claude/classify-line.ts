import { isUtf8 } from "node:buffer";
import { readUsageRecord, type UsageRecord } from "./usage-record";
import { containerEnd, depthAt } from "./value-end";
import type { SkipReason } from "../../usage-event";

/**
 * Classifying one transcript line from its bytes. Only lines that carry a `"usage":` key are
 * decoded and validated; other lines are checked for the shape of a JSON object so broken and
 * binary lines are still counted.
 */

export type LineResult =
  | { kind: "usage"; line: UsageRecord }
  | { kind: "summary"; text: string }
  | { kind: "skip"; reason: SkipReason }
  | { kind: "none" };

/**
 * Every line with a usage key holds these bytes (JSON allows space before the colon, so the key is
 * matched without it): lines without them are passed over without decoding or parsing.
 */
const USAGE_KEY = Buffer.from('"usage"');
/**
 * Claude Code writes user lines (tool results: most of a transcript's bytes) with this near the
 * start. Where it stands at the top level of the line, the line is a user line, which carries no
 * usage of ours, and its megabytes of tool output need no search for a usage key.
 */
const USER_LINE = Buffer.from('"type":"user","message":{"role":"user"');
const USER_HEAD_BYTES = 2048;
const SUMMARY_PREFIX = Buffer.from('{"type":"summary"');
const CONTENT_KEY = Buffer.from('"content":');
const NULL = Buffer.from("null");
/** Reused for every spliced line; grown for a longer one. */
let splice = Buffer.allocUnsafe(16 * 1024);
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const CR = 0x0d;

const NONE: LineResult = { kind: "none" };
const SKIPS = new Map<SkipReason, LineResult>(
  (["malformed", "invalidUtf8", "invalid", "apiError", "synthetic", "otherModel"] as const).map((reason) => [
    reason,
    { kind: "skip", reason },
  ]),
);

function skip(reason: SkipReason): LineResult {
  return SKIPS.get(reason) as LineResult;
}

export function classifyLine(buf: Buffer, from: number, to: number): LineResult {
  if (to > from && buf[to - 1] === CR) to--;
  while (from < to && isSpace(buf[from])) from++;
  if (from === to) return NONE;
  if (buf[from] !== OPEN_BRACE || buf[to - 1] !== CLOSE_BRACE) return skip("malformed");
  if (startsWith(buf, from, to, SUMMARY_PREFIX)) return parseSummary(buf, from, to);
  // Searched from the end: an assistant line's usage comes after its (large) content.
  if (to - from > USER_HEAD_BYTES && isUserLine(buf, from)) return NONE;
  const bytes = buf.subarray(from, to);
  // Searched from the end: an assistant line's usage comes after its content.
  if (bytes.lastIndexOf(USAGE_KEY) === -1) return NONE;
  return parseUsage(bytes);
}

function parseUsage(bytes: Buffer): LineResult {
  if (!isUtf8(bytes)) return skip("invalidUtf8");
  const value = parseWithoutContent(bytes) ?? parseWhole(bytes);
  if (value === undefined) return skip("malformed");
  // Other line types (progress, tool results of sub-agents) may nest a usage object, and so may an
  // assistant line without usage of its own: neither is a usage line.
  if (!hasMessageUsage(value)) return NONE;
  const line = readUsageRecord(value);
  if (!line) return skip("invalid");
  if (line.isApiErrorMessage) return skip("apiError");
  if (line.model === "<synthetic>") return skip("synthetic");
  return { kind: "usage", line };
}

/**
 * Parses the line with the message's content replaced by null. The content (thinking, tool inputs,
 * file bodies) is most of an assistant line's bytes and none of what we count. In valid JSON the bytes
 * `"content":` can only end a key, so what follows is a value; stepping over it by its brackets proves
 * the left-out bytes are that one whole value, and every other value parses exactly as in the whole
 * line — above all `message.usage`, wherever the line puts it and whatever else it nests. A line of
 * any other shape gives undefined here and is parsed whole.
 */
function parseWithoutContent(bytes: Buffer): unknown {
  const key = bytes.indexOf(CONTENT_KEY);
  if (key === -1) return undefined;
  let start = key + CONTENT_KEY.length;
  while (start < bytes.length && isSpace(bytes[start])) start++;
  const end = containerEnd(bytes, start, bytes.length);
  if (end === -1) return undefined;
  // The spliced line is assembled as bytes and decoded once: cheaper than joining two decoded halves.
  const length = start + NULL.length + (bytes.length - end);
  if (splice.length < length) splice = Buffer.allocUnsafe(Math.max(length, splice.length * 2));
  bytes.copy(splice, 0, 0, start);
  NULL.copy(splice, start);
  bytes.copy(splice, start + NULL.length, end);
  try {
    return JSON.parse(splice.toString("utf8", 0, length));
  } catch {
    return undefined;
  }
}

/**
 * Whether the line's top-level `type` is "user": the pattern must stand in the first bytes, outside
 * every string and directly inside the line's own braces (a nested copy, or one quoted in a string,
 * proves nothing). A line that repeats the key `type` is read by this first one.
 */
function isUserLine(buf: Buffer, from: number): boolean {
  const at = buf.subarray(from, from + USER_HEAD_BYTES).indexOf(USER_LINE);
  return at !== -1 && depthAt(buf, from, from + at) === 1;
}

function hasMessageUsage(value: unknown): value is Record<string, unknown> {
  if (!value || typeof value !== "object" || (value as { type?: unknown }).type !== "assistant") return false;
  const message = (value as { message?: unknown }).message;
  return typeof message === "object" && message !== null && Object.hasOwn(message, "usage");
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
    return skip("malformed");
  }
}

// A byte loop: nearly every line differs within a few bytes, and Buffer.compare's call costs more.
function startsWith(buf: Buffer, from: number, to: number, prefix: Buffer): boolean {
  if (to - from < prefix.length) return false;
  for (let i = 0; i < prefix.length; i++) if (buf[from + i] !== prefix[i]) return false;
  return true;
}

function isSpace(byte: number): boolean {
  return byte === 0x20 || byte === 0x09 || byte === CR;
}
