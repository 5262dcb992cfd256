/** @jest-environment ./test/raycast/environment.ts */
import { render } from "@testing-library/react";
import { UsageMenu } from "../../src/components/menu/UsageMenu";
import { FAILURES } from "../../src/core/chain/failures";
import type { UsageReport } from "../../src/core/chain/report-schema";
import { NO_PH_COOKIE } from "../../src/core/platform/account-request";
import { findAll, findMenuItem, menuItems, propsOf, titleOf } from "../raycast/query";
import { REPORT_NOW } from "../helpers/report";
import { useReportFixtures } from "../helpers/ui-reports";

/**
 * The menu's all-devices rows over reports from the real chain. REPORT_CORPUS: this Mac 1,240,000 tokens
 * of mimo-v2.5-pro today (1,005,000 in, 201,000 out, 30,000 read, 4,000 write) and 40,000 mimo-v2.5
 * yesterday. The account today: 30,000 hit, 6,009,000 miss, 201,000 out = 6,240,000 tokens, 5,000,000
 * more than here; 30,000 × 2.5 + 6,009,000 × 300 + 201,000 × 600 = 1,923,375,000 Credits.
 */
const reports = useReportFixtures();

const TODAY_ROW = {
  date: "2026-11-25",
  model: "mimo-v2.5-pro",
  hit: 30_000,
  miss: 6_009_000,
  output: 201_000,
  total: 6_240_000,
  requests: null,
};
const ANSWERED = {
  ok: true as const,
  answers: [
    { month: { year: 2026, month: 10 }, asOf: REPORT_NOW.toISOString(), rows: [] },
    { month: { year: 2026, month: 11 }, asOf: REPORT_NOW.toISOString(), rows: [TODAY_ROW] },
  ],
};

function renderMenu(report: UsageReport) {
  render(
    <UsageMenu
      report={report}
      isLoading={false}
      figure="todayTokens"
      weeklyBudget={null}
      now={REPORT_NOW}
      onRefresh={jest.fn()}
    />,
  );
}

function section(prefix: string): HTMLElement {
  const found = findAll("MenuBarExtra.Section").filter((candidate) => (titleOf(candidate) ?? "").startsWith(prefix));
  if (found.length !== 1) throw new Error(`Expected one section "${prefix}", found ${found.length}`);
  return found[0];
}

describe("All devices and elsewhere in the menu", () => {
  it("shows the account and what was used elsewhere in Today and This Week", async () => {
    const { report } = await reports.fixture({ accountList: ANSWERED });
    renderMenu(report);
    expect(propsOf(findMenuItem("All devices", section("Today"))).subtitle).toBe("6.2M tokens · 1.92B Credits");
    expect(propsOf(findMenuItem("Elsewhere", section("Today"))).subtitle).toBe("5M");
    expect(propsOf(findMenuItem("All devices", section("This Week"))).subtitle).toBe("6.2M tokens · 1.92B Credits");
    // Yesterday's 40,000 mimo-v2.5 are not on the account yet: nothing elsewhere, and the tooltip says so.
    const week = findMenuItem("Elsewhere", section("This Week"));
    expect(propsOf(week).subtitle).toBe("5M");
    expect(String(propsOf(week).tooltip)).toContain("This Mac counted more than the account on some days");
    expect(menuItems(section("Lifetime")).map(titleOf)).not.toContain("All devices");
  });

  it("shows nothing of the account without its rows, and the local figures as before", async () => {
    renderMenu(reports.base.report);
    expect(menuItems(section("Today")).map(titleOf)).not.toContain("All devices");
    expect(menuItems(section("Status")).map(titleOf)).not.toContain(FAILURES.accountNoPh.title);
  });

  it("says in Status which cookie to add when the list cannot be asked", async () => {
    const { report } = await reports.fixture({ accountList: { ok: false, error: NO_PH_COOKIE } });
    renderMenu(report);
    const hint = findMenuItem(FAILURES.accountNoPh.title, section("Status"));
    expect(propsOf(hint).tooltip).toBe(FAILURES.accountNoPh.explanation);
    expect(propsOf(findMenuItem("Total", section("Today"))).subtitle).toBe("1.2M tokens");
  });
});
