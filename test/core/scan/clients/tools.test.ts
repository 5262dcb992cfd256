import { promises as fs } from "node:fs";
import path from "node:path";
import { loadUsageReport } from "../../../../src/core/chain/report";
import type { UsageReport } from "../../../../src/core/chain/report-schema";
import { getTopSessions } from "../../../../src/tools/get-top-sessions";
import { getUsage } from "../../../../src/tools/get-usage";
import { historySummary } from "../../../../src/core/query/history";
import { rangeMarkdown } from "../../../../src/components/HistoryDetail";
import { expectedDays, requestPlan, writeCodexHome, writeOpenCodeDb } from "../../../helpers/clients";
import { assistant, configFor, tempDir, writeTranscript } from "../../../helpers/transcripts";

/** The AI tools answer per client: tokens per client for any period, sessions of one client. */

const NOW = new Date("2026-11-22T20:00:00Z");
const plan = requestPlan();
let home: string;
let report: UsageReport;

beforeAll(async () => {
  home = await tempDir("mimo-tools-clients-");
  await writeTranscript(path.join(home, "mimo"), "c1.jsonl", [
    assistant({ id: "a", req: "a", session: "c1", ts: "2026-11-21T08:00:00Z", input: 5000, output: 100 }),
  ]);
  await writeOpenCodeDb(path.join(home, ".local", "share"), "opencode", plan);
  await writeCodexHome(path.join(home, ".codex"), plan);
  await fs.mkdir(path.join(home, "support"));
  report = await loadUsageReport({
    engine: configFor([path.join(home, "mimo")], {
      statePath: null,
      now: () => NOW,
      clients: { home, env: {}, enabled: "found", sqlite: { backend: "sqlite3" } },
    }),
    supportPath: path.join(home, "support"),
    cookie: "",
    refreshIntervalMs: 5 * 60 * 1000,
    now: () => NOW,
    platform: async () => ({ ok: false, error: { kind: "noCookie", message: "No platform cookie is set." } }),
  });
});
afterAll(async () => {
  await fs.rm(home, { recursive: true, force: true });
});

const dayTotal = (client: "opencode" | "codex", dates: string[]) =>
  dates.reduce((sum, date) => {
    const d = expectedDays(plan, client)[date];
    return sum + (d ? d.input + d.output + d.cacheRead + d.cacheWrite : 0);
  }, 0);

describe("AI tools per client", () => {
  it("get-usage gives each client's tokens for any range", () => {
    const answer = getUsage({ from: "2026-11-21", to: "2026-11-22" }, report, NOW);
    if (!answer.available) throw new Error(`unavailable: ${JSON.stringify(report.localError ?? report.problems)}`);
    const range = ["2026-11-21", "2026-11-22"];
    expect(answer.byClient).toEqual(
      [
        { client: "Claude Code", totalTokens: 5100 },
        { client: "OpenCode", totalTokens: dayTotal("opencode", range) },
        { client: "Codex", totalTokens: dayTotal("codex", range) },
      ].sort((a, b) => b.totalTokens - a.totalTokens),
    );
    expect(answer.totalTokens).toBe(answer.byClient?.reduce((sum, c) => sum + c.totalTokens, 0));
  });

  it("get-top-sessions ranks one client's sessions and names each session's client", () => {
    const answer = getTopSessions({ period: "lifetime", client: "OpenCode" }, report, NOW);
    if (!answer.available) throw new Error(`unavailable: ${JSON.stringify(report.localError ?? report.problems)}`);
    const sessionTotal = (id: string) =>
      plan
        .filter((r) => r.session === id && r.provider.startsWith("xiaomi"))
        .reduce((sum, r) => sum + r.input + r.output + r.reasoning + r.cacheRead + r.cacheWrite, 0);
    const ranked = ["ses_a", "ses_b"].sort((a, b) => sessionTotal(b) - sessionTotal(a));
    expect(answer.sessions?.map((s) => [s.sessionId, s.client, s.periodTokens])).toEqual(
      ranked.map((id) => [id, "OpenCode", sessionTotal(id)]),
    );
    expect(answer.periodTotalTokens).toBe(dayTotal("opencode", Object.keys(expectedDays(plan, "opencode"))));
    const all = getTopSessions({ period: "lifetime", limit: 50 }, report, NOW);
    if (!all.available) throw new Error("unavailable");
    expect(new Set(all.sessions?.map((s) => s.client))).toEqual(new Set(["Claude Code", "OpenCode", "Codex"]));
  });

  it("get-top-sessions refuses an unknown client in plain words", () => {
    expect(() => getTopSessions({ client: "cline" }, report, NOW)).toThrow(/client "cline" is not one of claude-code/);
  });
});

describe("history per client", () => {
  it("lists each client's tokens of the range, and shows them in the detail pane", () => {
    if (!report.local) throw new Error("no local section");
    const snapshot = report.local.snapshot;
    const summary = historySummary(snapshot, "all");
    const all = (client: "opencode" | "codex") => dayTotal(client, Object.keys(expectedDays(plan, client)));
    expect(summary.clients).toEqual(
      [
        { client: "claude-code", total: 5100 },
        { client: "opencode", total: all("opencode") },
        { client: "codex", total: all("codex") },
      ].sort((a, b) => b.total - a.total),
    );
    const markdown = rangeMarkdown(summary, snapshot, { appearance: "light", stackBy: "bucket" });
    expect(markdown).toContain(`| OpenCode | ${all("opencode").toLocaleString("en-US")} |`);
  });
});
