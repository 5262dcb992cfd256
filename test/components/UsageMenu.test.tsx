/** @jest-environment ./test/raycast/environment.ts */
import { promises as fs } from "node:fs";
import path from "node:path";
import { render, waitFor } from "@testing-library/react";
import { Color, Icon, Keyboard, LaunchType } from "@raycast/api";
import { getProgressIcon } from "@raycast/utils";
import { formatCredits, formatPercent } from "../../src/core/format";
import { UsageMenu, type UsageMenuProps } from "../../src/components/menu/UsageMenu";
import { LOGIN_URL } from "../../src/core/platform/base-url";
import type { PlatformResult, UsageReport } from "../../src/core/chain/report-schema";
import type { MenuBarFigure } from "../../src/core/query/summary";
import { callsTo, raycastCalls } from "../raycast/api-double";
import {
  alternateOf,
  clickMenuItem,
  findAll,
  findMenuItem,
  isDisabled,
  isLoading,
  menuBarExtra,
  menuItems,
  propsOf,
  shortcutKeys,
  shortcutOf,
  titleOf,
} from "../raycast/query";
import { PLATFORM, REPORT_NOW, rescan } from "../helpers/report";
import { HOUR, later, MINUTE, useReportFixtures } from "../helpers/ui-reports";
import { assistant, writeTranscript } from "../helpers/transcripts";

const reports = useReportFixtures();

function renderMenu(props: Partial<UsageMenuProps> & { report: UsageReport | undefined }) {
  const onRefresh = jest.fn();
  const { unmount } = render(
    <UsageMenu
      isLoading={false}
      figure="todayTokens"
      weeklyBudget={null}
      now={REPORT_NOW}
      onRefresh={onRefresh}
      {...props}
    />,
  );
  return { onRefresh, unmount };
}

function sectionTitles(): (string | undefined)[] {
  return findAll("MenuBarExtra.Section").map((section) => titleOf(section));
}

/** The one section whose title starts with `prefix` (the actions section has none: pass `null`). */
function section(prefix: string | null): HTMLElement {
  const found = findAll("MenuBarExtra.Section").filter((candidate) => {
    const title = titleOf(candidate);
    return prefix === null ? title === undefined : (title ?? "").startsWith(prefix);
  });
  if (found.length !== 1) throw new Error(`Expected one section "${prefix}", found ${found.length}`);
  return found[0];
}

/** [title, subtitle] of every item in a scope, in menu order. */
function rows(scope: HTMLElement): [string | undefined, unknown][] {
  return menuItems(scope).map((item) => [titleOf(item), propsOf(item).subtitle]);
}

function subtitleOf(title: string, scope: HTMLElement): unknown {
  return propsOf(findMenuItem(title, scope)).subtitle;
}

const LOGIN_REQUIRED: PlatformResult = {
  ok: false,
  error: { kind: "loginRequired", message: "The platform asked to log in again." },
};

