import { promises as fs } from "node:fs";
import path from "node:path";
import { parseCodexConfig, readCodex } from "../../../../src/core/scan/clients/codex/reader";
import type { CodexCursor } from "../../../../src/core/scan/clients/codex/schema";
import { locateCodex } from "../../../../src/core/scan/clients/codex/paths";
import { CODEX_CONFIG, daysOfEvents, expectedDays, requestPlan, writeCodexHome } from "../../../helpers/clients";
import { writeCodexRollout, type CodexSession } from "../../../helpers/current-writers";
import { tempDir } from "../../../helpers/transcripts";

const plan = requestPlan().filter((r) => r.client === "codex");

let home: string;
beforeEach(async () => {
  home = await tempDir("mimo-codex-");
});
afterEach(async () => {
  await fs.rm(home, { recursive: true, force: true });
});

function read(cursor: CodexCursor | null = null) {
  const result = readCodex({ sources: locateCodex({ home, env: { CODEX_HOME: home } }), cursor });
  expect(result.problems).toEqual([]);
  return result;
}

const line = (value: object) => JSON.stringify(value) + "\n";

describe("Codex rollouts", () => {
  it("counts deltas of the running total: re-emitted totals and info: null count nothing", async () => {
    await writeCodexHome(home, plan, { reemit: true });
    const result = read();
    expect(daysOfEvents(result.events)).toEqual(expectedDays(plan));
    const requests = plan.length;
    expect(result.skipped).toEqual({ notAdvanced: requests, noInfo: requests, notMimo: 1 });
  });

  it("subtracts cached input from input_tokens and keeps reasoning inside output", async () => {
    const [r] = plan;
    await writeCodexHome(home, [r]);
    const [event] = read().events;
    expect(event).toMatchObject({
      input: r.input,
      cacheRead: r.cacheRead,
      output: r.output + r.reasoning,
      cacheWrite: 0,
    });
  });

  it("reads appended lines only, and leaves a line still being written for next time", async () => {
    const [file] = await writeCodexHome(home, plan.filter((r) => r.session === "cs1").slice(0, 1));
    const first = read();
    expect(first.events).toHaveLength(1);
    const next = plan.filter((r) => r.session === "cs1")[1];
    const total = {
      input_tokens: plan[0].input + plan[0].cacheRead + next.input + next.cacheRead,
      cached_input_tokens: plan[0].cacheRead + next.cacheRead,
      output_tokens: plan[0].output + plan[0].reasoning + next.output + next.reasoning,
      reasoning_output_tokens: plan[0].reasoning + next.reasoning,
      total_tokens: 0,
    };
    total.total_tokens = total.input_tokens + total.output_tokens;
    const text = line({
      timestamp: next.at,
      type: "event_msg",
      payload: { type: "token_count", info: { total_token_usage: total } },
    });
    await fs.appendFile(file, text.slice(0, 40));
    const second = read(first.cursor);
    expect(second.events).toEqual([]);
    await fs.appendFile(file, text.slice(40));
    const third = read(second.cursor);
    expect(third.events).toEqual([
      expect.objectContaining({
        input: next.input,
        cacheRead: next.cacheRead,
        output: next.output + next.reasoning,
        timestamp: Date.parse(next.at),
      }),
    ]);
  });

  it("reads a replaced rollout from its start, and an archived copy counts once", async () => {
    const [file] = await writeCodexHome(
      home,
      plan.filter((r) => r.session === "cs1"),
    );
    const first = read();
    const archived = path.join(home, "archived_sessions", path.basename(file));
    await fs.mkdir(path.dirname(archived), { recursive: true });
    await fs.copyFile(file, archived);
    await fs.writeFile(
      file,
      (await fs.readFile(file, "utf8")).replace('"cli_version":"0.63.0"', '"cli_version":"0.64.0"'),
    );
    const second = read(first.cursor);
    const all = [...first.events, ...second.events];
    expect(all.length).toBe(3 * first.events.length);
    expect(daysOfEvents(all)).toEqual(expectedDays(plan.filter((r) => r.session === "cs1")));
  });

  it("takes the provider's base URL from config.toml", async () => {
    const dir = path.join(home, "sessions");
    await fs.mkdir(dir, { recursive: true });
    await fs.writeFile(
      path.join(home, "config.toml"),
      '[model_providers.mine]\nname = "Mine"\nbase_url = "https://token-plan-ams.xiaomimimo.com/v1" # the plan\n',
    );
    const usage = {
      input_tokens: 100,
      cached_input_tokens: 40,
      output_tokens: 7,
      reasoning_output_tokens: 0,
      total_tokens: 107,
    };
    await fs.writeFile(
      path.join(dir, "rollout-2026-11-20T10-00-00-x.jsonl"),
      line({
        timestamp: "2026-11-20T10:00:00Z",
        type: "session_meta",
        payload: { id: "s", cwd: "/w", model_provider: "mine" },
      }) +
        line({ timestamp: "2026-11-20T10:00:00Z", type: "turn_context", payload: { model: "house-model" } }) +
        line({
          timestamp: "2026-11-20T10:00:01Z",
          type: "event_msg",
          payload: { type: "token_count", info: { total_token_usage: usage } },
        }),
    );
    expect(read().events).toEqual([
      {
        client: "codex",
        key: "codex:s:total:100,40,7,0,107",
        sessionId: "s",
        project: "/w",
        model: "house-model",
        timestamp: Date.parse("2026-11-20T10:00:01Z"),
        input: 60,
        output: 7,
        cacheRead: 40,
        cacheWrite: 0,
      },
    ]);
  });
});

