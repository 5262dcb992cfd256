import { spawnSync } from "node:child_process";
import { promises as fs } from "node:fs";
import path from "node:path";
import { q, sqlite } from "./clients";

/**
 * Fixtures shaped like what each client's current writer produces, one builder per client. Every
 * builder says which source file of the client it follows; the figures each test expects come from
 * the numbers it passes in, never from the code under test.
 */

/** Zstandard, as the clients write it (the zstd program; CI installs it beside sqlite3). */
export function zstd(data: Buffer | string, level = 3): Buffer {
  const run = spawnSync("zstd", [`-${level}`, "-c", "-q"], { input: data });
  if (run.error) throw new Error(`zstd is needed to write fixtures: ${run.error.message}`);
  if (run.status !== 0) throw new Error(`zstd failed: ${run.stderr.toString()}`);
  return run.stdout;
}

const jsonl = (lines: object[]) => lines.map((line) => JSON.stringify(line)).join("\n") + "\n";

// ---- Codex ----
// openai/codex codex-rs/rollout/src/recorder.rs (JsonlWriter: `timestamp` then the flattened item,
// written at write time), codex-rs/protocol/src/protocol.rs (SessionMeta, TokenUsage with
// `cache_write_input_tokens` inside `input_tokens`), codex-rs/app-server-protocol/schema/typescript/
// SessionSource.ts and SubAgentSource.ts (source: "cli" | "vscode" | "exec" | "mcp" | {subagent} | …),
// codex-rs/rollout/src/compression.rs and compression_tests.rs (`.jsonl.zst`, zstd level 3, the
// plain file removed; a plain sibling wins).

export interface CodexRequest {
  at: string;
  /** Input not read from nor written to the cache. */
  input: number;
  cached: number;
  cacheWrite: number;
  /** Output including reasoning, as Codex reports it. */
  output: number;
  reasoning: number;
}

export interface CodexSession {
  id: string;
  /** ISO 8601; the rollout's name and first line. */
  start: string;
  source: unknown;
  provider: string | null;
  model: string;
  cwd: string;
  forkedFrom?: string;
  requests: CodexRequest[];
}

type Totals = Record<
  | "input_tokens"
  | "cached_input_tokens"
  | "cache_write_input_tokens"
  | "output_tokens"
  | "reasoning_output_tokens"
  | "total_tokens",
  number
>;

function usageOf(r: CodexRequest): Totals {
  const input = r.input + r.cached + r.cacheWrite;
  return {
    input_tokens: input,
    cached_input_tokens: r.cached,
    cache_write_input_tokens: r.cacheWrite,
    output_tokens: r.output,
    reasoning_output_tokens: r.reasoning,
    total_tokens: input + r.output,
  };
}

export function codexMeta(session: CodexSession, at = session.start): object {
  return {
    timestamp: at,
    type: "session_meta",
    payload: {
      id: session.id,
      ...(session.forkedFrom ? { forked_from_id: session.forkedFrom } : {}),
      timestamp: session.start,
      cwd: session.cwd,
      originator: "codex_cli_rs",
      cli_version: "0.153.4",
      source: session.source,
      model_provider: session.provider,
      base_instructions: null,
      git: { commit_hash: "4c1d2e3", branch: "main", repository_url: null },
    },
  };
}

/** A session's own lines after its session_meta: turn contexts, messages and running totals. */
export function codexTurns(session: CodexSession, before: Totals | null = null): { lines: object[]; total: Totals } {
  const total: Totals = before
    ? { ...before }
    : {
        input_tokens: 0,
        cached_input_tokens: 0,
        cache_write_input_tokens: 0,
        output_tokens: 0,
        reasoning_output_tokens: 0,
        total_tokens: 0,
      };
  const lines: object[] = [];
  session.requests.forEach((r, n) => {
    const begin = new Date(Date.parse(r.at) - 2000).toISOString();
    lines.push({
      timestamp: begin,
      type: "turn_context",
      payload: {
        turn_id: `turn-${session.id.slice(0, 4)}-${n}`,
        cwd: session.cwd,
        approval_policy: "on-request",
        sandbox_policy: { type: "workspace-write", network_access: false },
        model: session.model,
        effort: "medium",
        summary: "auto",
      },
    });
    lines.push({
      timestamp: begin,
      type: "response_item",
      payload: { type: "message", role: "user", content: [{ type: "input_text", text: "go on" }] },
    });
    const last = usageOf(r);
    for (const key of Object.keys(total) as (keyof Totals)[]) total[key] += last[key];
    lines.push({
      timestamp: r.at,
      type: "event_msg",
      payload: {
        type: "token_count",
        info: { total_token_usage: { ...total }, last_token_usage: last, model_context_window: 258400 },
        rate_limits: null,
      },
    });
  });
  return { lines, total };
}