describe("UsageMenu with a full report", () => {
  it("lists Plan, Today, This Week, Lifetime and Status, then the actions", () => {
    renderMenu({ report: reports.base.report });
    expect(sectionTitles()).toEqual([
      "Plan · token_plan_pro",
      "Today · 2026-11-25",
      "This Week · since 2026-11-23",
      "Lifetime · since 2026-11-10",
      "Alerts",
      "Status",
      undefined,
    ]);
    expect(rows(section(null)).map(([title]) => title)).toEqual([
      "Refresh",
      "Open Sessions",
      "Open History",
      "Open MiMo Platform",
      "Copy Summary",
      "Preferences…",
    ]);
    const menu = menuBarExtra();
    expect(isLoading(menu)).toBe(false);
    expect(propsOf(menu).tooltip).toBe("MiMo Usage");
  });

  it("formats the known snapshot's figures in every window", () => {
    renderMenu({ report: reports.base.report });
    expect(rows(section("Today"))).toEqual([
      ["Total", "1.2M tokens"],
      ["Input", "1M"],
      ["Output", "201K"],
      ["Cache read", "30K"],
      ["Cache write", "4K"],
      ["Messages", "2 in 1 session"],
      ["Credits", "423M Credits"],
      ["Est. cost", "¥4.23"],
    ]);
    expect(rows(section("This Week"))).toEqual([
      ["Total", "1.3M tokens"],
      ["Input", "1M"],
      ["Output", "201K"],
      ["Cache read", "30K"],
      ["Cache write", "4K"],
      ["Messages", "3 in 2 sessions"],
      ["Credits", "427M Credits"],
      ["Est. cost", "¥4.27"],
    ]);
    expect(rows(section("Lifetime"))).toEqual([
      ["Total", "1.3M tokens"],
      ["Input", "1.1M"],
      ["Output", "201K"],
      ["Cache read", "30K"],
      ["Cache write", "4K"],
      ["Messages", "4 in 3 sessions"],
      ["Credits", "429M Credits"],
      ["Est. cost", "¥4.29"],
    ]);
    // Full figures stay reachable in the tooltips.
    expect(propsOf(findMenuItem("Total", section("Today"))).tooltip).toBe("Today: 1,240,000 tokens");
    expect(propsOf(findMenuItem("Input", section("This Week"))).tooltip).toBe("This Week, input: 1,045,000 tokens");
    expect(propsOf(findMenuItem("Est. cost", section("Today"))).tooltip).toBe("Today: at MiMo API list prices");
    expect(propsOf(findMenuItem("Messages", section("Today"))).tooltip).toBe("Today: 2 messages, 1 session");
  });

  it("shows the plan in credits: used of the limit, pace, reset and balance", () => {
    renderMenu({ report: reports.base.report });
    const plan = section("Plan");
    // 15.5 of 30 days gone (52%) with 62% used: 10 points ahead. One answer so far, so the run-out rate is
    // this Mac's Credits of the last 7 days (427,375,000): the 3.8B left outlast the reset.
    expect(rows(plan)).toEqual([
      ["Used", "6.2B / 10B Credits · 62%"],
      ["Pace", "10% ahead of pace"],
      ["Resets", "2026-12-10 00:00 (in 15 days)"],
      ["Balance", "12.34 CNY"],
    ]);
    const thisMac = reports.base.report.local?.snapshot.lifetime.credits ?? 0;
    expect(propsOf(findMenuItem("Used", plan)).tooltip).toBe(
      "6,200,000,000 of 10,000,000,000 Credits. This Mac 7% · elsewhere 93% of this period (at the answer of " +
        `2026-11-25 11:58): this Mac ${thisMac.toLocaleString("en-US")} Credits at MiMo's rates, elsewhere (other ` +
        `devices, other clients on the key, the console) ${(6_200_000_000 - thisMac).toLocaleString("en-US")}.`,
    );
    expect(titleOf(alternateOf(findMenuItem("Used", plan)) as HTMLElement)).toBe("Where");
    expect(propsOf(findMenuItem("Used", plan)).icon).toBe(getProgressIcon(0.62, Color.Orange));
    expect(propsOf(findMenuItem("Pace", plan)).icon).toBe(Icon.Bolt);
    expect(propsOf(findMenuItem("Pace", plan)).tooltip).toBe(
      "Even pace: 52% of the credits by now; the run-out date uses this Mac's Credits of the last 7 days at MiMo's " +
        "rates (other devices not seen)",
    );
    expect(propsOf(findMenuItem("Balance", plan)).tooltip).toBe("Cash 10.00 CNY · Gift 2.34 CNY");
  });

  it("shows the plan name, compensation credits and a balance without its optional parts", async () => {
    const compensation = { name: "compensation_total_token", used: 1_000_000, limit: 4_000_000_000, fraction: 0.00025 };
    const made = await reports.fixture({
      platform: {
        ok: true,
        value: {
          ...PLATFORM,
          balance: { amount: 12.3, currency: "CNY", cash: null, gift: null },
          plan: { ...PLATFORM.plan!, code: "token_plan_max", name: "Max" },
          quota: { primary: PLATFORM.quota!.primary, items: [PLATFORM.quota!.primary!, compensation] },
        },
      },
    });
    renderMenu({ report: made.report });
    const plan = section("Plan · Max");
    expect(subtitleOf("Compensation", plan)).toBe("1M / 4B Credits · 0%");
    expect(subtitleOf("Balance", plan)).toBe("12.30 CNY");
    expect(propsOf(findMenuItem("Balance", plan)).tooltip).toBeUndefined();
  });

  it("says when the quota runs out before the reset at the last 7 days' rate", async () => {
    const nearlyUsed = { name: "month_total_token", used: 9_900_000_000, limit: 10_000_000_000, fraction: 0.99 };
    const made = await reports.fixture({
      platform: { ok: true, value: { ...PLATFORM, quota: { primary: nearlyUsed, items: [nearlyUsed] } } },
    });
    renderMenu({ report: made.report });
    // This Mac's 427,375,000 Credits of the last 7 days make 61.05M a day: the 100M left last 1.64 days from noon.
    expect(subtitleOf("Pace", section("Plan"))).toBe("47% ahead of pace · runs out 2026-11-27 03:18");
    expect(propsOf(findMenuItem("Pace", section("Plan"))).tooltip).toBe(
      "Even pace: 52% of the credits by now; the run-out date uses this Mac's Credits of the last 7 days at MiMo's " +
        "rates (other devices not seen)",
    );
    expect(subtitleOf("Used", section("Plan"))).toBe("9.9B / 10B Credits · 99%");
  });

  it("leaves out pace and reset when the platform gives no plan period", async () => {
    const made = await reports.fixture({ platform: { ok: true, value: { ...PLATFORM, plan: null } } });
    renderMenu({ report: made.report });
    expect(sectionTitles()[0]).toBe("Plan");
    expect(rows(section("Plan"))).toEqual([
      ["Used", "6.2B / 10B Credits · 62%"],
      ["Balance", "12.34 CNY"],
    ]);
  });

  it("shows the plan set in preferences against this Mac's Credits when there is no cookie", async () => {
    const max = { title: "Max", credits: 82_000_000_000, renewsOn: 1 };
    const made = await reports.fixture({ platform: null, planSetting: max });
    renderMenu({ report: made.report });
    const plan = section("Plan · Max (preferences)");
    const thisMac = made.report.local?.snapshot.lifetime.credits ?? 0;
    // The whole corpus lies in November, after the renewal on the 1st.
    expect(rows(plan)).toEqual([
      ["Used", `≈ ${formatCredits(thisMac)} / 82B Credits · ${formatPercent(thisMac / 82e9)}`],
      ["Estimated", "this Mac only · from preferences"],
      expect.arrayContaining(["Pace"]),
      ["Resets", "2026-12-01 00:00 (in 6 days)"],
    ]);
    expect(() => findMenuItem("Connect MiMo Platform…")).not.toThrow();
  });

  it.each<[MenuBarFigure, string]>([
    ["todayTokens", "1.2M"],
    ["weekTokens", "1.3M"],
    ["planLeft", "38%"],
    ["todayCost", "¥4.23"],
    ["todayCredits", "423M cr"],
  ])("puts the %s figure in the menu bar title", (figure, title) => {
    renderMenu({ report: reports.base.report, figure });
    expect(propsOf(menuBarExtra()).title).toBe(title);
  });

  it("draws a progress ring of the plan quota as the menu bar icon", () => {
    renderMenu({ report: reports.base.report });
    const icon = propsOf(menuBarExtra()).icon;
    expect(icon).toBe(getProgressIcon(0.62, Color.PrimaryText));
    expect(String(icon)).toMatch(/^data:image\/svg\+xml,/);
  });

  it("draws a ring of this week's share of the weekly budget when no quota is known", async () => {
    const local = await reports.fixture({ platform: null });
    renderMenu({ report: local.report, weeklyBudget: 2_000_000 });
    // This week: 1,280,000 tokens of a 2M budget.
    expect(propsOf(menuBarExtra()).icon).toBe(getProgressIcon(0.64, Color.PrimaryText));
    expect(subtitleOf("Weekly budget", section("This Week"))).toBe("64% of 2M");
  });

  it("keeps the plan quota's ring when a weekly budget is also set", () => {
    renderMenu({ report: reports.base.report, weeklyBudget: 2_000_000 });
    expect(propsOf(menuBarExtra()).icon).toBe(getProgressIcon(0.62, Color.PrimaryText));
  });

  it("fills the ring and shows 0% left when the quota is overspent", async () => {
    const over = { name: "month_total_token", used: 11_000_000_000, limit: 10_000_000_000, fraction: 1.1 };
    const made = await reports.fixture({
      platform: { ok: true, value: { ...PLATFORM, quota: { primary: over, items: [over] } } },
    });
    renderMenu({ report: made.report, figure: "planLeft" });
    expect(propsOf(menuBarExtra()).title).toBe("0%");
    expect(propsOf(menuBarExtra()).icon).toBe(getProgressIcon(1, Color.PrimaryText));
    expect(subtitleOf("Used", section("Plan"))).toBe("11B / 10B Credits · 110%");
    expect(propsOf(findMenuItem("Used", section("Plan"))).icon).toBe(getProgressIcon(1, Color.Red));
  });

  it("labels the status rows with the data's own time, not the render time", () => {
    renderMenu({ report: reports.base.report, now: later(REPORT_NOW, 7 * MINUTE) });
    const status = section("Status");
    expect(rows(status)).toEqual([
      ["Source: Local scan", "Updated 7 min ago"],
      ["Plan source: Platform", "Updated 9 min ago"],
    ]);
    expect(propsOf(findMenuItem("Source: Local scan", status)).icon).toBe(Icon.Clock);
    expect(propsOf(findMenuItem("Source: Local scan", status)).tooltip).toBe("Usage data from 2026-11-25 12:00");
  });

  it("marks local data older than two refresh intervals as stale", () => {
    renderMenu({ report: reports.base.report, now: later(REPORT_NOW, 11 * MINUTE) });
    const item = findMenuItem("Source: Local scan", section("Status"));
    expect(propsOf(item).subtitle).toBe("Updated 11 min ago · stale");
    expect(propsOf(item).icon).toEqual({ source: Icon.Warning, tintColor: Color.Yellow });
  });

  it("refreshes with cmd+r through onRefresh", () => {
    const { onRefresh } = renderMenu({ report: reports.base.report });
    const refresh = findMenuItem("Refresh");
    expect(shortcutOf(refresh)).toEqual(Keyboard.Shortcut.Common.Refresh);
    expect(shortcutKeys(refresh)).toBe("cmd+r");
    expect(onRefresh).not.toHaveBeenCalled();
    clickMenuItem(refresh);
    expect(onRefresh).toHaveBeenCalledTimes(1);
  });

  it("copies a plain-text summary without pasting all of it into the HUD", async () => {
    renderMenu({ report: reports.base.report });
    const copySummary = findMenuItem("Copy Summary");
    expect(shortcutKeys(copySummary)).toBe("cmd+shift+c");
    clickMenuItem(copySummary);
    await waitFor(() => expect(callsTo("showHUD")).toHaveLength(1));
    const [[text]] = callsTo("Clipboard.copy");
    const lines = String(text).split("\n");
    expect(lines.slice(0, 4)).toEqual([
      "MiMo Usage",
      "Plan (token_plan_pro): 6.2B / 10B Credits · 62%",
      "Pace: 10% ahead of pace",
      "Balance: 12.34 CNY",
    ]);
    expect(lines[4]).toMatch(
      /^Today: 1\.2M tokens \(input 1M, output 201K, cache read 30K, cache write 4K\), 2 messages/,
    );
    expect(lines[4]).toMatch(/est\. ¥4\.23$/);
    const [[hud]] = callsTo("showHUD");
    expect(hud).toBe("Copied MiMo usage summary");
  });

  it("opens preferences from Preferences…, which has no cmd+, (Raycast reserves it)", () => {
    renderMenu({ report: reports.base.report });
    const preferences = findMenuItem("Preferences…");
    expect(shortcutOf(preferences)).toBeUndefined();
    for (const item of menuItems()) expect(shortcutKeys(item)).not.toBe("cmd+,");
    clickMenuItem(preferences);
    expect(callsTo("openExtensionPreferences")).toHaveLength(1);
  });

  it("launches the sessions command and opens the platform", async () => {
    renderMenu({ report: reports.base.report });
    clickMenuItem(findMenuItem("Open Sessions"));
    clickMenuItem(findMenuItem("Open MiMo Platform"));
    await waitFor(() => expect(raycastCalls).toHaveLength(2));
    expect(callsTo("launchCommand")).toEqual([[{ name: "sessions", type: LaunchType.UserInitiated }]]);
    expect(callsTo("open")).toEqual([[LOGIN_URL]]);
  });

  it("gives every row an action, so none is drawn dimmed, and copies the row's figure", async () => {
    renderMenu({ report: reports.base.report });
    const items = menuItems();
    expect(items.length).toBe(4 + 8 * 3 + 1 + 2 + 6);
    for (const item of items) expect([titleOf(item), isDisabled(item)]).toEqual([titleOf(item), false]);

    clickMenuItem(findMenuItem("Total", section("Today")));
    clickMenuItem(findMenuItem("Used", section("Plan")));
    clickMenuItem(findMenuItem("Balance", section("Plan")));
    clickMenuItem(findMenuItem("Est. cost", section("Lifetime")));
    clickMenuItem(findMenuItem("Credits", section("Lifetime")));
    await waitFor(() => expect(callsTo("showHUD")).toHaveLength(5));
    expect(callsTo("Clipboard.copy")).toEqual([["1,240,000"], ["62%"], ["12.34 CNY"], ["¥4.29"], ["429,475,000"]]);
    expect(callsTo("showHUD")[0]).toEqual(["Copied 1,240,000"]);
  });

  it("has no row for deleted transcripts while none were deleted", () => {
    renderMenu({ report: reports.base.report });
    expect(() => findMenuItem("Kept from deleted transcripts")).toThrow(/No MenuBarExtra.Item/);
  });
});