describe("config.toml", () => {
  it("reads the default provider, model and each provider's base URL, quoted or bare", () => {
    const config = parseCodexConfig(`
# comment
model = "mimo-v2.5-pro"
model_provider = 'xiaomi'
model_providers.inline.base_url = "https://inline.example/v1"

[model_providers.xiaomi]
base_url = "https://token-plan-cn.xiaomimimo.com/v1"

[model_providers."quoted-id"]
  base_url = 'https://quoted.example'

[profiles.fast]
base_url = "https://not-a-provider.example"
`);
    expect(config.provider).toBe("xiaomi");
    expect(config.model).toBe("mimo-v2.5-pro");
    expect(Object.fromEntries(config.baseUrls)).toEqual({
      inline: "https://inline.example/v1",
      xiaomi: "https://token-plan-cn.xiaomimimo.com/v1",
      "quoted-id": "https://quoted.example",
    });
  });
});

describe("forked and sub-agent rollouts", () => {
  const PARENT = "0199b111-1111-7111-8111-111111111111";
  const CHILD = "0199b222-2222-7222-8222-222222222222";
  const usage = (input: number, cached: number, output: number) => ({
    input_tokens: input,
    cached_input_tokens: cached,
    output_tokens: output,
    reasoning_output_tokens: 0,
    total_tokens: input + output,
  });
  const count = (timestamp: string, total: ReturnType<typeof usage>) =>
    line({ timestamp, type: "event_msg", payload: { type: "token_count", info: { total_token_usage: total } } });
  const meta = (id: string, extra: object = {}) =>
    line({
      timestamp: "2026-11-20T10:00:00Z",
      type: "session_meta",
      payload: { id, cwd: "/w", model_provider: "xiaomi-token-plan-sgp", ...extra },
    });
  const model = line({ timestamp: "2026-11-20T10:00:00Z", type: "turn_context", payload: { model: "mimo-v2.5-pro" } });

  it.each([
    ["forked_from_id", { forked_from_id: PARENT }],
    ["a sub-agent's parent", { source: { subagent: { thread_spawn: { parent_thread_id: PARENT, depth: 1 } } } }],
  ])("count the copy of the parent's usage once (%s)", async (_name, link) => {
    const dir = path.join(home, "sessions", "2026", "11", "20");
    await fs.mkdir(dir, { recursive: true });
    await fs.writeFile(
      path.join(dir, `rollout-2026-11-20T10-00-00-${PARENT}.jsonl`),
      meta(PARENT) +
        model +
        count("2026-11-20T10:01:00Z", usage(100, 40, 10)) +
        count("2026-11-20T10:02:00Z", usage(250, 90, 30)),
    );
    // The child replays the parent's counts at its own start, then goes on from there.
    await fs.writeFile(
      path.join(dir, `rollout-2026-11-20T11-00-00-${CHILD}.jsonl`),
      meta(CHILD, link) +
        model +
        count("2026-11-20T11:00:00Z", usage(100, 40, 10)) +
        count("2026-11-20T11:00:00Z", usage(250, 90, 30)) +
        count("2026-11-20T11:05:00Z", usage(400, 150, 45)),
    );
    const result = read();
    expect(daysOfEvents(result.events)).toEqual({
      "2026-11-20": { input: 60 + 100 + 90, cacheRead: 150, output: 45, cacheWrite: 0 },
    });
    expect(result.skipped).toEqual({ inherited: 2 });
    expect(result.events.filter((e) => e.sessionId === CHILD)).toEqual([
      expect.objectContaining({ input: 90, cacheRead: 60, output: 15, timestamp: Date.parse("2026-11-20T11:05:00Z") }),
    ]);
  });
});

