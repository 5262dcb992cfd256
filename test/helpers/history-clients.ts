import { promises as fs } from "node:fs";
import path from "node:path";
import { loadUsageReport } from "../../src/core/chain/report";
import type { UsageReport } from "../../src/core/chain/report-schema";
import { expectedDays, requestPlan, writeCodexHome, writeOpenCodeDb, type Buckets } from "./clients";
import { assistant, configFor, tempDir, writeTranscript } from "./transcripts";

/**
 * The history's client filter: Claude Code transcripts plus OpenCode and Codex data from the shared
 * request plan (2026-11-20 to 2026-11-23), seen on 2026-11-23 20:00 UTC in UTC. Expected figures come
 * from the plan and the lines below, never from the code under test.
 */
export const CLIENTS_NOW = new Date("2026-11-23T20:00:00Z");

const CLAUDE_LINES = [
  { ts: "2026-11-20T08:00:00Z", input: 7000, output: 300, cacheRead: 2000, cacheWrite: 0 },
  { ts: "2026-11-22T09:00:00Z", input: 1500, output: 120, cacheRead: 0, cacheWrite: 400 },
];

/** Each client's per-day buckets by UTC date. */
export function clientDays(): Record<"claude-code" | "opencode" | "codex", Record<string, Buckets>> {
  const claude: Record<string, Buckets> = {};
  for (const { ts, ...b } of CLAUDE_LINES) claude[ts.slice(0, 10)] = b;
  const plan = requestPlan();
  return { "claude-code": claude, opencode: expectedDays(plan, "opencode"), codex: expectedDays(plan, "codex") };
}

export interface ClientsFixture {
  /** Claude Code, OpenCode and Codex. */
  report: UsageReport;
  /** The same Claude Code transcripts, no other client read. */
  claudeOnly: UsageReport;
  cleanup: () => Promise<void>;
}

export async function historyClientsReport(): Promise<ClientsFixture> {
  const home = await tempDir("mimo-history-clients-");
  await writeTranscript(
    path.join(home, "mimo"),
    "cc.jsonl",
    CLAUDE_LINES.map((line, i) => assistant({ id: `m${i}`, req: `r${i}`, session: "cc", cwd: "/p/claude", ...line })),
  );
  await writeOpenCodeDb(path.join(home, ".local", "share"), "opencode", requestPlan());
  await writeCodexHome(path.join(home, ".codex"), requestPlan());
  await fs.mkdir(path.join(home, "support"), { recursive: true });
  const load = (withClients: boolean, state: string) =>
    loadUsageReport({
      engine: configFor([path.join(home, "mimo")], {
        statePath: path.join(home, "support", state),
        now: () => CLIENTS_NOW,
        clients: withClients ? { home, env: {}, enabled: "found", sqlite: { backend: "sqlite3" } } : undefined,
      }),
      supportPath: path.join(home, "support"),
      cookie: "",
      refreshIntervalMs: 5 * 60 * 1000,
      now: () => CLIENTS_NOW,
      platform: async () => ({ ok: false, error: { kind: "noCookie", message: "No platform cookie is set." } }),
    });
  const report = await load(true, "state.bin");
  const claudeOnly = await load(false, "claude-only.bin");
  return { report, claudeOnly, cleanup: () => fs.rm(home, { recursive: true, force: true }) };
}
