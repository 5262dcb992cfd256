import { menuBarTitle, searchSubtitle, summaryText } from "../../../src/core/chain/summary";
import { makeReport, REPORT_NOW, type ReportFixture } from "../../helpers/report";

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
    expect(menuBarTitle(report, "todayTokens")).toBe("1.2M");
    expect(menuBarTitle(report, "weekTokens")).toBe("1.3M");
    expect(menuBarTitle(report, "planLeft")).toBe("38%");
    // 1.005M input at ¥3/M + 201K output at ¥6/M + 30K cache read at ¥0.025/M + 4K cache write at ¥3/M = ¥4.234
    expect(menuBarTitle(report, "todayCost")).toBe("¥4.23");
  });

  it("falls back to today's tokens when the plan is unknown, and to nothing before the first report", () => {
    expect(menuBarTitle(localOnly.report, "planLeft")).toBe("1.2M");
    expect(menuBarTitle(undefined, "todayTokens")).toBeUndefined();
  });
});

describe("texts", () => {
  it("builds the refresh command's search subtitle", () => {
    expect(searchSubtitle(withPlan.report)).toBe("Today 1.2M · Week 1.3M · Plan 62% used");
    expect(searchSubtitle(localOnly.report)).toBe("Today 1.2M · Week 1.3M");
  });

  it("builds a clipboard summary with sources and times", () => {
    const text = summaryText(withPlan.report, REPORT_NOW);
    expect(text).toContain("Plan: 6.2M / 10M (62%)");
    expect(text).toContain("Pace: 10% ahead of pace");
    expect(text).toContain(
      "Today: 1.2M tokens (input 1M, output 201K, cache read 30K, cache write 4K), 2 messages, 1 session",
    );
    expect(text).toContain("Source: Local scan, updated 2026-11-25 12:00 (just now)");
    expect(text).toContain("Plan source: Platform, updated 2 min ago");
  });
});
