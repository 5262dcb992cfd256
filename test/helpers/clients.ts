import { spawnSync } from "node:child_process";
import { promises as fs } from "node:fs";
import path from "node:path";
import { applyClientEvents } from "../../src/core/ledger/apply-clients";
import { SLOT_MS, UsageState } from "../../src/core/ledger/state";
import { readClient } from "../../src/core/scan/clients";
import { locateClients } from "../../src/core/scan/clients/locate";
import type { ClientReadResult, ClientUsageEvent, OtherClientName } from "../../src/core/scan/clients/types";

/**
 * One request plan, written in each client's own format: OpenCode/Kilo SQLite (messages and
 * step-finish parts), Codex rollouts (cumulative token_count), OpenClaw session logs, archives and
 * agent databases. Expected figures come from the plan itself, never from the code under test.
 */

export interface PlannedRequest {
  client: OtherClientName;
  session: string;
  project: string;
  /** ISO 8601. */
  at: string;
  model: string;
  provider: string;
  /** OpenCode/Kilo: requests sharing a turn are the steps of one assistant message. */
  turn?: string;
  input: number;
  output: number;
  reasoning: number;
  cacheRead: number;
  cacheWrite: number;
}

export interface Buckets {
  input: number;
  output: number;
  cacheRead: number;
  cacheWrite: number;
}

/** Whether a planned request is MiMo by the plan's own construction (its provider or model). */
export function plannedMimo(request: PlannedRequest): boolean {
  return request.provider.startsWith("xiaomi-token-plan") || request.model.startsWith("mimo-");
}

/** The plan's per-day MiMo totals (UTC dates), reasoning counted as output. */
export function expectedDays(plan: PlannedRequest[], client?: OtherClientName): Record<string, Buckets> {
  const days: Record<string, Buckets> = {};
  for (const r of plan) {
    if ((client && r.client !== client) || !plannedMimo(r)) continue;
    const day = (days[r.at.slice(0, 10)] ??= { input: 0, output: 0, cacheRead: 0, cacheWrite: 0 });
    day.input += r.input;
    day.output += r.output + r.reasoning;
    day.cacheRead += r.cacheRead;
    day.cacheWrite += r.cacheWrite;
  }
  return days;
}

/**
 * Sums events per UTC day the way the engine counts them: through the ledger itself (one row per
 * key, latest wins), then by the UTC date of each cell's slot.
 */
export function daysOfEvents(events: ClientUsageEvent[]): Record<string, Buckets> {
  const state = new UsageState("test");
  for (const client of new Set(events.map((event) => event.client))) {
    applyClientEvents(
      state,
      client,
      events.filter((event) => event.client === client),
      {},
    );
  }
  const days: Record<string, Buckets> = {};
  const c = state.cells;
  for (let row = 0; row < c.slot.length; row++) {
    if (c.messages[row] === 0) continue;
    const day = (days[new Date(c.slot[row] * SLOT_MS).toISOString().slice(0, 10)] ??= {
      input: 0,
      output: 0,
      cacheRead: 0,
      cacheWrite: 0,
    });
    day.input += c.input[row];
    day.output += c.output[row];
    day.cacheRead += c.cacheRead[row];
    day.cacheWrite += c.cacheWrite[row];
  }
  return days;
}

export function sumDays(...sets: Record<string, Buckets>[]): Record<string, Buckets> {
  const out: Record<string, Buckets> = {};
  for (const set of sets) {
    for (const [date, b] of Object.entries(set)) {
      const day = (out[date] ??= { input: 0, output: 0, cacheRead: 0, cacheWrite: 0 });
      day.input += b.input;
      day.output += b.output;
      day.cacheRead += b.cacheRead;
      day.cacheWrite += b.cacheWrite;
    }
  }
  return out;
}

// ---- The plan ----

const MIMO = { model: "mimo-v2.5-pro", provider: "xiaomi-token-plan-sgp" };
const MIMO_CN = { model: "mimo-v2-flash", provider: "xiaomi-token-plan-cn" };
const OTHER = { model: "claude-sonnet-4-5", provider: "anthropic" };
const GPT = { model: "gpt-5", provider: "openai" };

function req(
  client: OtherClientName,
  session: string,
  at: string,
  who: { model: string; provider: string },
  t: [number, number, number, number, number],
  turn?: string,
): PlannedRequest {
  const [input, output, reasoning, cacheRead, cacheWrite] = t;
  return {
    client,
    session,
    project: `/work/${client}-${session}`,
    at,
    ...who,
    turn,
    input,
    output,
    reasoning,
    cacheRead,
    cacheWrite,
  };
}

