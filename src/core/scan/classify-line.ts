import { isUtf8 } from "node:buffer";
import { readUsageRecord, type UsageRecord } from "./usage-record";

/**
 * Classifying one transcript line from its bytes. Only lines that carry a `"usage":` key are
 * decoded and validated; other lines are checked for the shape of a JSON object so broken and
 * binary lines are still counted.
 */

export type SkipReason = "malformed" | "invalidUtf8" | "invalid" | "apiError" | "synthetic" | "otherModel";

export type LineResult =
  | { kind: "usage"; line: UsageRecord }
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
const CONTENT_KEY = Buffer.from('"content":');
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
  if (to - from > HEAD_BYTES && buf.subarray(from, from + HEAD_BYTES).includes(USER_LINE)) return NONE;
  const bytes = buf.subarray(from, to);
  // The message's usage sits near the end of the line, after its (large) content.
  const usageAt = bytes.lastIndexOf(USAGE_KEY);
  return usageAt === -1 ? NONE : parseUsage(bytes, usageAt);
}

function parseUsage(bytes: Buffer, usageAt: number): LineResult {
  if (!isUtf8(bytes)) return skip("invalidUtf8");
  const value = parseWithoutContent(bytes, usageAt) ?? parseWhole(bytes);
  if (value === undefined) return skip("malformed");
  // Other line types (progress, tool results of sub-agents) may nest a usage object: not ours.
  if (!value || typeof value !== "object" || (value as { type?: unknown }).type !== "assistant") return NONE;
  const line = readUsageRecord(value as Record<string, unknown>);
  if (!line) return skip("invalid");
  if (line.isApiErrorMessage) return skip("apiError");
  if (line.model === "<synthetic>") return skip("synthetic");
  return { kind: "usage", line };
}

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
