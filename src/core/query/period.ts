import { datesIn, inRange, type DateRange } from "../views/calendar";
import { sessionsInRange, sumDays, zeroUsage, type RangeTotals, type SessionCount } from "../views/range-totals";
import type { UsageFigures } from "../views/range-totals";
import { clientSplit, clientTokensInRange, hasOtherClients } from "../views/client-split";
import type { DayRow, Snapshot, WindowTotals } from "../views/schema";
import type { ClientName } from "../scan/clients/names";
import type { LocalReport, UsageReport } from "../chain/report-schema";
import type { DevicesSection } from "../devices/schema";
import { accountForRange, type AccountForRange } from "../platform/account-view";
import {
  devicesInPeriod,
  figuresOf,
  hasOtherDevices,
  windowPeriod,
  type DevicePeriod,
  type DevicesPeriod,
} from "../devices/view";
import { busiestDay } from "./rank";

/**
 * A period's figures, asked of a report: this Mac's totals, sessions, busiest day and clients, and
 * beside them, as further columns of the same answer, the account (every device on the plan, from the
 * platform's kept daily list) and each device of the sync folder. Every screen, tool and the command
 * line read a period through here, so the columns cannot drift apart between them.
 */

/** A client's tokens over a range. */
export interface ClientTokens {
  client: ClientName;
  total: number;
}

export interface PeriodUsage {
  range: DateRange;
  /** This Mac's figures (every client read on it). */
  totals: RangeTotals;
  sessions: SessionCount;
  /** The busiest day of the range (latest on a tie), or null when no day had use. */
  busiest: DayRow | null;
  /** Tokens per client, largest first; empty while only Claude Code is read. */
  clients: ClientTokens[];
  /** The account's figures for the range, or null when the report has no kept daily list. */
  account: AccountForRange | null;
  /** Each device's figures and their sum, or null when no other device publishes. */
  devices: DevicesPeriod | null;
}

export function periodUsage(report: LocalReport, range: DateRange): PeriodUsage {
  const { snapshot } = report.local;
  return {
    range,
    totals: sumDays(snapshot.days, range),
    sessions: sessionsInRange(snapshot, range),
    busiest: busiestDay(snapshot.days.filter((day) => inRange(day.date, range))),
    clients: clientsInRange(snapshot, range),
    account: accountOf(report, range),
    devices: devicesOf(report, range),
  };
}

/** Tokens per client over a range, largest first; empty while only Claude Code is read. */
export function clientsInRange(snapshot: Snapshot, range: DateRange): ClientTokens[] {
  if (!hasOtherClients(snapshot)) return [];
  return [...clientTokensInRange(snapshot.days, range)]
    .filter(([, total]) => total > 0)
    .sort(([, a], [, b]) => b - a)
    .map(([client, total]) => ({ client, total }));
}

/** All tokens of a range, or one client's. */
export function rangeTokens(snapshot: Snapshot, range: DateRange, client: ClientName | null): number {
  if (client === null) return sumDays(snapshot.days, range).total;
  return clientTokensInRange(snapshot.days, range).get(client) ?? 0;
}

export { hasOtherClients, figuresOf };

/** Every date of the range, oldest first, with that day's figures (zeros on a day without use). */
export function dailyUsage(snapshot: Snapshot, range: DateRange): { date: string; figures: UsageFigures }[] {
  const byDate = new Map(snapshot.days.map((day) => [day.date, day]));
  return datesIn(range).map((date) => ({ date, figures: byDate.get(date) ?? zeroUsage() }));
}

function accountOf(report: LocalReport, range: DateRange): AccountForRange | null {
  return accountInRange(report, report.local.snapshot, range);
}

/** The account's figures over a range of this snapshot's days, or null when the report has no kept daily list. */
export function accountInRange(report: UsageReport, snapshot: Snapshot, range: DateRange): AccountForRange | null {
  if (!report.account) return null;
  return accountForRange(report.account.days, snapshot.dayModels, range, snapshot.timeZone);
}

function devicesOf(report: LocalReport, period: DevicePeriod): DevicesPeriod | null {
  return hasOtherDevices(report.devices) ? devicesInPeriod(report.devices, report.local, period) : null;
}

// ---------------------------------------------------------------------------------------------------------------------
// The menu's windows (Today, This Week, Lifetime): the snapshot's own totals, counted exactly by the
// engine, with the same columns beside them.

export type WindowName = "today" | "week" | "lifetime";

export interface WindowUsage {
  window: WindowName;
  /** The window's first and last local date; null for a lifetime with no use yet. */
  range: DateRange | null;
  totals: WindowTotals;
  /** "Claude Code 1.2M · OpenCode 300K", or null when only Claude Code is read. */
  split: string | null;
  /** The account's figures when the kept daily list covers the window (never for the lifetime). */
  account: Extract<AccountForRange, { covered: true }> | null;
  /** Each device's figures and their sum, or null when no other device publishes. */
  devices: DevicesPeriod | null;
}

export function windowUsage(report: LocalReport, window: WindowName): WindowUsage {
  const { snapshot } = report.local;
  const range = windowRange(snapshot, window);
  const account = window !== "lifetime" && range ? accountOf(report, range) : null;
  return {
    window,
    range,
    totals: snapshot[window],
    split: clientSplit(snapshot, window),
    account: account?.covered ? account : null,
    devices: devicesOf(report, windowPeriod(snapshot, window)),
  };
}

/** Each device's figures and their sum in every window, as the command line lists them. */
export function devicesByWindow(
  section: DevicesSection,
  local: { snapshot: Snapshot; updatedAt: string },
): Record<WindowName, DevicesPeriod> {
  const period = (window: WindowName) => devicesInPeriod(section, local, windowPeriod(local.snapshot, window));
  return { today: period("today"), week: period("week"), lifetime: period("lifetime") };
}

/** The window's first and last local date; null for a lifetime with no use yet. */
export function windowRange(snapshot: Snapshot, window: "today" | "week"): DateRange;
export function windowRange(snapshot: Snapshot, window: WindowName): DateRange | null;
export function windowRange(snapshot: Snapshot, window: WindowName): DateRange | null {
  const { today, weekFrom, lifetimeFrom } = snapshot.windows;
  if (window === "today") return { from: today, to: today };
  if (window === "week") return { from: weekFrom, to: today };
  return lifetimeFrom ? { from: lifetimeFrom, to: today } : null;
}
