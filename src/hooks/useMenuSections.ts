import { useMemo } from "react";
import type { UsageReport } from "../core/chain/report-schema";
import type { RootReport, Snapshot, WindowTotals } from "../core/views/schema";
import type { UsageFigures } from "../core/views/range-totals";
import type { LocalReport } from "../core/chain/report-schema";
import { noConfigFolder } from "../core/views/roots";
import { progressText, type ScanProgress } from "../core/scan/progress";
import {
  alertGauges,
  DEFAULT_ALERT_THRESHOLDS,
  nextThresholds,
  parseThresholds,
  type NextThreshold,
} from "../core/query/alerts";
import { menuBarTitle, type MenuBarFigure } from "../core/query/summary";
import { planFigures, planUsage, type PlanFigures } from "../core/query/plan";
import { windowUsage, type WindowUsage } from "../core/query/period";
import { reportStatus, type ReportStatus } from "../core/query/status";
import type { DevicesPeriod } from "../core/devices/view";

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
  account: WindowUsage["account"];
  /** This week against the user's weekly budget. */
  budget: { used: number; budget: number } | null;
  /** Lifetime usage kept from transcripts Claude Code has since deleted. */
  vanished: { total: number; files: number } | null;
}

export type CoveredAccount = NonNullable<WindowUsage["account"]>;

export type MenuAlerts = { kind: "invalid"; message: string } | { kind: "next"; next: NextThreshold[] };

export interface MenuSections {
  /** The fraction the icon's ring shows, or null for the plain template icon. */
  ring: number | null;
  title: string | undefined;
  tooltip: string;
  /** Set-up help instead of the windows: no configured folder exists and nothing was ever counted. */
  setup: RootReport[] | null;
  windows: MenuWindow[];
  /** Every device's today and week for the Devices section, once the windows are shown and others publish. */
  devices: MenuDevices | null;
  alerts: MenuAlerts | null;
  /** The plan section's figures, or null when there is no plan to show. */
  plan: PlanFigures | null;
  /** Where each part came from and when, and what needs the user. */
  status: ReportStatus | null;
  /** The time zone every time of the menu is shown in (this Mac's snapshot's). */
  timeZone: string | undefined;
}

export interface MenuDevices {
  today: DevicesPeriod;
  week: DevicesPeriod;
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
  if (!report)
    return {
      ring: null,
      title,
      tooltip,
      setup: null,
      windows: [],
      devices: null,
      alerts: null,
      plan: null,
      status: null,
      timeZone: undefined,
    };
  const local = report.local;
  const snapshot = local?.snapshot;
  const firstRun = snapshot ? isFirstRun(snapshot) : false;
  const shown = local && !firstRun ? { ...report, local } : null;
  const windows = shown ? windowsOf(shown, input.weeklyBudget) : [];
  return {
    ring: ringFraction(report, input.weeklyBudget, now),
    title,
    tooltip,
    setup: snapshot && firstRun ? snapshot.roots : null,
    windows: windows.map((window) => window.menu),
    devices: devicesOf(windows),
    alerts: alertsOf(report, input.weeklyBudget, now, input.alertThresholds ?? DEFAULT_ALERT_THRESHOLDS),
    plan: planFigures(report, now),
    status: reportStatus(report, now),
    timeZone: snapshot?.timeZone,
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

function windowsOf(report: LocalReport, weeklyBudget: number | null): { menu: MenuWindow; usage: WindowUsage }[] {
  const { snapshot } = report.local;
  const { windows } = snapshot;
  const titles: Record<MenuWindowId, string> = {
    today: `Today · ${windows.today}`,
    week: `This Week · since ${windows.weekFrom}`,
    lifetime: `Lifetime${windows.lifetimeFrom ? ` · since ${windows.lifetimeFrom}` : ""}`,
  };
  return (["today", "week", "lifetime"] as const).map((id) => {
    const usage = windowUsage(report, id);
    const menu: MenuWindow = {
      id,
      title: titles[id],
      totals: usage.totals,
      split: usage.split,
      // With other devices publishing to the sync folder, each window shows This Mac and All devices.
      allDevices: usage.devices?.allDevices ?? null,
      account: usage.account,
      budget: id === "week" && weeklyBudget ? { used: usage.totals.total, budget: weeklyBudget } : null,
      vanished: id === "lifetime" && snapshot.vanished.files > 0 ? snapshot.vanished : null,
    };
    return { menu, usage };
  });
}

/** Today's and this week's figures of every device, when other devices publish. */
function devicesOf(windows: { usage: WindowUsage }[]): MenuDevices | null {
  const today = windows.find((w) => w.usage.window === "today")?.usage.devices;
  const week = windows.find((w) => w.usage.window === "week")?.usage.devices;
  return today && week ? { today, week } : null;
}

/** The next alert threshold of the plan and of the weekly budget; null when none is ahead. */
function alertsOf(report: UsageReport, weeklyBudget: number | null, now: Date, thresholds: string): MenuAlerts | null {
  const parsed = parseThresholds(thresholds);
  if (!parsed.ok) return { kind: "invalid", message: parsed.message };
  const next = nextThresholds(alertGauges(report, weeklyBudget, now), parsed.thresholds);
  return next.length ? { kind: "next", next } : null;
}
