import { execFile } from "node:child_process";
import { promises as fs } from "node:fs";
import path from "node:path";
import { promisify } from "node:util";
import { CODEX_CONFIG, sqlite } from "../../../helpers/clients";
import {
  OPENCODE_V2_SCHEMA,
  openClawArchive,
  openClawRows,
  openClawSession,
  preFixStep,
  v2Assistant,
  v2Session,
  writeCodexRollout,
  writeOpenClawDatabase,
  zstd,
  jsonl,
  type CodexSession,
  type OpenClawTurn,
} from "../../../helpers/current-writers";
import { builtCli } from "../../../helpers/cli-build";
import { tempDir } from "../../../helpers/transcripts";

/**
 * Every shape the clients write today, in their default places under one home, read through the
 * built command line: per-client totals are exact, and a store in a shape no reader knows is named
 * in `warnings`. The expected totals are sums of the numbers written, worked out here by hand.
 */

const run = promisify(execFile);
let home: string;
let cli: string;

const MIMO = { provider: "xiaomi-token-plan-sgp", model: "mimo-v2.5-pro" };
const id = (n: number) => `0199c000-0000-7000-8000-${String(n).padStart(12, "0")}`;
const codexBase = { cwd: "/work/app", ...MIMO };

const PARENT: CodexSession = {
  ...codexBase,
  id: id(3),
  start: "2026-11-21T09:00:00.000Z",
  source: "cli",
  requests: [
    { at: "2026-11-21T09:01:00.000Z", input: 1000, cached: 400, cacheWrite: 0, output: 200, reasoning: 50 },
    { at: "2026-11-21T09:02:00.000Z", input: 300, cached: 1200, cacheWrite: 0, output: 100, reasoning: 0 },
  ],
};
const CODEX: { session: CodexSession; compressed?: boolean; parent?: CodexSession; counted: number }[] = [
  {
    // A gpt-5.2 session on OpenAI while config.toml's default provider is MiMo's: never MiMo.
    session: {
      ...codexBase,
      id: id(1),
      start: "2026-11-20T09:00:00.000Z",
      source: "vscode",
      provider: "openai",
      model: "gpt-5.2",
      requests: [{ at: "2026-11-20T09:01:00.000Z", input: 1000, cached: 0, cacheWrite: 0, output: 100, reasoning: 0 }],
    },
    counted: 0,
  },
  {
    session: {
      ...codexBase,
      id: id(2),
      start: "2026-11-20T10:00:00.000Z",
      source: { subagent: "review" },
      requests: [{ at: "2026-11-20T10:01:00.000Z", input: 100, cached: 0, cacheWrite: 500, output: 50, reasoning: 10 }],
    },
    counted: 100 + 500 + 50,
  },
  { session: PARENT, counted: 1000 + 400 + 200 + 300 + 1200 + 100 },
  {
    session: {
      ...codexBase,
      id: id(4),
      start: "2026-11-22T09:00:00.000Z",
      source: "cli",
      forkedFrom: PARENT.id,
      requests: [
        { at: "2026-11-22T09:05:00.000Z", input: 500, cached: 2000, cacheWrite: 0, output: 150, reasoning: 0 },
      ],
    },
    parent: PARENT,
    counted: 500 + 2000 + 150,
  },
  {
    session: {
      ...codexBase,
      id: id(5),
      start: "2026-11-10T09:00:00.000Z",
      source: { custom: "raycast" },
      requests: [{ at: "2026-11-10T09:01:00.000Z", input: 700, cached: 300, cacheWrite: 0, output: 80, reasoning: 0 }],
    },
    compressed: true,
    counted: 700 + 300 + 80,
  },
  {
    session: {
      ...codexBase,
      id: id(6),
      start: "2026-11-21T09:30:00.000Z",
      source: {
        subagent: {
          thread_spawn: {
            parent_thread_id: PARENT.id,
            parent_turn_id: null,
            depth: 1,
            agent_path: null,
            agent_nickname: "scout",
            agent_role: null,
          },
        },
      },
      requests: [{ at: "2026-11-21T09:31:00.000Z", input: 50, cached: 0, cacheWrite: 0, output: 5, reasoning: 0 }],
    },
    counted: 55,
  },
];

const AT = Date.parse("2026-11-24T10:00:00.000Z");
const OC_LIVE: OpenClawTurn[] = [
  {
    id: "ev-big",
    at: "2026-11-22T10:00:00.000Z",
    ...MIMO,
    usage: { input: 3000, output: 1200, cacheRead: 28000, cacheWrite: 400 },
    textLength: 3000,
  },
  {
    id: "ev-small",
    at: "2026-11-22T10:02:00.000Z",
    ...MIMO,
    usage: { input: 50, output: 20, cacheRead: 0, cacheWrite: 0 },
  },
];
const OC_GONE: OpenClawTurn[] = [
  {
    id: "ev-gone",
    at: "2026-11-19T08:00:00.000Z",
    ...MIMO,
    usage: { input: 500, output: 60, cacheRead: 1000, cacheWrite: 0 },
  },
];

const EXPECTED = {
  codex: CODEX.reduce((sum, c) => sum + c.counted, 0),
  // OpenCode 2's 10,600-token message, and a step written before fix #21047 that is 400 tokens
  // (350 output holding 200 reasoning, 50 input): 600 if its reasoning were added again.
  opencode: 600 + 400 + 100 + 9000 + 500 + (50 + 350),
  kilo: 2000 + 100 + 3000,
  openclaw: 3000 + 1200 + 28000 + 400 + 50 + 20 + (500 + 60 + 1000),
};

