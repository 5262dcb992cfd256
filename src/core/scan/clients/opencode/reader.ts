import fs from "node:fs";
import path from "node:path";
import * as z from "zod";
import { listDir } from "../paths";
import type { OpenCodeSources } from "./paths";
import {
  type DatabaseCursor,
  DatabaseCursorSchema,
  LegacyMessageSchema,
  LegacyPartSchema,
  LegacySessionSchema,
  LegacyTokensSchema,
  MessageRowSchema,
  type OpenCodeCursor,
  StepRowSchema,
  type TokenFields,
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
import {
  CLIENT_TITLES,
  countSkip,
  epochMs,
  tokens,
  type ClientReadResult,
  type ClientUsageEvent,
  type SkipCounts,
} from "../types";

/**
 * OpenCode and Kilo (the same schema): every API request is a `step-finish` part with its own
 * tokens. The assistant message's `tokens` are overwritten by each step, so a tool loop of five
 * requests leaves one request's tokens on the message; counting messages (as ccusage does) loses
 * the other four. So steps are counted, each at its own time, and a message's tokens only when it
 * has no step part at all (sessions from before step parts existed).
 *
 * OpenCode 2 (and Kilo, built on it) keeps each assistant message as one row of `session_message`
 * (`type = 'assistant'`, `data.model.{id, providerID}`, `data.tokens`, `data.time`), one row per
 * request, with no parts; `message`/`part` are still read for everything written before.
 *
 * Token fields: `input` already excludes the cache, `reasoning` is separate from `output` and is
 * billed as output, so it is added to it. Before OpenCode's fix #21047 `output` already held the
 * reasoning and `reasoning` repeated it; `tokens.total` tells the two apart (see `outputOf`).
 *
 * A change in what this reader makes of data it already read needs its number in
 * ../reader-versions.ts moved, or saved states keep what the old reading counted.
 */

export interface OpenCodeReadOptions {
  sources: OpenCodeSources;
  cursor: OpenCodeCursor | null;
  /** Epoch ms; a message unfinished for longer than STALE_MS is settled as it stands. */
  now: number;
  sqlite?: SqliteOptions;
}

/** A message still without `time.completed` after this long was abandoned (a crash, a kill). */
const STALE_MS = 6 * 60 * 60 * 1000;

const TOKEN_COLUMNS = (alias: string) => `
  json_extract(${alias}.data, '$.tokens.total') AS total,
  json_extract(${alias}.data, '$.tokens.input') AS input,
  json_extract(${alias}.data, '$.tokens.output') AS output,
  json_extract(${alias}.data, '$.tokens.reasoning') AS reasoning,
  json_extract(${alias}.data, '$.tokens.cache.read') AS cacheRead,
  json_extract(${alias}.data, '$.tokens.cache.write') AS cacheWrite`;

/**
 * The columns every assistant-message read selects, from a `message` (v1) or `session_message` (v2)
 * row `m` joined to its session `s`; the two tables differ only in where the model is named.
 */
const MESSAGE_COLUMNS = (model: { id: string; provider: string }, project: string) => `
  m.id AS id, m.session_id AS sessionId, m.time_created AS rowCreated,
  json_extract(m.data, '$.time.created') AS created, json_extract(m.data, '$.time.completed') AS completed,
  json_type(m.data, '$.error') AS failed, ${TOKEN_COLUMNS("m")},
  json_extract(m.data, '${model.id}') AS model, json_extract(m.data, '${model.provider}') AS provider,
  ${project} AS project`;

// instr() finds the word far faster than JSON can be parsed; json_extract() then confirms it.
const IS_STEP = (alias: string) =>
  `instr(${alias}.data, '"step-finish"') > 0 AND json_extract(${alias}.data, '$.type') = 'step-finish'`;

export async function readOpenCode(options: OpenCodeReadOptions): Promise<ClientReadResult<OpenCodeCursor>> {
  const { sources } = options;
  const previous = options.cursor ?? { databases: {}, legacyMtime: 0 };
  const result: ClientReadResult<OpenCodeCursor> = {
    events: [],
    cursor: { databases: {}, legacyMtime: previous.legacyMtime },
    skipped: {},
    problems: [],
  };
  const handles = new Map<string, SqliteHandle>();
  const title = CLIENT_TITLES[sources.client];
  // A database that could not be read this time: its problem is said once, and the legacy files,
  // which need its answer, wait with it for the next refresh.
  let failed = false;
  try {
    for (const file of sources.databases) {
      const start = DatabaseCursorSchema.parse(
        previous.databases[file] ?? {
          stepAt: -1,
          stepId: "",
          settledAt: -1,
          settledId: "",
        },
      );
      result.cursor.databases[file] = start;
      const stamp = databaseStamp(file);
      if (start.stamp !== "" && start.stamp === stamp) continue;
      const label = `${title}'s database ${file}`;
      try {
        const db = await openReadOnly(file, options.sqlite);
        handles.set(file, db);
        const { waiting, ...read } = await readDatabase(db, file, sources.client, start, options.now, result);
        result.cursor.databases[file] = { ...read, stamp: waiting ? "" : stamp };
      } catch (error) {
        failed = true;
        result.problems.push(
          error instanceof UnknownShape
            ? `${label} ${error.message}; it was not counted.`
            : sqliteProblem(label, error),
        );
      }
    }
    if (sources.legacyDir && !failed) {
      // Every database is asked which legacy messages it holds, also one skipped above as unchanged.
      const open = async (file: string) => {
        const db = handles.get(file) ?? (await openReadOnly(file, options.sqlite));
        handles.set(file, db);
        return db;
      };
      try {
        const databases = await Promise.all(sources.databases.map(open));
        result.cursor.legacyMtime = await readLegacy(
          sources.legacyDir,
          sources.client,
          previous.legacyMtime,
          databases,
          result,
        );
      } catch (error) {
        // Without the database's answer a migrated message could count twice: wait for next time.
        result.problems.push(sqliteProblem(`${title}'s older message files (beside its database)`, error));
      }
    }
  } finally {
    for (const db of handles.values()) db.close();
  }
  return result;
}

/** A store this reader does not know how to read: named in the warnings, never counted as zero. */
class UnknownShape extends Error {}

async function readDatabase(
  db: SqliteHandle,
  file: string,
  client: "opencode" | "kilo",
  cursor: DatabaseCursor,
  now: number,
  out: ClientReadResult<OpenCodeCursor>,
): Promise<Omit<DatabaseCursor, "stamp"> & { waiting: boolean }> {
  const [part, message, session, v2] = await Promise.all([
    columnsOf(db, "part"),
    columnsOf(db, "message"),
    columnsOf(db, "session"),
    columnsOf(db, "session_message"),
  ]);
  const hasV1 = part.has("data") && message.has("data");
  const hasV2 = v2.has("data") && v2.has("type") && v2.has("time_created");
  if (!hasV1 && !hasV2)
    throw new UnknownShape("has none of the tables OpenCode keeps messages in (message and part, or session_message)");
  // The working folder lives on the session row in current versions; older ones have none.
  const project = session.has("directory") ? "s.directory" : "NULL";
  let next: Omit<DatabaseCursor, "stamp"> & { waiting: boolean } = { ...cursor, waiting: false };
  if (hasV1) {
    const steps = await readSteps(db, client, cursor, project, out);
    const settled = await readUnsteppedMessages(db, client, cursor, project, now, out);
    next = { ...next, ...steps, ...settled };
  }
  if (hasV2) {
    const settled = await readV2Messages(db, client, cursor, project, hasV1, now, out);
    next = { ...next, v2At: settled.settledAt, v2Id: settled.settledId, waiting: next.waiting || settled.waiting };
  }
  next.emptySize = await checkEmpty(db, file, cursor, hasV1, hasV2, out, client);
  return next;
}

/**
 * A database whose message tables hold no row while the file goes on growing is being written in a
 * shape this reader does not know (a newer OpenCode): said once, instead of counting zero in silence.
 */
async function checkEmpty(
  db: SqliteHandle,
  file: string,
  cursor: DatabaseCursor,
  hasV1: boolean,
  hasV2: boolean,
  out: ClientReadResult<OpenCodeCursor>,
  client: "opencode" | "kilo",
): Promise<number> {
  const probes = [...(hasV1 ? ["message"] : []), ...(hasV2 ? ["session_message"] : [])];
  const check = await emptyStoreCheck(db, file, probes, cursor.emptySize);
  if (check.growing)
    out.problems.push(
      `${CLIENT_TITLES[client]}'s database ${file} keeps growing but holds no messages in the tables this version reads (${probes.join(", ")}); it may store them in a newer way, and they are not counted.`,
    );
  return check.emptySize;
}

async function readSteps(
  db: SqliteHandle,
  client: "opencode" | "kilo",
  cursor: DatabaseCursor,
  project: string,
  out: ClientReadResult<OpenCodeCursor>,
): Promise<Pick<DatabaseCursor, "stepAt" | "stepId">> {
  let last = { stepAt: cursor.stepAt, stepId: cursor.stepId };
  // One pass without ORDER BY: sorting or paging would scan the table again for every page. The
  // cheap tests come first, so rows already read or of another type are passed over unparsed.
  await db.each(
    `SELECT p.id AS id, p.session_id AS sessionId, p.time_created AS at, ${TOKEN_COLUMNS("p")},
      json_extract(m.data, '$.modelID') AS model, json_extract(m.data, '$.providerID') AS provider,
      ${project} AS project
    FROM part p LEFT JOIN message m ON m.id = p.message_id LEFT JOIN session s ON s.id = p.session_id
    WHERE ${after("p", cursor.stepAt, cursor.stepId)} AND ${IS_STEP("p")}`,
    (raw) => {
      const row = StepRowSchema.safeParse(raw);
      if (!row.success) {
        countSkip(out.skipped, "malformed");
        return;
      }
      const { id, at } = row.data;
      if (at > last.stepAt || (at === last.stepAt && id > last.stepId)) last = { stepAt: at, stepId: id };
      const event = toEvent(client, `${client}:step:${id}`, row.data, at, out.skipped);
      if (event) out.events.push(event);
    },
  );
  return last;
}

/** Rows after (at, id) in (time_created, id) order. */
function after(alias: string, at: number, id: string): string {
  return `(${alias}.time_created > ${sqlInt(at)} OR (${alias}.time_created = ${sqlInt(at)} AND ${alias}.id > ${sqlText(id)}))`;
}

type Mark = { at: number; id: string };
const before = (a: Mark, b: Mark) => a.at < b.at || (a.at === b.at && a.id < b.id);

/**
 * Assistant messages with no step part: counted by their own tokens once they are complete. One
 * still being written is skipped, and the settled mark stays before it so it is read again.
 */
async function readUnsteppedMessages(
  db: SqliteHandle,
  client: "opencode" | "kilo",
  cursor: DatabaseCursor,
  project: string,
  now: number,
  out: ClientReadResult<OpenCodeCursor>,
): Promise<Pick<DatabaseCursor, "settledAt" | "settledId"> & { waiting: boolean }> {
  return readSettled(
    db,
    `SELECT ${MESSAGE_COLUMNS({ id: "$.modelID", provider: "$.providerID" }, project)}
    FROM message m LEFT JOIN session s ON s.id = m.session_id
    WHERE ${after("m", cursor.settledAt, cursor.settledId)} AND json_extract(m.data, '$.role') = 'assistant'
      AND NOT EXISTS (SELECT 1 FROM part p WHERE p.message_id = m.id AND ${IS_STEP("p")})`,
    { at: cursor.settledAt, id: cursor.settledId },
    (id) => `${client}:message:${id}`,
    client,
    now,
    out,
  );
}

/**
 * OpenCode 2's assistant messages (`session_message`, one request each). A version that still
 * writes `message` too holds the same message there under the same id: that one counts instead.
 */
async function readV2Messages(
  db: SqliteHandle,
  client: "opencode" | "kilo",
  cursor: DatabaseCursor,
  project: string,
  hasV1: boolean,
  now: number,
  out: ClientReadResult<OpenCodeCursor>,
): Promise<Pick<DatabaseCursor, "settledAt" | "settledId"> & { waiting: boolean }> {
  return readSettled(
    db,
    `SELECT ${MESSAGE_COLUMNS({ id: "$.model.id", provider: "$.model.providerID" }, project)}
    FROM session_message m LEFT JOIN session s ON s.id = m.session_id
    WHERE ${after("m", cursor.v2At, cursor.v2Id)} AND m.type = 'assistant'
      ${hasV1 ? "AND NOT EXISTS (SELECT 1 FROM message o WHERE o.id = m.id)" : ""}`,
    { at: cursor.v2At, id: cursor.v2Id },
    (id) => `${client}:message:${id}`,
    client,
    now,
    out,
  );
}

/** Reads messages after `from`, counting finished ones and settling up to the first unfinished one. */
async function readSettled(
  db: SqliteHandle,
  sql: string,
  from: Mark,
  keyOf: (id: string) => string,
  client: "opencode" | "kilo",
  now: number,
  out: ClientReadResult<OpenCodeCursor>,
): Promise<{ settledAt: number; settledId: string; waiting: boolean }> {
  const finished: { mark: Mark; event: ClientUsageEvent | null }[] = [];
  let firstWaiting: Mark | null = null;
  await db.each(sql, (raw) => {
    const row = MessageRowSchema.safeParse(raw);
    if (!row.success) {
      countSkip(out.skipped, "malformed");
      return;
    }
    const message = row.data;
    const mark = { at: message.rowCreated, id: message.id };
    const created = epochMs(message.created) ?? message.rowCreated;
    if (message.completed == null && message.failed == null && now - created <= STALE_MS) {
      countSkip(out.skipped, "incomplete");
      if (!firstWaiting || before(mark, firstWaiting)) firstWaiting = mark;
      return;
    }
    finished.push({ mark, event: toEvent(client, keyOf(message.id), message, created, out.skipped) });
  });
  // Settled up to the last finished message before the first one still being written.
  let settled: Mark = from;
  for (const { mark, event } of finished) {
    if (event) out.events.push(event);
    if ((!firstWaiting || before(mark, firstWaiting)) && before(settled, mark)) settled = mark;
  }
  return { settledAt: settled.at, settledId: settled.id, waiting: firstWaiting !== null };
}

interface Origin extends TokenFields {
  sessionId: string;
  model?: string | null;
  provider?: string | null;
  project?: string | null;
}

function toEvent(
  client: "opencode" | "kilo",
  key: string,
  row: Origin,
  timestamp: number,
  skipped: SkipCounts,
): ClientUsageEvent | null {
  if (!row.model) {
    countSkip(skipped, "noModel");
    return null;
  }
  if (!isMimoRequest({ providerId: row.provider, model: row.model })) {
    countSkip(skipped, "notMimo");
    return null;
  }
  const input = tokens(row.input);
  const output = outputOf(row);
  const cacheRead = tokens(row.cacheRead);
  const cacheWrite = tokens(row.cacheWrite);
  if (input + output + cacheRead + cacheWrite === 0) {
    countSkip(skipped, "noUsage");
    return null;
  }
  return {
    client,
    key,
    sessionId: row.sessionId,
    project: row.project ?? null,
    model: row.model,
    timestamp,
    input,
    output,
    cacheRead,
    cacheWrite,
  };
}

/**
 * Output with reasoning, counted once. Since OpenCode's fix #21047 `output` excludes the reasoning
 * and `total` = input + output + reasoning + cache read + cache write; before it, `output` already
 * held the reasoning, `reasoning` repeated it, and `total` = input + output + cache. A row whose
 * total is the second sum is of the older kind; any other row (no total, or one caught mid-stream)
 * is read as the current writer writes it.
 */
export function outputOf(row: TokenFields): number {
  const output = tokens(row.output);
  const reasoning = tokens(row.reasoning);
  if (reasoning === 0 || typeof row.total !== "number") return output + reasoning;
  const base = tokens(row.input) + output + tokens(row.cacheRead) + tokens(row.cacheWrite);
  return row.total === base ? output : output + reasoning;
}

// ---- Legacy JSON (storage/message/<session>/<message>.json, storage/part/<message>/<part>.json) ----

function flatTokens(value: z.infer<typeof LegacyTokensSchema> | undefined): TokenFields {
  return {
    total: typeof value?.total === "number" ? value.total : null,
    input: tokens(value?.input),
    output: tokens(value?.output),
    reasoning: tokens(value?.reasoning),
    cacheRead: tokens(value?.cache?.read),
    cacheWrite: tokens(value?.cache?.write),
  };
}

/**
 * The JSON files OpenCode wrote before its database. Only messages the database does not hold are
 * read (a migrated message is in both); files are read once, then again only when modified.
 */
async function readLegacy(
  storage: string,
  client: "opencode" | "kilo",
  since: number,
  databases: SqliteHandle[],
  out: ClientReadResult<OpenCodeCursor>,
): Promise<number> {
  const files: { file: string; mtime: number }[] = [];
  const messages = path.join(storage, "message");
  for (const session of listDir(messages)) {
    for (const name of listDir(path.join(messages, session))) {
      if (!name.endsWith(".json")) continue;
      const file = path.join(messages, session, name);
      const mtime = mtimeOf(file);
      if (mtime !== null && mtime > since) files.push({ file, mtime });
    }
  }
  if (files.length === 0) return since;
  const parsed = files.map(({ file }) => LegacyMessageSchema.safeParse(readJson(file)));
  const ids = parsed.flatMap((message) => (message.success ? [message.data.id] : []));
  const inDatabase = await idsInDatabases(databases, ids);
  const directories = legacyDirectories(path.join(storage, "session"));
  let newest = since;
  for (let i = 0; i < files.length; i++) {
    newest = Math.max(newest, files[i].mtime);
    const message = parsed[i];
    if (!message.success) {
      countSkip(out.skipped, "malformed");
      continue;
    }
    const m = message.data;
    if (m.role !== "assistant") continue;
    if (inDatabase.has(m.id)) {
      countSkip(out.skipped, "inDatabase");
      continue;
    }
    if (m.time?.completed == null && m.error == null) {
      // Rewritten (and so read again) when it completes.
      countSkip(out.skipped, "incomplete");
      continue;
    }
    const created = epochMs(m.time?.created) ?? files[i].mtime;
    const origin = {
      sessionId: m.sessionID,
      model: m.modelID,
      provider: m.providerID,
      project: directories.get(m.sessionID),
    };
    const steps = legacySteps(client, path.join(storage, "part", m.id));
    const counted = steps.length > 0 ? steps : [{ key: `${client}:message:${m.id}`, tokens: flatTokens(m.tokens) }];
    for (const step of counted) {
      const event = toEvent(client, step.key, { ...origin, ...step.tokens }, created, out.skipped);
      if (event) out.events.push(event);
    }
  }
  return newest;
}

function legacySteps(client: "opencode" | "kilo", dir: string): { key: string; tokens: TokenFields }[] {
  const steps: { key: string; tokens: TokenFields }[] = [];
  for (const name of listDir(dir).sort()) {
    const part = LegacyPartSchema.safeParse(readJson(path.join(dir, name)));
    if (part.success && part.data.type === "step-finish") {
      // The same key as the database's step: a part migrated later is not counted twice.
      steps.push({ key: `${client}:step:${part.data.id}`, tokens: flatTokens(part.data.tokens) });
    }
  }
  return steps;
}

async function idsInDatabases(databases: SqliteHandle[], ids: string[]): Promise<Set<string>> {
  const found = new Set<string>();
  for (const db of databases) {
    for (let i = 0; i < ids.length; i += 500) {
      const batch = ids
        .slice(i, i + 500)
        .map(sqlText)
        .join(",");
      const rows = await db.all(`SELECT id FROM message WHERE id IN (${batch})`);
      for (const row of rows) found.add(String(row.id));
    }
  }
  return found;
}

function legacyDirectories(sessions: string): Map<string, string> {
  const directories = new Map<string, string>();
  for (const projectDir of listDir(sessions)) {
    for (const name of listDir(path.join(sessions, projectDir))) {
      const session = LegacySessionSchema.safeParse(readJson(path.join(sessions, projectDir, name)));
      if (session.success && session.data.directory) directories.set(session.data.id, session.data.directory);
    }
  }
  return directories;
}

function readJson(file: string): unknown {
  try {
    return JSON.parse(fs.readFileSync(file, "utf8"));
  } catch {
    return null;
  }
}

function mtimeOf(file: string): number | null {
  try {
    return fs.statSync(file).mtimeMs;
  } catch {
    return null;
  }
}