/**
 * A week of use across the four clients: multi-step OpenCode/Kilo turns (a tool loop of three
 * requests), requests across midnight, non-MiMo requests in the same sessions, Codex sessions
 * that switch models, OpenClaw sessions archived by a reset.
 */
export function requestPlan(): PlannedRequest[] {
  return [
    // OpenCode: ses_a has a three-step turn and a one-step turn; ses_b mixes in another provider.
    req("opencode", "ses_a", "2026-11-20T09:00:00.000Z", MIMO, [1200, 80, 40, 3000, 500], "t1"),
    req("opencode", "ses_a", "2026-11-20T09:00:05.000Z", MIMO, [300, 60, 0, 4200, 0], "t1"),
    req("opencode", "ses_a", "2026-11-20T09:00:09.000Z", MIMO, [150, 400, 120, 4500, 0], "t1"),
    req("opencode", "ses_a", "2026-11-20T23:59:30.000Z", MIMO, [900, 30, 0, 0, 200], "t2"),
    req("opencode", "ses_b", "2026-11-21T00:00:10.000Z", MIMO_CN, [500, 70, 10, 100, 0], "t3"),
    req("opencode", "ses_b", "2026-11-21T08:00:00.000Z", OTHER, [7000, 700, 0, 0, 0], "t4"),
    req("opencode", "ses_b", "2026-11-22T10:00:00.000Z", MIMO, [640, 20, 0, 800, 0], "t5"),
    req("opencode", "ses_b", "2026-11-22T10:00:03.000Z", MIMO, [90, 210, 30, 1400, 0], "t5"),
    // Kilo: the same schema in its own database.
    req("kilo", "ses_k", "2026-11-21T14:00:00.000Z", MIMO, [2000, 100, 50, 0, 1000], "k1"),
    req("kilo", "ses_k", "2026-11-21T14:00:04.000Z", MIMO, [120, 90, 0, 3000, 0], "k1"),
    req("kilo", "ses_k", "2026-11-23T16:00:00.000Z", GPT, [400, 40, 0, 0, 0], "k2"),
    // Codex: cumulative counters; cs2 switches models mid-session; cs3 runs on OpenAI.
    req("codex", "cs1", "2026-11-20T11:00:00.000Z", MIMO, [1500, 200, 80, 6000, 0]),
    req("codex", "cs1", "2026-11-20T11:02:00.000Z", MIMO, [250, 90, 0, 7400, 0]),
    req("codex", "cs1", "2026-11-21T01:00:00.000Z", MIMO, [60, 15, 5, 7600, 0]),
    req("codex", "cs2", "2026-11-22T12:00:00.000Z", MIMO, [800, 50, 20, 0, 0]),
    req("codex", "cs2", "2026-11-22T12:05:00.000Z", { ...MIMO_CN, provider: MIMO.provider }, [330, 40, 10, 900, 0]),
    req("codex", "cs3", "2026-11-22T13:00:00.000Z", GPT, [5000, 500, 200, 0, 0]),
    // OpenClaw: oc1 lives in a reset archive, oc2 in a live log, oc3 in the agent database only.
    req("openclaw", "oc1", "2026-11-20T15:00:00.000Z", MIMO, [700, 45, 0, 1200, 300]),
    req("openclaw", "oc1", "2026-11-20T15:01:00.000Z", OTHER, [9000, 900, 0, 0, 0]),
    req("openclaw", "oc2", "2026-11-22T18:00:00.000Z", MIMO_CN, [330, 25, 0, 2200, 0]),
    req("openclaw", "oc3", "2026-11-23T07:30:00.000Z", MIMO, [410, 35, 0, 900, 100]),
  ];
}

// ---- sqlite3 shell (the fixtures are written by real SQLite, as the clients write them) ----

export function sqlite(file: string, script: string): string {
  const run = spawnSync("sqlite3", ["-bail", file], { input: script, encoding: "utf8" });
  if (run.error) throw new Error(`sqlite3 is needed to write fixtures: ${run.error.message}`);
  if (run.status !== 0) throw new Error(`sqlite3 failed: ${run.stderr}`);
  return run.stdout;
}

export function q(value: string | number | null): string {
  if (value === null) return "NULL";
  return typeof value === "number" ? String(value) : `'${value.replace(/'/g, "''")}'`;
}

const ms = (iso: string) => Date.parse(iso);

// ---- OpenCode / Kilo ----

