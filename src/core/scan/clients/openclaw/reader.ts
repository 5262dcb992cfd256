import path from "node:path";
import * as z from "zod";
import {
  forEachLineOf,
  MAX_UNPACKED_BYTES,
  parseObject,
  readAppendedLines,
  readCompressedLines,
  type JsonlPosition,
} from "../jsonl";
import type { OpenClawSources } from "./paths";
import {
  DatabaseCursorSchema,
  type Event,
  EventSchema,
  FileCursorSchema,
  type OpenClawCursor,
  type SessionState,
} from "./schema";
import { isMimoRequest } from "../mimo-rule";
import {
  emptyStoreCheck,
  columnsOf,
  databaseStamp,
  openReadOnly,
  sqlInt,
  sqliteProblem,
  sqlText,
  type SqliteHandle,
  type SqliteOptions,
} from "../sqlite";
import { decompressZstd } from "../zstd";
import { countSkip, epochMs, tokens, type ClientReadResult, type ClientUsageEvent, type SkipCounts } from "../types";

/**
 * OpenClaw keeps each session as an append-only event log: `agents/<agent>/sessions/<sid>.jsonl`
 * (renamed to `.jsonl.reset.<ts>` / `.jsonl.deleted.<ts>` when the session is reset or deleted,
 * and still counted), and in newer versions also as rows of `transcript_events` in the agent's
 * `openclaw-agent.sqlite`. A migrated session is in both places, so an event is keyed by session
 * and event id, the same from either source. Assistant messages carry `provider`, `model` and
 * `usage {input, output, cacheRead, cacheWrite}` (input without the cache); `model_change`
 * events and `model-snapshot` records name the model for messages that do not.
 *
 * From OpenClaw 2026.9.6 an event of 1 KiB or more that compresses well is kept Zstandard-compressed
 * in `transcript_events.event_zstd` with `event_json` NULL; a reset or deleted session leaves
 * `transcript_events` for a row of `session_transcript_archives` (its whole log, plain or zstd),
 * published beside the logs as `<sid>.jsonl.deleted.<ts>.zst`. All of them are read; the keys make
 * the copies count once.
 *
 * A change in what this reader makes of data it already read needs its number in
 * ../reader-versions.ts moved, or saved states keep what the old reading counted.
 */

export interface OpenClawReadOptions {
  sources: OpenClawSources;
  cursor: OpenClawCursor | null;
  sqlite?: SqliteOptions;
}

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
      result.problems.push(`OpenClaw: could not read ${file} (${(error as Error).message}).`);
      if (previous) result.cursor.files[file] = previous;
    }
  }
  for (const file of sources.databases) {
    const previous = DatabaseCursorSchema.parse(options.cursor?.databases[file] ?? { rowid: 0, sessions: {} });
    result.cursor.databases[file] = previous;
    const stamp = databaseStamp(file);
    if (previous.stamp !== "" && previous.stamp === stamp) continue;
    let db: SqliteHandle | null = null;
    const label = `OpenClaw's agent database ${file}`;
    try {
      db = await openReadOnly(file, options.sqlite);
      result.cursor.databases[file] = { ...(await readDatabase(db, file, previous, result)), stamp };
    } catch (error) {
      result.problems.push(
        error instanceof UnknownShape ? `${label} ${error.message}; it was not counted.` : sqliteProblem(label, error),
      );
    } finally {
      db?.close();
    }
  }
  return result;
}

/** A store this reader does not know how to read: named in the warnings, never counted as zero. */
class UnknownShape extends Error {}

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
  const compressed = file.endsWith(".zst");
  // A compressed archive is written whole: when it changed it is read again from its start.
  let state = previous && !compressed ? previous.state : EMPTY_STATE;
  const onLine = (text: string) => {
    state = applyLine(text, sessionId, state, null, events, skipped);
  };
  let position: JsonlPosition;
  if (compressed) {
    const read = readCompressedLines(file, previous, WANTED, onLine);
    if (read.unchanged && previous) return previous;
    if (read.problem) out.problems.push(`OpenClaw: ${file} was not read: ${read.problem}.`);
    position = read.position;
  } else {
    const read = readAppendedLines(file, previous, WANTED, onLine);
    if (read.restarted) return readLog(file, null, out);
    position = read.position;
  }
  out.events.push(...events);
  for (const [reason, count] of Object.entries(skipped)) countSkip(out.skipped, reason as keyof SkipCounts, count);
  return { ...position, state };
}

function applyLine(
  text: string,
  sessionId: string,
  state: SessionState,
  fallbackTime: number | null,
  events: ClientUsageEvent[],
  skipped: SkipCounts,
): SessionState {
  const parsed = EventSchema.safeParse(parseObject(text));
  if (!parsed.success) {
    if (text.includes('"usage"')) countSkip(skipped, "malformed");
    return state;
  }
  return applyEvent(parsed.data, sessionId, state, fallbackTime, events, skipped);
}

/** Events and archives are unpacked up to this size each; a larger one is named and passed over. */
const MAX_EVENT_BYTES = 64 * 1024 * 1024;