describe("UsageMenu before and without data", () => {
  it("says it is reading while the first report loads", () => {
    renderMenu({ report: undefined, isLoading: true });
    const menu = menuBarExtra();
    expect(isLoading(menu)).toBe(true);
    expect(propsOf(menu).title).toBeUndefined();
    expect(propsOf(menu).icon).toEqual({ source: "menu-bar-icon.png", tintColor: Color.PrimaryText });
    expect(menuItems().map(titleOf)).toEqual([
      "Reading MiMo usage…",
      "Refresh",
      "Open Sessions",
      "Open History",
      "Open MiMo Platform",
      "Preferences…",
    ]);
  });

  it("offers set-up when loading ended without a report", () => {
    renderMenu({ report: undefined, isLoading: false });
    const setup = findMenuItem("Set up MiMo Usage in Preferences…");
    expect(isDisabled(setup)).toBe(false);
    expect(() => findMenuItem("Copy Summary")).toThrow();
    clickMenuItem(setup);
    expect(callsTo("openExtensionPreferences")).toHaveLength(1);
  });

  it("uses the template icon and offers to connect the platform when no cookie is set", async () => {
    const made = await reports.fixture({ platform: null });
    renderMenu({ report: made.report, figure: "planLeft" });
    expect(sectionTitles()).toEqual([
      "Today · 2026-11-25",
      "This Week · since 2026-11-23",
      "Lifetime · since 2026-11-10",
      "Status",
      undefined,
    ]);
    // Plan left is unknown without the platform: the title falls back to today's tokens.
    expect(propsOf(menuBarExtra()).title).toBe("1.2M");
    expect(propsOf(menuBarExtra()).icon).toEqual({ source: "menu-bar-icon.png", tintColor: Color.PrimaryText });
    expect(rows(section("Status")).map(([title]) => title)).toEqual(["Source: Local scan", "Connect MiMo Platform…"]);
    clickMenuItem(findMenuItem("Connect MiMo Platform…"));
    expect(callsTo("openExtensionPreferences")).toHaveLength(1);
  });

  it("shows 0 for a day without usage", async () => {
    const nextDay = new Date("2026-11-26T12:00:00Z");
    const made = await reports.fixture({ now: nextDay });
    renderMenu({ report: made.report, now: nextDay });
    expect(sectionTitles()[1]).toBe("Today · 2026-11-26");
    expect(rows(section("Today"))).toEqual([
      ["Total", "0 tokens"],
      ["Input", "0"],
      ["Output", "0"],
      ["Cache read", "0"],
      ["Cache write", "0"],
      ["Messages", "0 in 0 sessions"],
      ["Credits", "0 Credits"],
      ["Est. cost", "—"],
    ]);
    expect(propsOf(menuBarExtra()).title).toBe("0");
    expect(subtitleOf("Total", section("This Week"))).toBe("1.3M tokens");
  });

  it("shows one Set up section instead of three windows of zeros when no folder exists", async () => {
    const made = await reports.fixture({ corpus: [], platform: null });
    renderMenu({ report: made.report });
    expect(sectionTitles()).toEqual(["Set up", "Status", undefined]);
    const folder = made.report.local?.snapshot.roots[0].path ?? "";
    expect(folder).toMatch(/mimo$/);
    const setup = section("Set up");
    expect(rows(setup)).toEqual([
      ["No MiMo transcripts folder yet", folder],
      ["Choose the Folder in Preferences…", undefined],
      ["Copy the MiMo Wrapper Line", undefined],
    ]);
    clickMenuItem(findMenuItem("Choose the Folder in Preferences…", setup));
    clickMenuItem(findMenuItem("Copy the MiMo Wrapper Line", setup));
    await waitFor(() => expect(callsTo("Clipboard.copy")).toEqual([[`CLAUDE_CONFIG_DIR="${folder}" claude`]]));
    expect(callsTo("openExtensionPreferences")).toHaveLength(1);
    const problem = findMenuItem("No Claude config folder found");
    expect(propsOf(problem).tooltip).toMatch(/^Looked for projects\/ in .*mimo\.$/);
    clickMenuItem(problem);
    expect(callsTo("openExtensionPreferences")).toHaveLength(2);
  });
});

