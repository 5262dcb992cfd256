/**
 * The verdicts of `UsageLineSchema` (line-schema.ts), checked by hand. Loading zod costs the command-line
 * scan about 30 ms of its start and a few microseconds per assistant line, and the scan worker must
 * stay small; test/core/scan/claude/usage-record.test.ts holds this check and the schema to the same verdicts.
 */

/** The fields of a valid assistant line that counting needs, with missing token counts as 0. */
export interface UsageRecord {
  timestamp: string;
  sessionId: string | undefined;
  cwd: string | undefined;
  requestId: string | undefined;
  isApiErrorMessage: boolean;
  messageId: string | undefined;
  model: string | undefined;
  input: number;
  output: number;
  cacheRead: number;
  cacheWrite: number;
}

// zod's `z.iso.datetime({ offset: true })`: RFC 3339 with seconds, a real calendar date, and Z or ±hh:mm.
const DATE =
  "(?:(?:\\d\\d[2468][048]|\\d\\d[13579][26]|\\d\\d0[48]|[02468][048]00|[13579][26]00)-02-29|\\d{4}-(?:(?:0[13578]|1[02])-(?:0[1-9]|[12]\\d|3[01])|(?:0[469]|11)-(?:0[1-9]|[12]\\d|30)|(?:02)-(?:0[1-9]|1\\d|2[0-8])))";
const TIME = "(?:[01]\\d|2[0-3]):[0-5]\\d:[0-5]\\d(?:\\.\\d+)?";
export const ISO_DATETIME = new RegExp(`^${DATE}T(?:${TIME}(?:Z|([+-](?:[01]\\d|2[0-3]):[0-5]\\d)))$`);

type Fields = Record<string, unknown>;

/** Checks a parsed line already known to be `type: "assistant"`; null when the schema rejects it. */
export function readUsageRecord(line: Fields): UsageRecord | null {
  const { timestamp, sessionId, cwd, requestId, isApiErrorMessage, message } = line;
  if (typeof timestamp !== "string" || !ISO_DATETIME.test(timestamp)) return null;
  if (!optionalString(sessionId) || !optionalString(cwd)) return null;
  // Claude Code writes `"requestId": null` on some lines: such a line counts, keyed as if it had none.
  if (requestId !== null && !optionalString(requestId)) return null;
  if (isApiErrorMessage !== undefined && typeof isApiErrorMessage !== "boolean") return null;
  if (!isObject(message) || !optionalString(message.id) || !optionalString(message.model)) return null;
  const usage = message.usage;
  if (!isObject(usage)) return null;
  const input = tokenCount(usage.input_tokens);
  const output = tokenCount(usage.output_tokens);
  // The cache counts may also be null, which counts as 0 like a missing one.
  const cacheRead = usage.cache_read_input_tokens === null ? 0 : tokenCount(usage.cache_read_input_tokens);
  const cacheWrite = usage.cache_creation_input_tokens === null ? 0 : tokenCount(usage.cache_creation_input_tokens);
  if (input < 0 || output < 0 || cacheRead < 0 || cacheWrite < 0) return null;
  return {
    timestamp,
    sessionId: sessionId as string | undefined,
    cwd: cwd as string | undefined,
    requestId: (requestId ?? undefined) as string | undefined,
    isApiErrorMessage: isApiErrorMessage === true,
    messageId: message.id as string | undefined,
    model: message.model as string | undefined,
    input,
    output,
    cacheRead,
    cacheWrite,
  };
}

function optionalString(value: unknown): boolean {
  return value === undefined || typeof value === "string";
}

function isObject(value: unknown): value is Fields {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** A token count: a missing one is 0; anything but a non-negative safe integer gives -1. */
function tokenCount(value: unknown): number {
  if (value === undefined) return 0;
  return typeof value === "number" && Number.isSafeInteger(value) && value >= 0 ? value : -1;
}
