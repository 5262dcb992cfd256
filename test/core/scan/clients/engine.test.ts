import { promises as fs } from "node:fs";
import path from "node:path";
import { refreshUsage } from "../../../../src/core/chain/local";
import type { Snapshot } from "../../../../src/core/views/schema";
import {
  expectedDays,
  requestPlan,
  sumDays,
  writeCodexHome,
  writeOpenClaw,
  writeOpenCodeDb,
  type Buckets,
} from "../../../helpers/clients";
import { assistant, configFor, tempDir, writeTranscript } from "../../../helpers/transcripts";

/**
 * The other clients feed the same ledger, windows and views as Claude Code: per-day totals of the
 * snapshot are Claude Code's plus every client's MiMo requests, each client has its share of each
 * window, and a second refresh with nothing new counts nothing again.
 */

const plan = requestPlan();
let home: string;
let claude: string;
let statePath: string;

beforeAll(async () => {
  home = await tempDir("mimo-engine-clients-");
  claude = path.join(home, ".claude-envs", "mimo", ".claude");
  statePath = path.join(home, "support", "usage-state.bin");
  await fs.mkdir(path.dirname(statePath), { recursive: true });
  await writeTranscript(claude, "c1.jsonl", [
    assistant({
      id: "a",
      req: "a",
      session: "c1",
      ts: "2026-11-20T08:00:00Z",
      input: 1000,
      output: 100,
      cacheRead: 50,
    }),
    assistant({
      id: "b",
      req: "b",
      session: "c1",
      ts: "2026-11-22T08:00:00Z",
      input: 2000,
      output: 200,
      cacheWrite: 10,
    }),
  ]);
  const share = path.join(home, ".local", "share");
  await writeOpenCodeDb(share, "opencode", plan);
  await writeOpenCodeDb(share, "kilo", plan);
  await writeCodexHome(path.join(home, ".codex"), plan, { reemit: true });
  await writeOpenClaw(path.join(home, ".openclaw"), plan, { archived: ["oc1"], databaseOnly: ["oc3"], both: ["oc2"] });
});
afterAll(async () => {
  await fs.rm(home, { recursive: true, force: true });
});

const claudeDays: Record<string, Buckets> = {
  "2026-11-20": { input: 1000, output: 100, cacheRead: 50, cacheWrite: 0 },
  "2026-11-22": { input: 2000, output: 200, cacheRead: 0, cacheWrite: 10 },
};

async function refresh(enabled: "found" | ("opencode" | "kilo" | "openclaw" | "codex")[] = "found"): Promise<Snapshot> {
  const result = await refreshUsage(
    configFor([claude], {
      statePath,
      now: () => new Date("2026-11-23T20:00:00Z"),
      clients: { home, env: {}, enabled, sqlite: { backend: "sqlite3" } },
    }),
  );
  if (!result.ok) throw new Error(result.error);
  return result.snapshot;
}

function daysOf(snapshot: Snapshot): Record<string, Buckets> {
  return Object.fromEntries(
    snapshot.days.map((d) => [
      d.date,
      { input: d.input, output: d.output, cacheRead: d.cacheRead, cacheWrite: d.cacheWrite },
    ]),
  );
}

describe("other clients in the engine", () => {
  it("adds every client's MiMo requests to Claude Code's, day by day, and splits each window by client", async () => {
    const snapshot = await refresh();
    expect(snapshot.warnings).toEqual([]);
    expect(daysOf(snapshot)).toEqual(sumDays(claudeDays, expectedDays(plan)));
    const lifetime = Object.fromEntries(snapshot.clients.map((c) => [c.name, c.lifetime.total]));
    const total = (days: Record<string, Buckets>) =>
      Object.values(days).reduce((sum, d) => sum + d.input + d.output + d.cacheRead + d.cacheWrite, 0);
    expect(lifetime).toEqual({
      "claude-code": total(claudeDays),
      opencode: total(expectedDays(plan, "opencode")),
      kilo: total(expectedDays(plan, "kilo")),
      openclaw: total(expectedDays(plan, "openclaw")),
      codex: total(expectedDays(plan, "codex")),
    });
    const today = Object.fromEntries(snapshot.clients.map((c) => [c.name, c.today.total]));
    expect(today).toEqual({
      "claude-code": 0,
      opencode: 0,
      kilo: 0,
      openclaw: total({ d: expectedDays(plan, "openclaw")["2026-11-23"] }),
      codex: 0,
    });
    expect(snapshot.clients.map((c) => [c.name, c.found, c.read])).toEqual([
      ["claude-code", true, true],
      ["opencode", true, true],
      ["kilo", true, true],
      ["openclaw", true, true],
      ["codex", true, true],
    ]);
    const sessionClients = Object.fromEntries(snapshot.sessions.map((s) => [s.sessionId, s.client]));
    expect(sessionClients).toMatchObject({
      c1: "claude-code",
      ses_a: "opencode",
      ses_k: "kilo",
      oc2: "openclaw",
      cs1: "codex",
    });
    expect(snapshot.sessions.find((s) => s.sessionId === "ses_a")?.project).toBe("/work/opencode-ses_a");
  });

  it("counts nothing twice on the next refresh, and reads a client only when asked", async () => {
    const first = await refresh();
    const second = await refresh();
    expect(daysOf(second)).toEqual(daysOf(first));
    const onlyCodex = await refresh(["codex"]);
    expect(daysOf(onlyCodex)).toEqual(sumDays(claudeDays, expectedDays(plan, "codex")));
    expect(onlyCodex.clients.filter((c) => c.read).map((c) => c.name)).toEqual(["claude-code", "codex"]);
  });
});
