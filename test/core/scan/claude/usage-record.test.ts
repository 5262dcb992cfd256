import { regexes } from "zod/v4/core";
import { UsageLineSchema } from "../../../../src/core/scan/claude/line-schema";
import { ISO_DATETIME, readUsageRecord } from "../../../../src/core/scan/claude/usage-record";

// The scan checks usage lines by hand (usage-record.ts) so it need not load zod; the schema stays the
// definition. Every value here must get the same verdict and the same numbers from both.

function fromSchema(value: Record<string, unknown>) {
  const parsed = UsageLineSchema.safeParse(value);
  if (!parsed.success) return null;
  const line = parsed.data;
  const u = line.message.usage;
  return {
    timestamp: line.timestamp,
    sessionId: line.sessionId,
    cwd: line.cwd,
    requestId: line.requestId,
    isApiErrorMessage: line.isApiErrorMessage === true,
    messageId: line.message.id,
    model: line.message.model,
    input: u.input_tokens,
    output: u.output_tokens,
    cacheRead: u.cache_read_input_tokens ?? 0,
    cacheWrite: u.cache_creation_input_tokens ?? 0,
  };
}

const base = {
  type: "assistant",
  timestamp: "2026-11-20T10:00:00.123Z",
  sessionId: "s1",
  cwd: "/work",
  requestId: "req_1",
  message: {
    id: "msg_1",
    model: "mimo-v2.5",
    usage: { input_tokens: 1, output_tokens: 2, cache_read_input_tokens: 3, cache_creation_input_tokens: 4 },
  },
};

type Variant = [string, (line: Record<string, unknown>) => void];

const odd: unknown[] = [undefined, null, 0, -1, 1.5, -0, 2 ** 53, NaN, Infinity, "1", "", true, false, [], {}, [1]];

function variants(): Variant[] {
  const out: Variant[] = [["as is", () => undefined]];
  const top = ["timestamp", "sessionId", "cwd", "requestId", "isApiErrorMessage", "message"];
  const message = ["id", "model", "usage"];
  const usage = ["input_tokens", "output_tokens", "cache_read_input_tokens", "cache_creation_input_tokens"];
  for (const value of odd) {
    for (const key of top) out.push([`${key} = ${String(value)}`, (l) => (l[key] = value)]);
    for (const key of message) out.push([`message.${key} = ${String(value)}`, (l) => (msg(l)[key] = value)]);
    for (const key of usage) out.push([`usage.${key} = ${String(value)}`, (l) => (use(l)[key] = value)]);
  }
  for (const key of [...top]) out.push([`no ${key}`, (l) => delete l[key]]);
  for (const key of message) out.push([`no message.${key}`, (l) => delete msg(l)[key]]);
  for (const key of usage) out.push([`no usage.${key}`, (l) => delete use(l)[key]]);
  out.push(["api error", (l) => (l.isApiErrorMessage = true)]);
  out.push(["not an api error", (l) => (l.isApiErrorMessage = false)]);
  out.push(["big count", (l) => (use(l).cache_read_input_tokens = Number.MAX_SAFE_INTEGER)]);
  return out;
}

function msg(line: Record<string, unknown>): Record<string, unknown> {
  return line.message as Record<string, unknown>;
}

function use(line: Record<string, unknown>): Record<string, unknown> {
  return msg(line).usage as Record<string, unknown>;
}

const timestamps = [
  "2026-11-20T10:00:00Z",
  "2026-11-20T10:00:00.1Z",
  "2026-11-20T10:00:00.123456789Z",
  "2026-11-20T10:00:00+08:00",
  "2026-11-20T10:00:00-23:59",
  "2024-02-29T00:00:00Z",
  "2023-02-29T00:00:00Z",
  "2000-02-29T00:00:00Z",
  "1900-02-29T00:00:00Z",
  "2026-04-31T00:00:00Z",
  "2026-11-20T24:00:00Z",
  "2026-11-20T10:00Z",
  "2026-11-20T10:00:60Z",
  "2026-11-20T10:00:00",
  "2026-11-20 10:00:00Z",
  "2026-11-20T10:00:00+24:00",
  "2026-11-20T10:00:00+0800",
  "2026-11-20T10:00:00.Z",
  "2026-11-20t10:00:00z",
  " 2026-11-20T10:00:00Z",
];

describe("usage line check", () => {
  it.each(variants())("agrees with UsageLineSchema: %s", (_name, change) => {
    const line = structuredClone(base) as Record<string, unknown>;
    change(line);
    expect(readUsageRecord(line)).toEqual(fromSchema(line));
  });

  it.each(timestamps)("agrees with UsageLineSchema on the timestamp %s", (timestamp) => {
    const line = { ...structuredClone(base), timestamp };
    expect(readUsageRecord(line)).toEqual(fromSchema(line));
  });

  it("uses zod's own datetime pattern", () => {
    expect(ISO_DATETIME.source).toBe(regexes.datetime({ offset: true, local: false, precision: null }).source);
  });
});
