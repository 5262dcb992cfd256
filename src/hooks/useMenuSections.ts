import { useMemo } from "react";
import type { UsageReport } from "../core/chain/report-schema";
import type { RootReport, Snapshot, WindowTotals } from "../core/views/schema";
import type { UsageFigures } from "../core/views/range-totals";
import { noConfigFolder } from "../core/views/roots";
import { progressText, type ScanProgress } from "../core/scan/progress";
import {
  alertGauges,
  DEFAULT_ALERT_THRESHOLDS,
  nextThresholds,
  parseThresholds,
  type NextThreshold,
} from "../core/chain/alerts";
import { clientSplit } from "../core/views/client-split";
import { menuBarTitle, planUsage, type MenuBarFigure } from "../core/chain/summary";
import { allDevicesWindow } from "../core/devices/view";
import { accountForRange, type AccountForRange } from "../core/platform/account-view";

export type MenuWindowId = "today" | "week" | "lifetime";

/** One window row of the menu (Today, This Week, Lifetime), with everything shown beside it. */
export interface MenuWindow {
  id: MenuWindowId;
  title: string;
  totals: WindowTotals;
  /** "Claude Code 1.2M · OpenCode 300K", or null when only Claude Code is read. */
  split: string | null;
  /** All devices' figures for the window, when other devices publish to the sync folder. */
  allDevices: UsageFigures | null;
  /** The whole account's figures for the window, when the platform's kept daily rows cover it. */
  account: CoveredAccount | null;
  /** This week against the user's weekly budget. */
  budget: { used: number; budget: number } | null;
  /** Lifetime usage kept from transcripts Claude Code has since deleted. */
  vanished: { total: number; files: number } | null;
}

export type CoveredAccount = Extract<AccountForRange, { covered: true }>;

export type MenuAlerts = { kind: "invalid"; message: string } | { kind: "next"; next: NextThreshold[] };

export interface MenuSections {
  /** The fraction the icon's ring shows, or null for the plain template icon. */
  ring: number | null;
  title: string | undefined;
  tooltip: string;
  /** Set-up help instead of the windows: no configured folder exists and nothing was ever counted. */
  setup: RootReport[] | null;
  windows: MenuWindow[];
  /** The report for the Devices section, once the windows are shown. */
  devices: (UsageReport & { local: NonNullable<UsageReport["local"]> }) | null;
  alerts: MenuAlerts | null;
}

export interface MenuInput {
  report: UsageReport | undefined;
  figure: MenuBarFigure;
  /** Tokens the user allows per week (a preference), or null. */
  weeklyBudget: number | null;
  now: Date;
  /** The "Alert Thresholds" preference text; the default when left out. */
  alertThresholds?: string;
  /** How far a long scan has read, shown instead of the figure until it ends. */
  progress?: ScanProgress | null;
}

/**
 * The menu's data, shaped once per render: the title and ring, then each section as plain values,
 * so the menu's components only lay rows out and no component asks the core for a figure.
 */
export function useMenuSections(input: MenuInput): MenuSections {
  const { report, figure, weeklyBudget, alertThresholds, progress } = input;
  const time = input.now.getTime();
  return useMemo(
    () => menuSections({ report, figure, weeklyBudget, alertThresholds, progress, now: new Date(time) }),
    [report, figure, weeklyBudget, alertThresholds, progress, time],
  );
}

function menuSections(input: MenuInput): MenuSections {
  const { report, now, progress } = input;
  const title = progress ? progressText(progress) : menuBarTitle(report, input.figure, now);
  const tooltip = progress ? `MiMo Usage · ${progressText(progress)}` : "MiMo Usage";
  if (!report) return { ring: null, title, tooltip, setup: null, windows: [], devices: null, alerts: null };
  const local = report.local;
  const snapshot = local?.snapshot;
  const firstRun = snapshot ? isFirstRun(snapshot) : false;
  const shown = snapshot && !firstRun ? snapshot : null;
  return {
    ring: ringFraction(report, input.weeklyBudget, now),
    title,
    tooltip,
    setup: snapshot && firstRun ? snapshot.roots : null,
    windows: shown ? windowsOf(report, shown, input.weeklyBudget) : [],
    devices: shown && local ? { ...report, local } : null,
    alerts: alertsOf(report, input.weeklyBudget, now, input.alertThresholds ?? DEFAULT_ALERT_THRESHOLDS),
  };
}

/** The plan's credits used (fresh or estimated), else this week's share of the user's budget. */
function ringFraction(report: UsageReport, weeklyBudget: number | null, now: Date): number | null {
  const usage = planUsage(report, now);
  if (usage) return usage.fraction;
  const week = report.local?.snapshot.week;
  return week && weeklyBudget ? week.total / weeklyBudget : null;
}

/**
 * No configured folder exists and nothing was ever counted: set-up help replaces the windows. Usage
 * kept from a folder that has since gone still shows its windows.
 */
function isFirstRun(snapshot: Snapshot): boolean {
  return noConfigFolder(snapshot) && snapshot.lifetime.messages === 0;
}

function windowsOf(report: UsageReport, snapshot: Snapshot, weeklyBudget: number | null): MenuWindow[] {
  const { windows } = snapshot;
  const local = report.local;
  const base = (id: MenuWindowId, account: CoveredAccount | null) => ({
    id,
    totals: snapshot[id],
    split: clientSplit(snapshot, id),
    // With other devices publishing to the sync folder, each window shows This Mac and All devices.
    allDevices: local ? allDevicesWindow(report.devices, local, id) : null,
    account,
    budget: null,
    vanished: null,
  });
  return [
    {
      ...base("today", accountWindow(report, snapshot, windows.today, windows.today)),
      title: `Today · ${windows.today}`,
    },
    {
      ...base("week", accountWindow(report, snapshot, windows.weekFrom, windows.today)),
      title: `This Week · since ${windows.weekFrom}`,
      budget: weeklyBudget ? { used: snapshot.week.total, budget: weeklyBudget } : null,
    },
    {
      ...base("lifetime", null),
      title: `Lifetime${windows.lifetimeFrom ? ` · since ${windows.lifetimeFrom}` : ""}`,
      vanished: snapshot.vanished.files > 0 ? snapshot.vanished : null,
    },
  ];
}

/** The account's figures for a window when the kept rows cover it, else null. */
function accountWindow(report: UsageReport, snapshot: Snapshot, from: string, to: string): CoveredAccount | null {
  if (!report.account) return null;
  const answer = accountForRange(report.account.days, snapshot.dayModels, { from, to }, snapshot.timeZone);
  return answer.covered ? answer : null;
}

/** The next alert threshold of the plan and of the weekly budget; null when none is ahead. */
function alertsOf(report: UsageReport, weeklyBudget: number | null, now: Date, thresholds: string): MenuAlerts | null {
  const parsed = parseThresholds(thresholds);
  if (!parsed.ok) return { kind: "invalid", message: parsed.message };
  const next = nextThresholds(alertGauges(report, weeklyBudget, now), parsed.thresholds);
  return next.length ? { kind: "next", next } : null;
}