beforeAll(async () => {
  home = await tempDir("mimo-current-writers-");
  cli = await builtCli();
  // Codex, ~/.codex: config.toml names MiMo's provider as the default.
  const codex = path.join(home, ".codex");
  await fs.mkdir(codex, { recursive: true });
  await fs.writeFile(path.join(codex, "config.toml"), CODEX_CONFIG);
  for (const c of CODEX) await writeCodexRollout(codex, c.session, { compressed: c.compressed, parent: c.parent });

  // OpenCode 2, ~/.local/share/opencode/opencode.db: session_message rows, plus an older step.
  const share = path.join(home, ".local", "share");
  await fs.mkdir(path.join(share, "opencode"), { recursive: true });
  sqlite(
    path.join(share, "opencode", "opencode.db"),
    `PRAGMA journal_mode=WAL;\n${OPENCODE_V2_SCHEMA}\nBEGIN;
${v2Session("ses_v2", "/work/v2", AT)}
${v2Assistant({ id: "msg_a1", session: "ses_v2", seq: 2, created: AT, completed: AT + 4000, ...modelOf(MIMO), tokens: { input: 600, output: 400, reasoning: 100, read: 9000, write: 500 } })}
${v2Assistant({ id: "msg_a2", session: "ses_v2", seq: 4, created: AT + 9000, completed: AT + 9900, model: "claude-sonnet-4-5", provider: "anthropic", tokens: { input: 7000, output: 700, reasoning: 0, read: 0, write: 0 } })}
${v2Session("ses_old", "/work/old", AT - 86_400_000)}
${preFixStep("old1", "ses_old", AT - 86_000_000, { input: 50, output: 350, reasoning: 200, read: 0, write: 0 }, MIMO)}
COMMIT;`,
  );
  // Kilo, ~/.local/share/kilo/kilo.db, and a channel database in a shape no version wrote before.
  await fs.mkdir(path.join(share, "kilo"), { recursive: true });
  sqlite(
    path.join(share, "kilo", "kilo.db"),
    `PRAGMA journal_mode=WAL;\n${OPENCODE_V2_SCHEMA}\nBEGIN;
${v2Session("ses_k", "/work/kilo", AT)}
${v2Assistant({ id: "msg_k1", session: "ses_k", seq: 2, created: AT, completed: AT + 3000, ...modelOf(MIMO), tokens: { input: 2000, output: 100, reasoning: 0, read: 3000, write: 0 } })}
COMMIT;`,
  );
  sqlite(
    path.join(share, "kilo", "kilo-nightly.db"),
    "CREATE TABLE conversation_turn (id TEXT PRIMARY KEY, body TEXT); INSERT INTO conversation_turn VALUES ('t', '{}');",
  );

  // OpenClaw, ~/.openclaw: compressed events, an archived session and its published copy.
  const agent = path.join(home, ".openclaw", "agents", "main");
  const live = openClawSession("oc-live", "/work/claw", OC_LIVE);
  const gone = openClawSession("oc-gone", "/work/claw", OC_GONE);
  const archiveName = "oc-gone.jsonl.deleted.2026-11-23T08-00-00.000Z.zst";
  await writeOpenClawDatabase(
    path.join(agent, "agent", "openclaw-agent.sqlite"),
    `${openClawRows("oc-live", live)}\n${openClawArchive("oc-gone", gone, archiveName, AT)}`,
  );
  await fs.mkdir(path.join(agent, "sessions"), { recursive: true });
  await fs.writeFile(path.join(agent, "sessions", archiveName), zstd(jsonl(gone)));
});
afterAll(async () => {
  await fs.rm(home, { recursive: true, force: true });
});

function modelOf(who: { provider: string; model: string }) {
  return { provider: who.provider, model: who.model };
}

async function scan(...args: string[]) {
  const { stdout } = await run(process.execPath, [cli, "--json", "--tz", "UTC", ...args], {
    env: { PATH: process.env.PATH ?? "", HOME: home },
  });
  return JSON.parse(stdout) as {
    lifetime: { total: number };
    clients: { name: string; lifetime: { total: number } }[];
    warnings: string[];
  };
}

describe("the clients as they write today, through the built command line", () => {
  it("gives exact totals per client", async () => {
    const snapshot = await scan();
    const totals = Object.fromEntries(snapshot.clients.map((c) => [c.name, c.lifetime.total]));
    expect(totals).toEqual({ "claude-code": 0, ...EXPECTED });
    expect(snapshot.lifetime.total).toBe(Object.values(EXPECTED).reduce((a, b) => a + b, 0));
  });

  it("names the store in an unknown shape once in warnings, and nothing else", async () => {
    const { warnings } = await scan();
    const about = warnings.filter((w) => /Kilo|OpenCode|OpenClaw|Codex/.test(w));
    expect(about).toEqual([
      `Kilo's database ${path.join(home, ".local", "share", "kilo", "kilo-nightly.db")} has none of the tables OpenCode keeps messages in (message and part, or session_message); it was not counted.`,
    ]);
  });

  it("counts the same again from a saved state (each shape read incrementally)", async () => {
    const state = path.join(home, "state.bin");
    const first = await scan("--state", state);
    const second = await scan("--state", state);
    expect(second.clients).toEqual(first.clients);
    expect(Object.fromEntries(second.clients.map((c) => [c.name, c.lifetime.total]))).toEqual({
      "claude-code": 0,
      ...EXPECTED,
    });
  });
});
