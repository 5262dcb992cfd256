import path from "node:path";
import * as z from "zod";
import { JsonlPositionSchema, parseObject, readAppendedLines } from "./jsonl";
import type { OpenClawSources } from "./locate";
import { isMimoRequest } from "./mimo-rule";
import { databaseStamp, openReadOnly, sqlInt, type SqliteHandle, type SqliteOptions } from "./sqlite";
import { countSkip, epochMs, tokens, type ClientReadResult, type ClientUsageEvent, type SkipCounts } from "./types";

/**
 * OpenClaw keeps each session as an append-only event log: `agents/<agent>/sessions/<sid>.jsonl`
 * (renamed to `.jsonl.reset.<ts>` / `.jsonl.deleted.<ts>` when the session is reset or deleted,
 * and still counted), and in newer versions also as rows of `transcript_events` in the agent's
 * `openclaw-agent.sqlite`. A migrated session is in both places, so an event is keyed by session
 * and event id, the same from either source. Assistant messages carry `provider`, `model` and
 * `usage {input, output, cacheRead, cacheWrite}` (input without the cache); `model_change`
 * events and `model-snapshot` records name the model for messages that do not.
 */

const SessionStateSchema = z.object({
  model: z.string().nullable(),
  provider: z.string().nullable(),
  project: z.string().nullable(),
});
type SessionState = z.infer<typeof SessionStateSchema>;

const FileCursorSchema = JsonlPositionSchema.extend({ state: SessionStateSchema });
const DatabaseCursorSchema = z.object({
  rowid: z.number().int(),
  sessions: z.record(z.string(), SessionStateSchema),
  /** The database's stamp at the last read: while it matches, nothing new was committed. */
  stamp: z.string().default(""),
});

export const OpenClawCursorSchema = z.object({
  files: z.record(z.string(), FileCursorSchema),
  databases: z.record(z.string(), DatabaseCursorSchema),
});
export type OpenClawCursor = z.infer<typeof OpenClawCursorSchema>;

export interface OpenClawReadOptions {
  sources: OpenClawSources;
  cursor: OpenClawCursor | null;
  sqlite?: SqliteOptions;
}

const ModelSourceSchema = z
  .object({ provider: z.string(), modelId: z.string(), model: z.string() })
  .partial()
  .catch({});

const UsageSchema = z
  .object({
    input: z.unknown(),
    output: z.unknown(),
    cacheRead: z.unknown(),
    cacheWrite: z.unknown(),
    totalTokens: z.unknown(),
  })
  .partial();

const EventSchema = z.object({
  type: z.string(),
  id: z.string().optional().catch(undefined),
  customType: z.string().optional().catch(undefined),
  timestamp: z.unknown().optional(),
  cwd: z.string().optional().catch(undefined),
  provider: z.string().optional().catch(undefined),
  modelId: z.string().optional().catch(undefined),
  model: z.string().optional().catch(undefined),
  data: ModelSourceSchema.optional(),
  message: z
    .object({
      role: z.string().optional(),
      provider: z.string().optional(),
      model: z.string().optional(),
      modelId: z.string().optional(),
      timestamp: z.unknown().optional(),
      usage: UsageSchema.optional(),
    })
    .optional()
    .catch(undefined),
});
type Event = z.infer<typeof EventSchema>;

const WANTED = ['"usage"', '"model_change"', '"model-snapshot"', '"session"'].map((text) => Buffer.from(text));
const PAGE = 2000;

const EMPTY_STATE: SessionState = { model: null, provider: null, project: null };

export async function readOpenClaw(options: OpenClawReadOptions): Promise<ClientReadResult<OpenClawCursor>> {
  const { sources } = options;
  const result: ClientReadResult<OpenClawCursor> = {
    events: [],
    cursor: { files: {}, databases: {} },
    skipped: {},
    problems: [],
  };
  for (const file of sources.logs) {
    const previous = options.cursor?.files[file] ?? null;
    try {
      result.cursor.files[file] = readLog(file, previous, result);
    } catch (error) {
      result.problems.push(`openclaw: could not read ${file}: ${(error as Error).message}`);
      if (previous) result.cursor.files[file] = previous;
    }
  }
  for (const file of sources.databases) {
    const previous = options.cursor?.databases[file] ?? { rowid: 0, sessions: {}, stamp: "" };
    result.cursor.databases[file] = previous;
    const stamp = databaseStamp(file);
    if (previous.stamp !== "" && previous.stamp === stamp) continue;
    let db: SqliteHandle | null = null;
    try {
      db = await openReadOnly(file, options.sqlite);
      result.cursor.databases[file] = { ...(await readDatabase(db, previous, result)), stamp };
    } catch (error) {
      result.problems.push(`openclaw: could not read ${file}: ${(error as Error).message}`);
    } finally {
      db?.close();
    }
  }
  return result;
}