describe("UsageMenu after the folder went away", () => {
  it("keeps the windows, not Set up, when usage was counted before", async () => {
    const made = await reports.fixture({ platform: null });
    await fs.rm(made.root, { recursive: true, force: true });
    const report = await rescan(made, { platform: null });
    expect(report.local?.snapshot.roots.every((root) => !root.exists)).toBe(true);
    renderMenu({ report });
    expect(sectionTitles()).not.toContain("Set up");
    expect(subtitleOf("Total", section("Lifetime"))).toBe("1.3M tokens");
  });
});

describe("UsageMenu that fits a laptop screen", () => {
  it("folds each window's buckets into a submenu of its Total row, with exact digits on ⌥", () => {
    renderMenu({ report: reports.base.report });
    const today = section("Today");
    const submenus = findAll("MenuBarExtra.Submenu", today);
    expect(submenus.map((submenu) => titleOf(submenu))).toEqual(["1.2M tokens · 423M Credits"]);
    expect(rows(submenus[0]).map(([title]) => title)).toEqual([
      "Total",
      "Input",
      "Output",
      "Cache read",
      "Cache write",
      "Messages",
      "Credits",
      "Est. cost",
    ]);
    const input = findMenuItem("Input", today);
    expect(titleOf(alternateOf(input) as HTMLElement)).toBe("Input: 1,005,000");
    expect(titleOf(alternateOf(findMenuItem("Total", today)) as HTMLElement)).toBe("Total: 1,240,000");
  });

  it("has about 15 rows outside the submenus with a plan, a budget and alerts", () => {
    renderMenu({ report: reports.base.report, weeklyBudget: 2_000_000 });
    const topLevel = menuItems().filter((item) => !item.closest('[data-raycast="MenuBarExtra.Submenu"]'));
    const rowsShown = topLevel.length + findAll("MenuBarExtra.Submenu").length;
    expect(rowsShown).toBeLessThanOrEqual(18);
    expect(findAll("MenuBarExtra.Submenu")).toHaveLength(3);
  });

  it("launches the history command from Open History", async () => {
    renderMenu({ report: reports.base.report });
    clickMenuItem(findMenuItem("Open History"));
    await waitFor(() =>
      expect(callsTo("launchCommand")).toEqual([[{ name: "history", type: LaunchType.UserInitiated }]]),
    );
  });
});