async function readDatabase(
  db: SqliteHandle,
  file: string,
  cursor: z.infer<typeof DatabaseCursorSchema>,
  out: ClientReadResult<OpenClawCursor>,
): Promise<Omit<z.infer<typeof DatabaseCursorSchema>, "stamp">> {
  const [events, archiveColumns] = await Promise.all([
    columnsOf(db, "transcript_events"),
    columnsOf(db, "session_transcript_archives"),
  ]);
  const plain = events.has("event_json");
  const packed = events.has("event_zstd");
  if (!events.has("session_id") || (!plain && !packed))
    throw new UnknownShape("has no transcript_events table in a shape OpenClaw is known to write");
  const sessions = { ...cursor.sessions };
  let rowid = cursor.rowid;
  let unreadable = 0;
  const label = `OpenClaw's agent database ${file}`;
  for (;;) {
    // Rows that can name a model or carry usage are fetched, and compressed ones (which cannot be
    // searched); other tool output stays in the database.
    const wanted = `instr(event_json, '"usage"') > 0 OR instr(event_json, 'model_change') > 0
        OR instr(event_json, 'model-snapshot') > 0 OR instr(event_json, '"session"') > 0`;
    const rows = await db.all(`
      SELECT rowid AS rid, session_id AS sessionId, ${plain ? "event_json" : "NULL"} AS event,
        ${packed ? "hex(event_zstd)" : "NULL"} AS packed, created_at AS createdAt
      FROM transcript_events
      WHERE rowid > ${sqlInt(rowid)} AND (${packed ? "event_zstd IS NOT NULL OR " : ""}${plain ? wanted : "0"})
      ORDER BY rowid LIMIT ${PAGE}`);
    for (const row of rows) {
      rowid = Number(row.rid);
      const sessionId = String(row.sessionId);
      let text = typeof row.event === "string" ? row.event : null;
      if (text === null && typeof row.packed === "string" && row.packed !== "") {
        const unpacked = decompressZstd(Buffer.from(row.packed, "hex"), MAX_EVENT_BYTES);
        if (unpacked.ok) text = unpacked.bytes.toString("utf8");
        else unreadable++;
      }
      if (text === null) continue;
      const createdAt = typeof row.createdAt === "number" ? row.createdAt : null;
      sessions[sessionId] = applyLine(
        text,
        sessionId,
        sessions[sessionId] ?? EMPTY_STATE,
        createdAt,
        out.events,
        out.skipped,
      );
    }
    if (rows.length < PAGE) break;
  }
  if (unreadable > 0)
    out.problems.push(
      `${label} has ${unreadable} compressed events that could not be unpacked; they were passed over.`,
    );
  const archives = archiveColumns.has("archive_blob")
    ? await readArchives(db, label, new Set(cursor.archives), sessions, out)
    : cursor.archives;
  const emptySize = await checkEmpty(db, file, cursor, archiveColumns.has("archive_blob"), out);
  return { rowid, sessions, archives, emptySize };
}

/**
 * Archived sessions not read before: each blob is the session's whole log (`encoding` identity or
 * zstd), read line by line under its session id.
 */
async function readArchives(
  db: SqliteHandle,
  label: string,
  done: Set<string>,
  sessions: Record<string, SessionState>,
  out: ClientReadResult<OpenClawCursor>,
): Promise<string[]> {
  const list = await db.all(
    "SELECT session_id AS sessionId, generation, encoding FROM session_transcript_archives ORDER BY created_at",
  );
  for (const entry of list) {
    const sessionId = String(entry.sessionId);
    const id = `${sessionId}\u0000${String(entry.generation)}`;
    if (done.has(id)) continue;
    const [row] = await db.all(
      `SELECT hex(archive_blob) AS blob FROM session_transcript_archives
       WHERE session_id = ${sqlText(sessionId)} AND generation = ${sqlText(String(entry.generation))}`,
    );
    const bytes = Buffer.from(typeof row?.blob === "string" ? row.blob : "", "hex");
    let text: Buffer | null = bytes;
    if (entry.encoding === "zstd") {
      const unpacked = decompressZstd(bytes, MAX_UNPACKED_BYTES);
      text = unpacked.ok ? unpacked.bytes : null;
      if (!unpacked.ok)
        out.problems.push(`${label}: the archive of session ${sessionId} was not read: ${unpacked.reason}.`);
    } else if (entry.encoding !== "identity") {
      text = null;
      out.problems.push(`${label}: the archive of session ${sessionId} is in an encoding this version does not read.`);
    }
    done.add(id);
    if (!text) continue;
    let state = sessions[sessionId] ?? EMPTY_STATE;
    forEachLineOf(text, WANTED, (line) => {
      state = applyLine(line, sessionId, state, null, out.events, out.skipped);
    });
  }
  return [...done];
}

/** No rows in the tables read while the file keeps growing: a shape this reader does not know. */
async function checkEmpty(
  db: SqliteHandle,
  file: string,
  cursor: z.infer<typeof DatabaseCursorSchema>,
  hasArchives: boolean,
  out: ClientReadResult<OpenClawCursor>,
): Promise<number> {
  const tables = ["transcript_events", ...(hasArchives ? ["session_transcript_archives"] : [])];
  const check = await emptyStoreCheck(db, file, tables, cursor.emptySize);
  if (check.growing)
    out.problems.push(
      `OpenClaw's agent database ${file} keeps growing but holds no events in the tables this version reads (${tables.join(", ")}); it may store them in a newer way, and they are not counted.`,
    );
  return check.emptySize;
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