export function codexRolloutName(session: CodexSession): string {
  return `rollout-${session.start.slice(0, 19).replace(/:/g, "-")}-${session.id}.jsonl`;
}

/** Writes a session under `<codexHome>/sessions/YYYY/MM/DD/`, compressed as Codex does when asked. */
export async function writeCodexRollout(
  codexHome: string,
  session: CodexSession,
  options: { compressed?: boolean; parent?: CodexSession } = {},
): Promise<string> {
  const dir = path.join(codexHome, "sessions", ...session.start.slice(0, 10).split("-"));
  await fs.mkdir(dir, { recursive: true });
  const lines: object[] = [codexMeta(session)];
  let before: Totals | null = null;
  if (options.parent) {
    // A fork copies its parent's items as they were (new line timestamps, same payloads), the
    // parent's session_meta and token counts included; its own counts go on from the parent's.
    const copy = codexTurns(options.parent);
    for (const line of [codexMeta(options.parent), ...copy.lines]) lines.push({ ...line, timestamp: session.start });
    before = copy.total;
  }
  lines.push(...codexTurns(session, before).lines);
  const file = path.join(dir, codexRolloutName(session));
  if (options.compressed) {
    await fs.writeFile(`${file}.zst`, zstd(jsonl(lines)));
    return `${file}.zst`;
  }
  await fs.writeFile(file, jsonl(lines));
  return file;
}

// ---- OpenCode 2 and Kilo ----
// anomalyco/opencode packages/core/src/session/sql.ts (SessionMessageTable: id, session_id, type,
// seq, time_created, time_updated, data), packages/core/src/session/message.ts (Assistant: agent,
// model {id, providerID}, content, finish, cost, tokens {input, output, reasoning, cache {read,
// write}}, time {created, completed}; `id` and `type` are columns, not data), and the migration that
// creates session_message beside message and part.

export const OPENCODE_V2_SCHEMA = `
CREATE TABLE project (id TEXT PRIMARY KEY, worktree TEXT NOT NULL, vcs TEXT, name TEXT, time_created INTEGER NOT NULL,
  time_updated INTEGER NOT NULL, sandboxes TEXT NOT NULL);
CREATE TABLE session (id TEXT PRIMARY KEY, project_id TEXT NOT NULL, workspace_id TEXT, parent_id TEXT, slug TEXT NOT NULL,
  directory TEXT NOT NULL, path TEXT, title TEXT NOT NULL, version TEXT NOT NULL, share_url TEXT, metadata TEXT,
  cost REAL DEFAULT 0 NOT NULL, tokens_input INTEGER DEFAULT 0 NOT NULL, tokens_output INTEGER DEFAULT 0 NOT NULL,
  time_created INTEGER NOT NULL, time_updated INTEGER NOT NULL);
CREATE TABLE message (id TEXT PRIMARY KEY, session_id TEXT NOT NULL, time_created INTEGER NOT NULL,
  time_updated INTEGER NOT NULL, data TEXT NOT NULL);
CREATE TABLE part (id TEXT PRIMARY KEY, message_id TEXT NOT NULL, session_id TEXT NOT NULL, time_created INTEGER NOT NULL,
  time_updated INTEGER NOT NULL, data TEXT NOT NULL);
CREATE TABLE session_message (id TEXT PRIMARY KEY, session_id TEXT NOT NULL, type TEXT NOT NULL, seq INTEGER NOT NULL,
  time_created INTEGER NOT NULL, time_updated INTEGER NOT NULL, data TEXT NOT NULL,
  CONSTRAINT fk_session_message_session_id_session_id_fk FOREIGN KEY (session_id) REFERENCES session(id) ON DELETE CASCADE);
CREATE UNIQUE INDEX session_message_session_seq_idx ON session_message (session_id, seq);
CREATE INDEX session_message_time_created_idx ON session_message (time_created);
`;

export interface V2Assistant {
  id: string;
  session: string;
  seq: number;
  /** Epoch ms. */
  created: number;
  completed: number | null;
  model: string;
  provider: string;
  tokens: { input: number; output: number; reasoning: number; read: number; write: number };
}