describe("UsageMenu alerts", () => {
  it("shows the plan's next threshold and when the pace so far reaches it", () => {
    // 62% used 15.5 days into a 30-day period: 4% a day, so 80% is 4.5 days away.
    renderMenu({ report: reports.base.report });
    const alerts = section("Alerts");
    expect(rows(alerts).map(([title]) => title)).toEqual(["Next alert · Plan: 80% in ~5 days"]);
    expect(propsOf(findMenuItem(/^Next alert/, alerts)).tooltip).toBe(
      "62% used now: 6,200,000,000 of 10,000,000,000 Credits",
    );
  });

  it("shows the weekly budget's next threshold too, past the thresholds already reached", () => {
    // Plan: 33 points at 4% a day is 8.25 days. Budget: 1,280,000 of 2,000,000 (64%) in 3 of 7 days is
    // 21.3% a day, so 95% is 1.45 days away.
    renderMenu({ report: reports.base.report, weeklyBudget: 2_000_000, alertThresholds: "50, 95%" });
    expect(rows(section("Alerts")).map(([title]) => title)).toEqual([
      "Next alert · Plan: 95% in ~8 days",
      "Next alert · Budget: 95% in ~1 day",
    ]);
  });

  it("has no alerts section when the thresholds are empty", () => {
    renderMenu({ report: reports.base.report, alertThresholds: "" });
    expect(sectionTitles()).not.toContain("Alerts");
  });

  it("says what is wrong with the thresholds and opens preferences", () => {
    renderMenu({ report: reports.base.report, alertThresholds: "80,abc" });
    const item = findMenuItem("Alert Thresholds not understood", section("Alerts"));
    expect(propsOf(item).tooltip).toMatch(/“abc” is not a percentage from 1 to 100/);
    clickMenuItem(item);
    expect(callsTo("openExtensionPreferences")).toHaveLength(1);
  });
});