/** `<sid>.jsonl`, `<sid>.jsonl.reset.<ts>` and `<sid>.jsonl.deleted.<ts>` all belong to session `<sid>`. */
export function sessionIdOf(file: string): string {
  const name = path.basename(file);
  const at = name.indexOf(".jsonl");
  return at > 0 ? name.slice(0, at) : name;
}

function readLog(
  file: string,
  previous: z.infer<typeof FileCursorSchema> | null,
  out: ClientReadResult<OpenClawCursor>,
): z.infer<typeof FileCursorSchema> {
  const sessionId = sessionIdOf(file);
  const events: ClientUsageEvent[] = [];
  const skipped: SkipCounts = {};
  let state = previous?.state ?? EMPTY_STATE;
  const read = readAppendedLines(file, previous, WANTED, (text) => {
    const parsed = EventSchema.safeParse(parseObject(text));
    if (!parsed.success) {
      if (text.includes('"usage"')) countSkip(skipped, "malformed");
      return;
    }
    state = applyEvent(parsed.data, sessionId, state, null, events, skipped);
  });
  if (read.restarted) return readLog(file, null, out);
  out.events.push(...events);
  for (const [reason, count] of Object.entries(skipped)) countSkip(out.skipped, reason as keyof SkipCounts, count);
  return { ...read.position, state };
}

async function readDatabase(
  db: SqliteHandle,
  cursor: z.infer<typeof DatabaseCursorSchema>,
  out: ClientReadResult<OpenClawCursor>,
): Promise<z.infer<typeof DatabaseCursorSchema>> {
  const sessions = { ...cursor.sessions };
  let rowid = cursor.rowid;
  for (;;) {
    // Only rows that can name a model or carry usage are fetched; tool output stays in the database.
    const rows = await db.all(`
      SELECT rowid AS rid, session_id AS sessionId, event_json AS event, created_at AS createdAt
      FROM transcript_events
      WHERE rowid > ${sqlInt(rowid)} AND (instr(event_json, '"usage"') > 0 OR instr(event_json, 'model_change') > 0
        OR instr(event_json, 'model-snapshot') > 0 OR instr(event_json, '"session"') > 0)
      ORDER BY rowid LIMIT ${PAGE}`);
    for (const row of rows) {
      rowid = Number(row.rid);
      const sessionId = String(row.sessionId);
      const parsed = EventSchema.safeParse(typeof row.event === "string" ? parseObject(row.event) : null);
      if (!parsed.success) {
        if (String(row.event).includes('"usage"')) countSkip(out.skipped, "malformed");
        continue;
      }
      const createdAt = typeof row.createdAt === "number" ? row.createdAt : null;
      sessions[sessionId] = applyEvent(
        parsed.data,
        sessionId,
        sessions[sessionId] ?? EMPTY_STATE,
        createdAt,
        out.events,
        out.skipped,
      );
    }
    if (rows.length < PAGE) return { rowid, sessions, stamp: "" };
  }
}

function applyEvent(
  event: Event,
  sessionId: string,
  state: SessionState,
  fallbackTime: number | null,
  events: ClientUsageEvent[],
  skipped: SkipCounts,
): SessionState {
  if (event.type === "session") return { ...state, project: event.cwd ?? state.project };
  if (event.type === "model_change" || (event.type === "custom" && event.customType === "model-snapshot")) {
    const source = event.data && Object.keys(event.data).length > 0 ? event.data : event;
    return {
      ...state,
      model: source.modelId ?? source.model ?? state.model,
      provider: source.provider ?? state.provider,
    };
  }
  const message = event.message;
  if (event.type !== "message" || message?.role !== "assistant" || !message.usage) return state;
  const model = message.modelId ?? message.model ?? state.model;
  const provider = message.provider ?? state.provider;
  if (!model) {
    countSkip(skipped, "noModel");
    return state;
  }
  if (!isMimoRequest({ providerId: provider, model })) {
    countSkip(skipped, "notMimo");
    return state;
  }
  const usage = message.usage;
  const counts = {
    input: tokens(usage.input),
    output: tokens(usage.output),
    cacheRead: tokens(usage.cacheRead),
    cacheWrite: tokens(usage.cacheWrite),
  };
  // Some providers report only a total; it is all output then, as nothing says otherwise.
  if (counts.input + counts.output + counts.cacheRead + counts.cacheWrite === 0)
    counts.output = tokens(usage.totalTokens);
  if (counts.input + counts.output + counts.cacheRead + counts.cacheWrite === 0) {
    countSkip(skipped, "noUsage");
    return state;
  }
  const timestamp = epochMs(message.timestamp) ?? epochMs(event.timestamp) ?? fallbackTime;
  if (timestamp === null) {
    countSkip(skipped, "malformed");
    return state;
  }
  const key = event.id
    ? `openclaw:${sessionId}:${event.id}`
    : `openclaw:${sessionId}:${timestamp}:${model}:${counts.input}:${counts.output}:${counts.cacheRead}:${counts.cacheWrite}`;
  events.push({ client: "openclaw", key, sessionId, project: state.project, model, timestamp, ...counts });
  return state;
}
