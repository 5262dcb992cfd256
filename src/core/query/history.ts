import { clientTokensInRange, hasOtherClients, sessionClient } from "../views/client-split";
import type { ClientName } from "../scan/clients/names";
import { datesIn, inRange, localDate, type DateRange } from "../views/calendar";
import { addUsage, sessionInRange, sumDays, zeroUsage, type UsageFigures } from "../views/range-totals";
import type { DayRow, SessionRecord, Snapshot } from "../views/schema";
import {
  historyRange,
  historySections,
  type HistoryClient,
  type HistoryDay,
  type HistoryRange,
  type HistorySection,
} from "../views/history";
import type { UsageReport } from "../chain/report-schema";
import { accountForRange, type AccountPeriod } from "../platform/account-view";
import { deviceSnapshot } from "../devices/view";
import { busiestDay, rankProjects } from "./rank";

/**
 * The history's figures, asked of a snapshot (this Mac's, or another device's from the sync folder):
 * one row per day of a range (days without use included), range totals, models, projects, the
 * busiest day and the clients, and beside each day the account's figures from the platform's list.
 */

/**
 * The clients the history can be filtered to, in the fixed client order: those with counted tokens in
 * the engine's per-client day rows, and only when there are at least two of them.
 */
export function historyClients(snapshot: Snapshot): ClientName[] {
  const counted = new Set(snapshot.dayClients.filter((row) => row.total > 0).map((row) => row.client));
  const names = snapshot.clients.map((c) => c.name).filter((name) => counted.has(name));
  return names.length > 1 ? names : [];
}

/**
 * The engine's day rows for one client (or all). Without per-client rows only Claude Code counted
 * anything, so its rows are the day rows.
 */
export function clientDayRows(snapshot: Snapshot, client: HistoryClient): DayRow[] {
  if (client === null) return snapshot.days;
  if (snapshot.dayClients.length === 0) return client === "claude-code" ? snapshot.days : [];
  return snapshot.dayClients
    .filter((row) => row.client === client)
    .map((row) => {
      const { client, ...day } = row;
      void client;
      return day;
    });
}

function sessionsOf(snapshot: Snapshot, client: HistoryClient): SessionRecord[] {
  return client === null ? snapshot.sessions : snapshot.sessions.filter((s) => sessionClient(s) === client);
}

/**
 * Every date of the range, newest first; dates the engine has no row for are days without use. Token
 * figures are the engine's own day rows (one client's when filtered), so they add up to the menu
 * bar's windows exactly.
 */
export function historyDays(snapshot: Snapshot, range: DateRange, client: HistoryClient = null): HistoryDay[] {
  const rows = new Map<string, DayRow>(clientDayRows(snapshot, client).map((day) => [day.date, day]));
  const sessions = sessionsPerDay(snapshot, range, client);
  return datesIn(range)
    .reverse()
    .map((date) => {
      const row = rows.get(date);
      if (!row) return { date, ...zeroUsage(), sessions: 0 };
      const { input, output, cacheRead, cacheWrite, total, messages, credits, uncreditedTokens } = row;
      return {
        date,
        input,
        output,
        cacheRead,
        cacheWrite,
        total,
        messages,
        credits,
        uncreditedTokens,
        sessions: sessions.get(date) ?? 0,
      };
    });
}

/**
 * Distinct sessions per day of the range. Each session is tested only on the dates between its first
 * and last activity, with the period module's rule (`sessionInRange`), so this stays cheap for years of
 * sessions; long sessions whose chart merged slots may count on a day at the edge of a merged point.
 */
function sessionsPerDay(snapshot: Snapshot, range: DateRange, client: HistoryClient): Map<string, number> {
  const counts = new Map<string, number>();
  const { timeZone } = snapshot;
  for (const session of sessionsOf(snapshot, client)) {
    const first = localDate(Date.parse(session.firstAt), timeZone);
    const last = localDate(Date.parse(session.lastAt), timeZone);
    const from = first > range.from ? first : range.from;
    const to = last < range.to ? last : range.to;
    if (from > to) continue;
    for (const date of datesIn({ from, to })) {
      if (sessionInRange(session, { from: date, to: date }, timeZone, snapshot.slotMs).presence === "out") continue;
      counts.set(date, (counts.get(date) ?? 0) + 1);
    }
  }
  return counts;
}