describe("UsageMenu problems and fallbacks", () => {
  it("shows a login problem that opens preferences", async () => {
    const made = await reports.fixture({ platform: LOGIN_REQUIRED });
    expect(made.report.planError?.kind).toBe("loginRequired");
    renderMenu({ report: made.report });
    expect(sectionTitles()[0]).toBe("Today · 2026-11-25");
    const status = section("Status");
    expect(rows(status).map(([title]) => title)).toEqual([
      "Source: Local scan",
      "Platform: login required — set the cookie in preferences",
    ]);
    const problem = findMenuItem("Platform: login required — set the cookie in preferences");
    expect(propsOf(problem).icon).toEqual({ source: Icon.Warning, tintColor: Color.Orange });
    expect(propsOf(problem).tooltip).toBe("The platform asked to log in again.");
    expect(() => findMenuItem("Connect MiMo Platform…")).toThrow();
    clickMenuItem(problem);
    expect(callsTo("openExtensionPreferences")).toHaveLength(1);
  });

  it("opens the platform for an expired session and copies the detail of other failures", async () => {
    const expired = await reports.fixture({
      platform: { ok: false, error: { kind: "expired", message: "Plan expired." } },
    });
    const { unmount } = render(
      <UsageMenu
        report={expired.report}
        isLoading={false}
        figure="todayTokens"
        weeklyBudget={null}
        now={REPORT_NOW}
        onRefresh={() => undefined}
      />,
    );
    clickMenuItem(findMenuItem("Platform: session expired — log in again and update the cookie"));
    await waitFor(() => expect(callsTo("open")).toEqual([[LOGIN_URL]]));
    unmount();

    const offline = await reports.fixture({
      platform: { ok: false, error: { kind: "network", message: "fetch failed" } },
    });
    const offlineMenu = renderMenu({ report: offline.report });
    clickMenuItem(findMenuItem("Platform unreachable"));
    expect(offlineMenu.onRefresh).toHaveBeenCalledTimes(1);
    offlineMenu.unmount();

    const odd = await reports.fixture({
      platform: { ok: false, error: { kind: "unexpectedPayload", message: "odd shape" } },
    });
    renderMenu({ report: odd.report });
    clickMenuItem(findMenuItem("Platform answered in an unexpected format"));
    await waitFor(() => expect(callsTo("showHUD")).toEqual([["Copied odd shape"]]));
    expect(callsTo("Clipboard.copy")).toEqual([["odd shape"]]);
    expect(callsTo("openExtensionPreferences")).toEqual([]);
  });

  it("labels cached figures as Cache with their own time, stale after 12 hours", async () => {
    const threeHours = await rescan(reports.base, { modelFilter: "(", now: later(REPORT_NOW, 3 * HOUR) });
    expect(threeHours.local?.source).toBe("cache");
    const { unmount } = render(
      <UsageMenu
        report={threeHours}
        isLoading={false}
        figure="todayTokens"
        weeklyBudget={null}
        now={later(REPORT_NOW, 3 * HOUR)}
        onRefresh={() => undefined}
      />,
    );
    expect(subtitleOf("Source: Cache", section("Status"))).toBe("Updated 3 h ago");
    // The cached snapshot's figures, still under the day they belong to.
    expect(sectionTitles()[1]).toBe("Today · 2026-11-25");
    expect(subtitleOf("Total", section("Today"))).toBe("1.2M tokens");
    const problem = findMenuItem("Model filter is not a valid pattern: fix it in preferences");
    expect(propsOf(problem).tooltip).toMatch(/not a valid regular expression\. Showing the figures cached 3 h ago\.$/);
    clickMenuItem(problem);
    expect(callsTo("openExtensionPreferences")).toHaveLength(1);
    unmount();

    const thirteenHours = await rescan(reports.base, { modelFilter: "(", now: later(REPORT_NOW, 13 * HOUR) });
    renderMenu({ report: thirteenHours, now: later(REPORT_NOW, 13 * HOUR) });
    const item = findMenuItem("Source: Cache", section("Status"));
    expect(propsOf(item).subtitle).toBe("Updated 13 h ago · stale");
    expect(propsOf(item).icon).toEqual({ source: Icon.Warning, tintColor: Color.Yellow });
  });

  it("lists several problems side by side without duplicate keys", async () => {
    const report = await rescan(reports.base, { modelFilter: "(", platform: LOGIN_REQUIRED });
    // The platform failed after a good answer: the plan is estimated from it, labelled so.
    expect(report.plan?.source).toBe("estimate");
    renderMenu({ report });
    expect(rows(section("Status")).map(([title]) => title)).toEqual([
      "Source: Cache",
      "Plan source: Estimate",
      "Model filter is not a valid pattern: fix it in preferences",
      "Platform: login required — set the cookie in preferences",
    ]);
    for (const item of menuItems()) expect(isDisabled(item)).toBe(false);
  });

  it("keeps tokens from deleted transcripts in a row of their own", async () => {
    const made = await reports.fixture();
    await fs.rm(path.join(made.root, "projects", "-Users-me-work-webapp", "a1.jsonl"));
    const oneFile = await rescan(made);
    renderMenu({ report: oneFile });
    const lifetime = section("Lifetime");
    const kept = findMenuItem("Kept from deleted transcripts", lifetime);
    expect(propsOf(kept).subtitle).toBe("1.2M · 1 file");
    expect(propsOf(kept).tooltip).toBe(
      "1,240,000 tokens of lifetime come from transcripts Claude Code has since deleted",
    );
    expect(rows(lifetime).at(-1)?.[0]).toBe("Kept from deleted transcripts");
    // Lifetime still counts what the deleted transcript held.
    expect(subtitleOf("Total", lifetime)).toBe("1.3M tokens");
    clickMenuItem(kept);
    await waitFor(() => expect(callsTo("Clipboard.copy")).toEqual([["1,240,000"]]));
  });

  it("counts several deleted transcripts", async () => {
    const made = await reports.fixture();
    await fs.rm(path.join(made.root, "projects", "-Users-me-work-cli", "b2.jsonl"));
    await fs.rm(path.join(made.root, "projects", "-Users-me-work-old", "c3.jsonl"));
    renderMenu({ report: await rescan(made) });
    expect(subtitleOf("Kept from deleted transcripts", section("Lifetime"))).toBe("47K · 2 files");
  });
});