export function v2Session(id: string, directory: string, at: number): string {
  return `INSERT OR IGNORE INTO project VALUES ('global', '/', NULL, NULL, ${at}, ${at}, '[]');
INSERT OR IGNORE INTO session (id, project_id, slug, directory, title, version, time_created, time_updated)
  VALUES (${q(id)}, 'global', ${q(id)}, ${q(directory)}, 'A session', '2.0.4', ${at}, ${at});`;
}

export function v2Assistant(m: V2Assistant): string {
  const data = {
    agent: "build",
    model: { id: m.model, providerID: m.provider },
    content: [{ type: "text", id: `${m.id}-t`, text: "Done." }],
    snapshot: { start: "a1b2c3" },
    ...(m.completed === null ? {} : { finish: "stop" }),
    cost: 0,
    tokens: {
      input: m.tokens.input,
      output: m.tokens.output,
      reasoning: m.tokens.reasoning,
      cache: { read: m.tokens.read, write: m.tokens.write },
    },
    time: m.completed === null ? { created: m.created } : { created: m.created, completed: m.completed },
  };
  const user = { text: "go", files: [], agents: [], references: [], time: { created: m.created - 1000 } };
  return `INSERT INTO session_message VALUES (${q(`${m.id}u`)}, ${q(m.session)}, 'user', ${m.seq - 1}, ${m.created - 1000},
  ${m.created - 1000}, ${q(JSON.stringify(user))});
INSERT INTO session_message VALUES (${q(m.id)}, ${q(m.session)}, 'assistant', ${m.seq}, ${m.created},
  ${m.completed ?? m.created}, ${q(JSON.stringify(data))});`;
}

/**
 * A step-finish part as OpenCode wrote it before its fix #21047 (anomalyco/opencode pull 21047):
 * `output` already holds the reasoning, `reasoning` repeats it, and `total` is the provider's
 * input + output (the cache included in its input).
 */
export function preFixStep(
  id: string,
  session: string,
  at: number,
  t: { input: number; output: number; reasoning: number; read: number; write: number },
  origin: { model: string; provider: string },
): string {
  const message = {
    role: "assistant",
    time: { created: at - 500, completed: at + 100 },
    parentID: `${id}-u`,
    modelID: origin.model,
    providerID: origin.provider,
    mode: "build",
    path: { cwd: "/work/old", root: "/work/old" },
    cost: 0,
    tokens: { input: t.input, output: t.output, reasoning: t.reasoning, cache: { read: t.read, write: t.write } },
  };
  const part = {
    type: "step-finish",
    reason: "stop",
    snapshot: "abc",
    cost: 0,
    tokens: {
      total: t.input + t.output + t.read + t.write,
      input: t.input,
      output: t.output,
      reasoning: t.reasoning,
      cache: { read: t.read, write: t.write },
    },
  };
  return `INSERT INTO message VALUES (${q(`${id}-m`)}, ${q(session)}, ${at - 500}, ${at + 100}, ${q(JSON.stringify(message))});
INSERT INTO part VALUES (${q(`${id}-p`)}, ${q(`${id}-m`)}, ${q(session)}, ${at}, ${at}, ${q(JSON.stringify(part))});`;
}

// ---- OpenClaw ≥ 2026.9.6 ----
// openclaw/openclaw src/state/openclaw-agent-schema.ts (transcript_events with event_json NULL and
// event_zstd / event_utf8_bytes for a compressed event; session_transcript_archives with reason,
// encoding identity|zstd, archive_blob, archive_name), src/config/sessions/transcript-payload.ts
// (events of 1 KiB or more that compress well are stored compressed) and
// session-accessor.sqlite-archive-store-kernel.ts (archives published beside the logs under
// archive_name, `<sid>.jsonl.deleted.<ts>.zst`).