export interface ModelShare extends UsageFigures {
  model: string;
}

/** Per-model totals over the range, largest first, from the engine's per-day per-model rows. */
export function modelsInRange(snapshot: Snapshot, range: DateRange): ModelShare[] {
  const byModel = new Map<string, ModelShare>();
  for (const row of snapshot.dayModels) {
    if (!inRange(row.date, range)) continue;
    const share = byModel.get(row.model) ?? { model: row.model, ...zeroUsage() };
    addUsage(share, row);
    byModel.set(row.model, share);
  }
  return [...byModel.values()].sort((a, b) => b.total - a.total || (a.model < b.model ? -1 : 1));
}

export interface ProjectShare {
  /** The session's working folder, or null when no line carried one. */
  project: string | null;
  sessions: number;
  /** Tokens of the range, from the sessions' activity series (see `sessionInRange`). */
  total: number;
}

/** Projects by tokens used in the range (by one client's sessions when filtered), largest first. */
export function topProjects(
  snapshot: Snapshot,
  range: DateRange,
  limit = 5,
  client: HistoryClient = null,
): ProjectShare[] {
  return rankProjects(snapshot, range, client)
    .slice(0, limit)
    .map((p) => ({ project: p.project, sessions: p.sessions.length, total: p.tokens }));
}

export interface HistorySummary {
  range: DateRange;
  /** The client shown, or null for all. */
  client: HistoryClient;
  days: HistoryDay[];
  sections: HistorySection[];
  totals: ReturnType<typeof sumDays>;
  /** Empty when filtered to a client: the engine's per-model rows are not split by client. */
  models: ModelShare[];
  projects: ProjectShare[];
  busiest: HistoryDay | null;
  /** Tokens per client, largest first; empty while only Claude Code is read, or when filtered to one. */
  clients: { client: ClientName; total: number }[];
}

/** Everything the history screen shows for one range, of one client or all. */
export function historySummary(snapshot: Snapshot, name: HistoryRange, client: HistoryClient = null): HistorySummary {
  const range = historyRange(name, snapshot);
  const days = historyDays(snapshot, range, client);
  return {
    range,
    client,
    days,
    sections: historySections(days, snapshot),
    totals: sumDays(clientDayRows(snapshot, client), range),
    models: client === null ? modelsInRange(snapshot, range) : [],
    projects: topProjects(snapshot, range, 5, client),
    busiest: busiestDay(days),
    clients:
      client === null && hasOtherClients(snapshot)
        ? [...clientTokensInRange(snapshot.days, range)]
            .filter(([, total]) => total > 0)
            .sort(([, a], [, b]) => b - a)
            .map(([client, total]) => ({ client, total }))
        : [],
  };
}

/**
 * The snapshot the history shows: this Mac's, or the chosen device's own days from the sync folder.
 * A device no longer there falls back to this Mac, as does no choice at all.
 */
export function historySnapshot(report: UsageReport | undefined, deviceId: string | null): Snapshot | undefined {
  const own = report?.local?.snapshot;
  const device = deviceId ? report?.devices?.others.find((other) => other.id === deviceId) : undefined;
  return own && device ? deviceSnapshot(own, device) : own;
}

/** The account's figures for each day of the range that the platform's kept daily list covers. */
export function accountByDate(
  report: UsageReport | undefined,
  snapshot: Snapshot,
  days: readonly { date: string }[],
): Map<string, AccountPeriod> {
  const byDate = new Map<string, AccountPeriod>();
  if (!report?.account) return byDate;
  for (const { date } of days) {
    const answer = accountForRange(
      report.account.days,
      snapshot.dayModels,
      { from: date, to: date },
      snapshot.timeZone,
    );
    if (answer.covered) byDate.set(date, answer.account);
  }
  return byDate;
}