describe("UsageMenu when the cookie lapses after an answer", () => {
  it("keeps the plan as an estimate that holds still without local use", async () => {
    const made = await reports.fixture();
    const at = later(REPORT_NOW, 2 * HOUR);
    const lapsed = await rescan(made, { now: at, platform: LOGIN_REQUIRED });
    renderMenu({ report: lapsed, now: at, figure: "planLeft" });
    const plan = section("Plan");
    expect(rows(plan)).toEqual([
      ["Used", "≈ 6.2B / 10B Credits · 62%"],
      ["Estimated", "this Mac since 11:58; use on other devices not seen"],
      ["Pace", "10% ahead of pace"],
      ["Resets", "2026-12-10 00:00 (in 14 days)"],
      ["Balance", "12.34 CNY"],
    ]);
    expect(propsOf(findMenuItem("Estimated", plan)).tooltip).toBe(
      "Estimate: the platform's last answer (2026-11-25 11:58), with no use on this Mac since. It counts every MiMo " +
        "client read on this Mac; use on other devices, other clients on the same key and the console since then is " +
        "not seen. The platform asked to log in again.",
    );
    expect(propsOf(menuBarExtra()).title).toBe("≈38%");
    expect(propsOf(menuBarExtra()).icon).toBe(getProgressIcon(0.62, Color.PrimaryText));
    expect(subtitleOf("Plan source: Estimate", section("Status"))).toBe("Updated 2 h ago");
  });

  it("grows the estimate, and the ring, with local use since the answer", async () => {
    const made = await reports.fixture();
    await writeTranscript(made.root, "d4.jsonl", [
      assistant({ id: "9", req: "9", session: "d4", ts: later(REPORT_NOW, 30 * MINUTE).toISOString(), input: 128_700 }),
    ]);
    const at = later(REPORT_NOW, HOUR);
    const lapsed = await rescan(made, { now: at, platform: LOGIN_REQUIRED });
    renderMenu({ report: lapsed, now: at });
    // 128,700 more cache-miss tokens of mimo-v2.5-pro at 300 Credits each: 38,610,000 more Credits.
    expect(subtitleOf("Used", section("Plan"))).toBe("≈ 6.24B / 10B Credits · 62%");
    expect(propsOf(menuBarExtra()).icon).toBe(getProgressIcon(6_238_610_000 / 10_000_000_000, Color.PrimaryText));
  });
});
