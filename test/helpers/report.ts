import { promises as fs } from "node:fs";
import path from "node:path";
import type { PlatformResult, PlatformSnapshot, UsageReport } from "../../src/core/chain/report-schema";
import { loadUsageReport } from "../../src/core/chain/report";
import { assistant, configFor, tempDir, writeTranscript } from "./transcripts";

/** A report produced by the real source chain over a small transcript corpus written to a temp dir. */

export const REPORT_NOW = new Date("2026-11-25T12:00:00Z");

export const PLATFORM: PlatformSnapshot = {
  fetchedAt: "2026-11-25T11:58:00.000Z",
  balance: { amount: 12.34, currency: "CNY", cash: 10, gift: 2.34 },
  plan: { code: "token_plan_pro", periodEnd: "2026-12-10T00:00:00.000Z", expired: false },
  planError: null,
  quota: {
    primary: { name: "month_total_token", used: 6_200_000, limit: 10_000_000, fraction: 0.62 },
    items: [{ name: "month_total_token", used: 6_200_000, limit: 10_000_000, fraction: 0.62 }],
  },
  quotaError: null,
};

export interface ReportFixture {
  report: UsageReport;
  dir: string;
  cleanup: () => Promise<void>;
}

export async function makeReport(
  options: { platform?: PlatformResult | null; empty?: boolean; now?: Date } = {},
): Promise<ReportFixture> {
  const dir = await tempDir("mimo-report-");
  const root = path.join(dir, "mimo");
  if (!options.empty) {
    await writeTranscript(
      root,
      "a1.jsonl",
      [
        JSON.stringify({ type: "summary", summary: "Fix the login flow", leafUuid: "x" }),
        assistant({
          id: "1",
          req: "1",
          session: "a1",
          ts: "2026-11-25T09:00:00Z",
          input: 1_000_000,
          output: 200_000,
          cacheRead: 30_000,
          cacheWrite: 4_000,
          cwd: "/Users/me/work/webapp",
        }),
        assistant({
          id: "2",
          req: "2",
          session: "a1",
          ts: "2026-11-25T10:30:00Z",
          input: 5_000,
          output: 1_000,
          cwd: "/Users/me/work/webapp",
        }),
      ],
      { project: "-Users-me-work-webapp" },
    );
    await writeTranscript(
      root,
      "b2.jsonl",
      [
        assistant({
          id: "3",
          req: "3",
          session: "b2",
          ts: "2026-11-24T08:00:00Z",
          input: 40_000,
          model: "mimo-v2.5",
          cwd: "/Users/me/work/cli",
        }),
      ],
      { project: "-Users-me-work-cli" },
    );
    await writeTranscript(
      root,
      "c3.jsonl",
      [
        assistant({
          id: "4",
          req: "4",
          session: "c3",
          ts: "2026-11-10T08:00:00Z",
          input: 7_000,
          cwd: "/Users/me/work/old",
        }),
      ],
      { project: "-Users-me-work-old" },
    );
  }
  const now = options.now ?? REPORT_NOW;
  const platform = options.platform === undefined ? { ok: true as const, value: PLATFORM } : options.platform;
  const report = await loadUsageReport({
    engine: configFor([root], { statePath: path.join(dir, "support", "state.bin"), now: () => now }),
    supportPath: path.join(dir, "support"),
    cookie: platform ? "api-platform_serviceToken=t; userId=1" : "",
    refreshIntervalMs: 5 * 60 * 1000,
    now: () => now,
    platform: async () => platform ?? { ok: false, error: { kind: "noCookie", message: "No platform cookie is set." } },
  });
  return { report, dir, cleanup: () => fs.rm(dir, { recursive: true, force: true }) };
}