export const OPENCODE_SCHEMA = `
CREATE TABLE project (id TEXT PRIMARY KEY, worktree TEXT NOT NULL, time_created INTEGER NOT NULL, time_updated INTEGER NOT NULL);
CREATE TABLE session (id TEXT PRIMARY KEY, project_id TEXT NOT NULL, parent_id TEXT, slug TEXT NOT NULL, directory TEXT NOT NULL,
  title TEXT NOT NULL, version TEXT NOT NULL, time_created INTEGER NOT NULL, time_updated INTEGER NOT NULL);
CREATE TABLE message (id TEXT PRIMARY KEY, session_id TEXT NOT NULL REFERENCES session(id) ON DELETE CASCADE,
  time_created INTEGER NOT NULL, time_updated INTEGER NOT NULL, data TEXT NOT NULL);
CREATE TABLE part (id TEXT PRIMARY KEY, message_id TEXT NOT NULL REFERENCES message(id) ON DELETE CASCADE,
  session_id TEXT NOT NULL, time_created INTEGER NOT NULL, time_updated INTEGER NOT NULL, data TEXT NOT NULL);
CREATE INDEX message_session_idx ON message(session_id);
CREATE INDEX part_message_idx ON part(message_id);
`;

export interface OpenCodeWriteOptions {
  /** Write messages only, no step parts, as OpenCode did before step parts existed. */
  withoutSteps?: boolean;
}

/** SQL inserting a plan's turns: a user message, an assistant message and its parts per turn. */
export function openCodeInserts(plan: PlannedRequest[], options: OpenCodeWriteOptions = {}): string {
  const sql: string[] = [];
  const sessions = new Map<string, PlannedRequest>();
  const turns = new Map<string, PlannedRequest[]>();
  for (const r of plan) {
    if (!sessions.has(r.session)) sessions.set(r.session, r);
    const key = r.turn ?? `${r.session}-${r.at}`;
    turns.set(key, [...(turns.get(key) ?? []), r]);
  }
  for (const [id, r] of sessions) {
    const t = ms(r.at) - 60_000;
    sql.push(
      `INSERT OR IGNORE INTO session VALUES (${q(id)}, 'prj', NULL, ${q(id)}, ${q(r.project)}, 'A session', '1.0.0', ${t}, ${t});`,
    );
  }
  for (const [turn, steps] of turns) {
    const first = steps[0];
    const start = ms(first.at) - 2000;
    const end = ms(steps[steps.length - 1].at) + 500;
    const user = {
      role: "user",
      time: { created: start },
      agent: "build",
      model: { providerID: first.provider, modelID: first.model },
    };
    sql.push(
      `INSERT INTO message VALUES (${q(`msg_${turn}_u`)}, ${q(first.session)}, ${start}, ${start}, ${q(JSON.stringify(user))});`,
    );
    // The message keeps the last step's tokens: OpenCode overwrites them at every step.
    const last = steps[steps.length - 1];
    const assistant = {
      role: "assistant",
      time: { created: start + 100, completed: end },
      parentID: `msg_${turn}_u`,
      modelID: first.model,
      providerID: first.provider,
      mode: "build",
      agent: "build",
      path: { cwd: first.project, root: first.project },
      cost: 0,
      tokens: tokenJson(last),
      finish: "stop",
    };
    const messageId = `msg_${turn}_a`;
    sql.push(
      `INSERT INTO message VALUES (${q(messageId)}, ${q(first.session)}, ${start + 100}, ${end}, ${q(JSON.stringify(assistant))});`,
    );
    if (options.withoutSteps) continue;
    steps.forEach((step, i) => {
      const at = ms(step.at);
      const part = (suffix: string, data: object, time: number) =>
        sql.push(
          `INSERT INTO part VALUES (${q(`prt_${turn}_${i}_${suffix}`)}, ${q(messageId)}, ${q(step.session)}, ${time}, ${time}, ${q(JSON.stringify(data))});`,
        );
      part("a", { type: "step-start", snapshot: "abc" }, at - 1000);
      part("b", { type: "text", text: "Working on it", time: { start: at - 900, end: at - 100 } }, at - 900);
      part(
        "c",
        {
          type: "step-finish",
          reason: i === steps.length - 1 ? "stop" : "tool-calls",
          snapshot: "abc",
          cost: 0,
          tokens: tokenJson(step),
        },
        at,
      );
    });
  }
  return sql.join("\n");
}

function tokenJson(r: PlannedRequest): object {
  return {
    input: r.input,
    output: r.output,
    reasoning: r.reasoning,
    cache: { read: r.cacheRead, write: r.cacheWrite },
  };
}