export const OPENCLAW_2026_9_SCHEMA = `
CREATE TABLE session_windows (session_id TEXT NOT NULL PRIMARY KEY, session_key TEXT NOT NULL, status TEXT,
  created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL, transcript_updated_at INTEGER) STRICT;
CREATE TABLE transcript_events (session_id TEXT NOT NULL, seq INTEGER NOT NULL, event_json TEXT, created_at INTEGER NOT NULL,
  event_zstd BLOB, event_utf8_bytes INTEGER, navigation_json TEXT, PRIMARY KEY (session_id, seq)) STRICT;
CREATE TABLE session_transcript_archives (session_id TEXT NOT NULL, generation TEXT NOT NULL, session_key TEXT NOT NULL,
  reason TEXT NOT NULL CHECK (reason IN ('deleted', 'reset')), encoding TEXT NOT NULL CHECK (encoding IN ('identity', 'zstd')),
  archive_blob BLOB NOT NULL, archive_sha256 TEXT NOT NULL, archive_name TEXT NOT NULL UNIQUE, created_at INTEGER NOT NULL,
  published_at INTEGER, publish_attempts INTEGER NOT NULL DEFAULT 0, last_publish_attempt_at INTEGER,
  last_publish_error TEXT, PRIMARY KEY (session_id, generation)) STRICT;
`;

export interface OpenClawTurn {
  id: string;
  at: string;
  model: string;
  provider: string;
  usage: { input: number; output: number; cacheRead: number; cacheWrite: number };
  /** Characters of reply text: 1 KiB or more makes the event one OpenClaw stores compressed. */
  textLength?: number;
}

/** One session's events (pi's session format, as OpenClaw writes it). */
export function openClawSession(session: string, cwd: string, turns: OpenClawTurn[]): object[] {
  const events: object[] = [{ type: "session", version: 4, id: session, timestamp: turns[0].at, cwd }];
  let parent: string | null = null;
  for (const turn of turns) {
    const before = new Date(Date.parse(turn.at) - 1500).toISOString();
    events.push({
      type: "message",
      id: `${turn.id}-u`,
      parentId: parent,
      timestamp: before,
      message: { role: "user", content: [{ type: "text", text: "hi" }], timestamp: Date.parse(before) },
    });
    const { input, output, cacheRead, cacheWrite } = turn.usage;
    events.push({
      type: "message",
      id: turn.id,
      parentId: `${turn.id}-u`,
      timestamp: turn.at,
      message: {
        role: "assistant",
        content: [
          { type: "text", text: "The migration plan, step by step. ".repeat((turn.textLength ?? 40) / 34 + 1) },
        ],
        api: "openai-completions",
        provider: turn.provider,
        model: turn.model,
        usage: {
          input,
          output,
          cacheRead,
          cacheWrite,
          totalTokens: input + output + cacheRead + cacheWrite,
          cost: { input: 0, output: 0, cacheRead: 0, cacheWrite: 0, total: 0 },
        },
        stopReason: "stop",
        timestamp: Date.parse(turn.at),
      },
    });
    parent = turn.id;
  }
  return events;
}

/** Rows of transcript_events: an event of 1 KiB or more compressed, with event_json NULL. */
export function openClawRows(session: string, events: object[]): string {
  return events
    .map((event, seq) => {
      const text = JSON.stringify(event);
      const at = Date.parse((event as { timestamp: string }).timestamp);
      const bytes = Buffer.byteLength(text);
      return bytes >= 1024
        ? `INSERT INTO transcript_events (session_id, seq, event_json, created_at, event_zstd, event_utf8_bytes)
  VALUES (${q(session)}, ${seq}, NULL, ${at}, X'${zstd(text).toString("hex")}', ${bytes});`
        : `INSERT INTO transcript_events (session_id, seq, event_json, created_at, event_zstd, event_utf8_bytes)
  VALUES (${q(session)}, ${seq}, ${q(text)}, ${at}, NULL, ${bytes});`;
    })
    .join("\n");
}

/** An archived session's row: its whole log, zstd-compressed. */
export function openClawArchive(session: string, events: object[], name: string, at: number): string {
  const blob = zstd(jsonl(events));
  return `INSERT INTO session_transcript_archives (session_id, generation, session_key, reason, encoding, archive_blob,
  archive_sha256, archive_name, created_at, published_at) VALUES (${q(session)}, 'g1', ${q(`agent:main:${session}`)},
  'deleted', 'zstd', X'${blob.toString("hex")}', ${q("0".repeat(64))}, ${q(name)}, ${at}, ${at + 1000});`;
}

export async function writeOpenClawDatabase(file: string, sql: string): Promise<void> {
  await fs.mkdir(path.dirname(file), { recursive: true });
  sqlite(file, `PRAGMA journal_mode=WAL;\n${OPENCLAW_2026_9_SCHEMA}\nBEGIN;\n${sql}\nCOMMIT;`);
}

export { jsonl };