describe("rollouts as Codex writes them today", () => {
  const MIMO = { provider: "xiaomi-token-plan-sgp", model: "mimo-v2.5-pro" };
  const uuid = (n: number) => `0199d000-0000-7000-8000-${String(n).padStart(12, "0")}`;
  const one = (at: string, input: number, cached: number, cacheWrite: number, output: number) => ({
    at,
    input,
    cached,
    cacheWrite,
    output,
    reasoning: 0,
  });
  const session = (n: number, extra: Partial<CodexSession> = {}): CodexSession => ({
    id: uuid(n),
    start: "2026-11-20T10:00:00.000Z",
    source: "cli",
    cwd: "/w",
    ...MIMO,
    requests: [one("2026-11-20T10:01:00.000Z", 100, 40, 0, 7)],
    ...extra,
  });
  const config = () => fs.writeFile(path.join(home, "config.toml"), CODEX_CONFIG);

  it.each([
    ["cli"],
    ["vscode"],
    ["exec"],
    ["mcp"],
    [{ subagent: "review" }],
    [{ custom: "raycast" }],
    [{ subagent: { thread_spawn: { parent_thread_id: uuid(99), parent_turn_id: null, depth: 1, agent_path: null } } }],
    [{ subagent: { other: "guardian" } }],
  ])("reads session_meta whatever its source: %j", async (source) => {
    await config();
    // The session's own provider (OpenAI) wins over config.toml's default (MiMo's): nothing counts.
    await writeCodexRollout(home, session(1, { source, provider: "openai", model: "gpt-5.2" }));
    // And its id, not the file's, names the session.
    await writeCodexRollout(home, session(2, { source, id: "named-in-meta" }), {});
    const result = read();
    expect(result.events.map((e) => e.sessionId)).toEqual(["named-in-meta"]);
    expect(result.skipped).toEqual({ notMimo: 1 });
  });

  it("counts a fork's own requests under its own id, and its copy of the parent's nothing", async () => {
    const parent = session(1, {
      requests: [
        one("2026-11-20T10:01:00.000Z", 1000, 400, 0, 200),
        one("2026-11-20T10:02:00.000Z", 300, 1200, 0, 100),
      ],
    });
    const fork = session(2, {
      start: "2026-11-21T09:00:00.000Z",
      forkedFrom: parent.id,
      requests: [one("2026-11-21T09:05:00.000Z", 500, 2000, 0, 150)],
    });
    await writeCodexRollout(home, parent);
    await writeCodexRollout(home, fork, { parent });
    const result = read();
    expect(result.events.map((e) => [e.sessionId, e.input, e.cacheRead, e.output])).toEqual([
      [parent.id, 1000, 400, 200],
      [parent.id, 300, 1200, 100],
      [fork.id, 500, 2000, 150],
    ]);
    expect(result.skipped).toEqual({ inherited: 2 });
  });

  it("counts a fork of a compressed parent the same way", async () => {
    const parent = session(1);
    const fork = session(2, { start: "2026-11-21T09:00:00.000Z", forkedFrom: parent.id });
    await writeCodexRollout(home, parent, { compressed: true });
    await writeCodexRollout(home, fork, { parent });
    const result = read();
    expect(result.events.map((e) => e.sessionId)).toEqual([parent.id, fork.id]);
    expect(result.skipped).toEqual({ inherited: 1 });
  });

  it("files cache writes (part of input_tokens) as cache write, not input", async () => {
    await writeCodexRollout(home, session(1, { requests: [one("2026-11-20T10:01:00.000Z", 100, 0, 500, 50)] }));
    expect(read().events).toEqual([expect.objectContaining({ input: 100, cacheRead: 0, cacheWrite: 500, output: 50 })]);
  });

  it("finds and reads compressed rollouts, prefers a plain sibling, and passes over Codex's temporary files", async () => {
    const packed = await writeCodexRollout(home, session(1), { compressed: true });
    const plain = await writeCodexRollout(
      home,
      session(2, { requests: [one("2026-11-20T10:01:00.000Z", 9, 0, 0, 1)] }),
    );
    // Mid-compression: both representations of session 2, and a temporary file.
    await fs.copyFile(packed, `${plain}.zst`);
    await fs.writeFile(`${plain}.zst.compress.1.0.tmp`, "partial");
    const sources = locateCodex({ home, env: { CODEX_HOME: home } });
    expect(sources.logs.map((f) => path.basename(f))).toEqual([path.basename(packed), path.basename(plain)]);
    const first = read();
    expect(first.events.map((e) => [e.sessionId, e.input])).toEqual([
      [uuid(1), 100],
      [uuid(2), 9],
    ]);
    // An unchanged compressed rollout is not read again; a rewritten one is read whole, from its start.
    const second = read(first.cursor);
    expect(second.events).toEqual([]);
    const longer = session(1, {
      requests: [one("2026-11-20T10:01:00.000Z", 100, 40, 0, 7), one("2026-11-20T10:03:00.000Z", 20, 0, 0, 2)],
    });
    await fs.rm(packed);
    await writeCodexRollout(home, longer, { compressed: true });
    const third = read(second.cursor);
    expect(third.events.map((e) => e.key)).toEqual([first.events[0].key, expect.stringContaining(uuid(1))]);
    expect(third.events[1]).toMatchObject({ input: 20, output: 2 });
  });

  it("names a damaged compressed rollout once and goes on with the others", async () => {
    const packed = await writeCodexRollout(home, session(1), { compressed: true });
    await writeCodexRollout(home, session(2));
    const bytes = await fs.readFile(packed);
    await fs.writeFile(packed, bytes.subarray(0, bytes.length - 12));
    const first = readCodex({ sources: locateCodex({ home, env: { CODEX_HOME: home } }), cursor: null });
    expect(first.problems).toEqual([
      expect.stringMatching(/^Codex: .*\.jsonl\.zst was not read: damaged Zstandard data/),
    ]);
    expect(first.events.map((e) => e.sessionId)).toEqual([uuid(2)]);
    const second = readCodex({ sources: locateCodex({ home, env: { CODEX_HOME: home } }), cursor: first.cursor });
    expect(second.problems).toEqual([]);
  });
});
