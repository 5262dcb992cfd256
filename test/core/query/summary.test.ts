import {
  describePlanUsage,
  menuBarTitle,
  planPercent,
  searchSubtitle,
  summaryText,
} from "../../../src/core/query/summary";
import { planPaceOf, planUsage } from "../../../src/core/query/plan";
import type { UsageReport } from "../../../src/core/chain/report-schema";
import { makeReport, PLATFORM, REPORT_NOW, rescan, type ReportFixture } from "../../helpers/report";

let withPlan: ReportFixture;
let localOnly: ReportFixture;
beforeAll(async () => {
  withPlan = await makeReport();
  localOnly = await makeReport({ platform: null });
});
afterAll(async () => {
  await withPlan.cleanup();
  await localOnly.cleanup();
});

describe("menu bar title", () => {
  it("shows the chosen figure", () => {
    const report = withPlan.report;
    expect(menuBarTitle(report, "todayTokens", REPORT_NOW)).toBe("1.2M");
    expect(menuBarTitle(report, "weekTokens", REPORT_NOW)).toBe("1.3M");
    expect(menuBarTitle(report, "planLeft", REPORT_NOW)).toBe("38%");
    // 1.005M input at ¥3/M + 201K output at ¥6/M + 30K cache read at ¥0.025/M + 4K cache write at ¥3/M = ¥4.234
    expect(menuBarTitle(report, "todayCost", REPORT_NOW)).toBe("¥4.23");
    // The same tokens in Credits: 1,005,000 × 300 + 201,000 × 600 + 30,000 × 2.5 + 4,000 × 300 = 423,375,000.
    expect(menuBarTitle(report, "todayCredits", REPORT_NOW)).toBe("423M cr");
    // The week adds yesterday's 40,000 input tokens of mimo-v2.5 at 100 Credits each.
    expect(menuBarTitle(report, "weekCredits", REPORT_NOW)).toBe("427M cr");
  });

  it("marks a Credits title that leaves unrated tokens out", () => {
    const local = withPlan.report.local!;
    const today = local.snapshot.today;
    const titleWith = (uncreditedTokens: number, credits: number) =>
      menuBarTitle(
        {
          ...withPlan.report,
          local: { ...local, snapshot: { ...local.snapshot, today: { ...today, uncreditedTokens, credits } } },
        },
        "todayCredits",
        REPORT_NOW,
      );
    expect(titleWith(1_000, today.credits)).toBe("≥ 423M cr");
    expect(titleWith(today.total, 0)).toBe("— cr");
  });

  it("falls back to today's tokens when the plan is unknown, and to nothing before the first report", () => {
    expect(menuBarTitle(localOnly.report, "planLeft", REPORT_NOW)).toBe("1.2M");
    expect(menuBarTitle(undefined, "todayTokens", REPORT_NOW)).toBeUndefined();
  });
});

describe("texts", () => {
  it("builds the refresh command's search subtitle", () => {
    expect(searchSubtitle(withPlan.report, REPORT_NOW)).toBe("Today 1.2M · Week 1.3M · Plan 62% used");
    expect(searchSubtitle(localOnly.report, REPORT_NOW)).toBe("Today 1.2M · Week 1.3M");
  });

  it("builds a clipboard summary in credits, with sources and times", () => {
    const text = summaryText(withPlan.report, REPORT_NOW);
    expect(text).toContain("Plan (token_plan_pro): 6.2B / 10B Credits · 62%");
    expect(text).toContain("Pace: 10% ahead of pace");
    expect(text).toContain("Balance: 12.34 CNY");
    expect(text).toContain(
      "Today: 1.2M tokens (input 1M, output 201K, cache read 30K, cache write 4K), 2 messages, 1 session",
    );
    expect(text).toContain("Source: Local scan, updated 2026-11-25 12:00 (just now)");
    expect(text).toContain("Plan source: Platform, updated 2 min ago");
    expect(text).not.toMatch(/tokens? \(6|of the plan/);
  });

  it("writes a plan figure in credits with three figures, a ratio percent and ≈ for estimates", () => {
    expect(describePlanUsage({ used: 8_582_309_279, limit: 82e9, fraction: 0.1047, estimated: false })).toBe(
      "8.58B / 82B Credits · 10%",
    );
    expect(describePlanUsage({ used: 86.1e9, limit: 82e9, fraction: 1.05, estimated: true })).toBe(
      "≈ 86.1B / 82B Credits · 105%",
    );
    expect(planPercent({ estimated: false }, 0.1047)).toBe("10%");
    expect(planPercent({ estimated: true }, 0.38)).toBe("≈38%");
  });
});

describe("the plan after the platform stops answering", () => {
  let lapsed: UsageReport;
  const later = new Date(REPORT_NOW.getTime() + 60 * 60_000);
  beforeAll(async () => {
    lapsed = await rescan(withPlan, {
      now: later,
      platform: { ok: false, error: { kind: "expired", message: "The MiMo platform said the session has expired." } },
    });
  });

  it("marks the figure as an estimate everywhere it is shown", () => {
    expect(lapsed.plan?.source).toBe("estimate");
    expect(planUsage(lapsed, later)).toMatchObject({
      used: 6_200_000_000,
      estimated: true,
      basis: { kind: "lastAnswer" },
    });
    expect(menuBarTitle(lapsed, "planLeft", later)).toBe("≈38%");
    expect(searchSubtitle(lapsed, later)).toBe("Today 1.2M · Week 1.3M · Plan ≈62% used");
    const text = summaryText(lapsed, later);
    expect(text).toContain("Plan (token_plan_pro): ≈ 6.2B / 10B Credits · 62%");
    expect(text).toContain(
      "Estimate: the platform's last answer (2026-11-25 11:58), with no use on this Mac since. It counts every MiMo " +
        "client read on this Mac; use on other devices, other clients on the same key and the console since then is not seen.",
    );
    expect(text).toContain("Plan source: Estimate, updated 1 h ago");
  });

  it("takes this Mac's Credits of the last 7 days for the run-out date while samples span less than a day", () => {
    const pace = planPaceOf(withPlan.report, REPORT_NOW);
    expect(withPlan.report.plan?.credits?.creditsPerDay).toBeNull();
    expect(pace?.rateFrom).toBe("localUse");
    // At this Mac's pace of the last 7 days the 3.8B credits left outlast the 11 days to the reset.
    const week = withPlan.report.local?.snapshot.week.credits ?? 0;
    expect(week).toBeGreaterThan(0);
    expect((week / 7) * 11).toBeLessThan(3_800_000_000);
    expect(pace?.runsOutAt).toBeNull();
    expect(PLATFORM.quota?.primary?.limit).toBe(10_000_000_000);
  });
});