/** `<dataHome>/<client>/<client>.db` holding the plan's requests of that client. */
export async function writeOpenCodeDb(
  dataHome: string,
  client: "opencode" | "kilo",
  plan: PlannedRequest[],
  options: OpenCodeWriteOptions = {},
): Promise<string> {
  const dir = path.join(dataHome, client);
  await fs.mkdir(dir, { recursive: true });
  const file = path.join(dir, `${client}.db`);
  sqlite(
    file,
    `PRAGMA journal_mode=WAL;\n${OPENCODE_SCHEMA}\nBEGIN;\n${openCodeInserts(
      plan.filter((r) => r.client === client),
      options,
    )}\nCOMMIT;`,
  );
  return file;
}

// ---- Codex ----

export const CODEX_CONFIG = `model = "mimo-v2.5-pro"
model_provider = "xiaomi-token-plan-sgp"

[model_providers.xiaomi-token-plan-sgp]
name = "Xiaomi MiMo Token Plan"
base_url = "https://token-plan-sgp.xiaomimimo.com/v1"
env_key = "MIMO_API_KEY"

[model_providers."openai"]
base_url = "https://api.openai.com/v1"
`;

export interface CodexWriteOptions {
  /** Also write every token_count twice (Codex re-emits the same total) and an `info: null` one. */
  reemit?: boolean;
}

/** One rollout per session under `<codexHome>/sessions/YYYY/MM/DD/`, plus config.toml. */
export async function writeCodexHome(
  codexHome: string,
  plan: PlannedRequest[],
  options: CodexWriteOptions = {},
): Promise<string[]> {
  await fs.mkdir(codexHome, { recursive: true });
  await fs.writeFile(path.join(codexHome, "config.toml"), CODEX_CONFIG);
  const files: string[] = [];
  const bySession = new Map<string, PlannedRequest[]>();
  for (const r of plan.filter((p) => p.client === "codex"))
    bySession.set(r.session, [...(bySession.get(r.session) ?? []), r]);
  let n = 0;
  for (const [session, requests] of bySession) {
    const first = requests[0];
    const uuid = `0199a000-0000-7000-8000-${String(++n).padStart(12, "0")}`;
    const date = first.at.slice(0, 10).split("-");
    const dir = path.join(codexHome, "sessions", ...date);
    await fs.mkdir(dir, { recursive: true });
    const file = path.join(dir, `rollout-${first.at.slice(0, 19).replace(/:/g, "-")}-${uuid}.jsonl`);
    files.push(file);
    const lines: object[] = [
      {
        timestamp: first.at,
        type: "session_meta",
        payload: {
          id: session,
          timestamp: first.at,
          cwd: first.project,
          originator: "codex_cli_rs",
          cli_version: "0.63.0",
          model_provider: first.provider,
        },
      },
    ];
    const total = {
      input_tokens: 0,
      cached_input_tokens: 0,
      output_tokens: 0,
      reasoning_output_tokens: 0,
      total_tokens: 0,
    };
    let model = "";
    for (const r of requests) {
      const before = new Date(ms(r.at) - 3000).toISOString();
      if (r.model !== model) {
        model = r.model;
        lines.push({
          timestamp: before,
          type: "turn_context",
          payload: { cwd: r.project, approval_policy: "on-request", model: r.model, effort: "medium", summary: "auto" },
        });
      }
      lines.push({
        timestamp: before,
        type: "response_item",
        payload: { type: "message", role: "user", content: [{ type: "input_text", text: "token_count please" }] },
      });
      if (options.reemit) lines.push(tokenCount(before, null));
      const last = {
        input_tokens: r.input + r.cacheRead,
        cached_input_tokens: r.cacheRead,
        output_tokens: r.output + r.reasoning,
        reasoning_output_tokens: r.reasoning,
        total_tokens: r.input + r.cacheRead + r.output + r.reasoning,
      };
      for (const k of Object.keys(total) as (keyof typeof total)[]) total[k] += last[k];
      lines.push(
        tokenCount(r.at, { total_token_usage: { ...total }, last_token_usage: last, model_context_window: 272000 }),
      );
      if (options.reemit) {
        lines.push(
          tokenCount(new Date(ms(r.at) + 1000).toISOString(), {
            total_token_usage: { ...total },
            last_token_usage: last,
            model_context_window: 272000,
          }),
        );
      }
    }
    await fs.writeFile(file, lines.map((l) => JSON.stringify(l)).join("\n") + "\n");
  }
  return files;
}

function tokenCount(timestamp: string, info: object | null): object {
  return { timestamp, type: "event_msg", payload: { type: "token_count", info, rate_limits: null } };
}

// ---- OpenClaw ----

/** The event log of one session, as OpenClaw writes it (pi's session format). */
export function openClawEvents(requests: PlannedRequest[]): object[] {
  const first = requests[0];
  const events: object[] = [
    { type: "session", version: 3, id: first.session, timestamp: first.at, cwd: first.project },
  ];
  let parent: string | null = null;
  let n = 0;
  let model = "";
  for (const r of requests) {
    const before = new Date(ms(r.at) - 2000).toISOString();
    if (r.model !== model) {
      model = r.model;
      const id = `${first.session}-e${++n}`;
      events.push({
        type: "model_change",
        id,
        parentId: parent,
        timestamp: before,
        provider: r.provider,
        modelId: r.model,
      });
      parent = id;
    }
    const userId = `${first.session}-e${++n}`;
    events.push({
      type: "message",
      id: userId,
      parentId: parent,
      timestamp: before,
      message: { role: "user", content: [{ type: "text", text: "hi" }], timestamp: ms(before) },
    });
    const id = `${first.session}-e${++n}`;
    events.push({
      type: "message",
      id,
      parentId: userId,
      timestamp: r.at,
      message: {
        role: "assistant",
        content: [{ type: "text", text: "done" }],
        api: "openai-completions",
        provider: r.provider,
        model: r.model,
        usage: {
          input: r.input,
          output: r.output + r.reasoning,
          cacheRead: r.cacheRead,
          cacheWrite: r.cacheWrite,
          totalTokens: r.input + r.output + r.reasoning + r.cacheRead + r.cacheWrite,
          cost: { input: 0, output: 0, cacheRead: 0, cacheWrite: 0, total: 0 },
        },
        stopReason: "stop",
        timestamp: ms(r.at),
      },
    });
    parent = id;
  }
  return events;
}

export const OPENCLAW_SCHEMA = `CREATE TABLE transcript_events (session_id TEXT NOT NULL, seq INTEGER NOT NULL, event_json TEXT NOT NULL,
  created_at INTEGER NOT NULL, PRIMARY KEY (session_id, seq));`;

export function openClawInserts(session: string, events: object[]): string {
  return events
    .map((e, seq) => {
      const at = (e as { timestamp?: string }).timestamp;
      return `INSERT INTO transcript_events VALUES (${q(session)}, ${seq}, ${q(JSON.stringify(e))}, ${at ? ms(at) : 0});`;
    })
    .join("\n");
}

export interface OpenClawLayout {
  /** Sessions written as `<sid>.jsonl.reset.<ts>` archives. */
  archived?: string[];
  /** Sessions written to the agent database only. */
  databaseOnly?: string[];
  /** Sessions written to both the log and the database (a migrated session). */
  both?: string[];
}

export async function writeOpenClaw(
  stateDir: string,
  plan: PlannedRequest[],
  layout: OpenClawLayout = {},
): Promise<void> {
  const agent = path.join(stateDir, "agents", "main");
  await fs.mkdir(path.join(agent, "sessions"), { recursive: true });
  await fs.mkdir(path.join(agent, "agent"), { recursive: true });
  const bySession = new Map<string, PlannedRequest[]>();
  for (const r of plan.filter((p) => p.client === "openclaw"))
    bySession.set(r.session, [...(bySession.get(r.session) ?? []), r]);
  const inserts: string[] = [];
  for (const [session, requests] of bySession) {
    const events = openClawEvents(requests);
    const inDatabase = layout.databaseOnly?.includes(session) || layout.both?.includes(session);
    if (inDatabase) inserts.push(openClawInserts(session, events));
    if (layout.databaseOnly?.includes(session)) continue;
    const name = layout.archived?.includes(session)
      ? `${session}.jsonl.reset.2026-11-20T16-00-00.000Z`
      : `${session}.jsonl`;
    await fs.writeFile(path.join(agent, "sessions", name), events.map((e) => JSON.stringify(e)).join("\n") + "\n");
  }
  if (inserts.length > 0) {
    sqlite(
      path.join(agent, "agent", "openclaw-agent.sqlite"),
      `PRAGMA journal_mode=WAL;\n${OPENCLAW_SCHEMA}\nBEGIN;\n${inserts.join("\n")}\nCOMMIT;`,
    );
  }
}

// ---- Reading ----

/** Locates every client under `home` (no environment overrides) and reads it from the start. */
export async function readAllAt(
  home: string,
  now = Date.parse("2026-11-29T12:00:00Z"),
): Promise<Map<OtherClientName, ClientReadResult<unknown>>> {
  const results = new Map<OtherClientName, ClientReadResult<unknown>>();
  for (const location of locateClients({ home, env: {} })) {
    results.set(location.client, await readClient(location, {}, { now }));
  }
  return results;
}
