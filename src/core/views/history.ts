import { clientTokensInRange, hasOtherClients, sessionClient } from "./client-split";
import type { ClientName } from "../scan/clients/names";
import {
  addDays,
  datesIn,
  inRange,
  localDate,
  resolvePeriod,
  usageSpan,
  weekStartOf,
  type DateRange,
} from "./calendar";
import { addUsage, sessionInRange, sumDays, zeroUsage, type UsageFigures } from "./range-totals";
import type { DayRow, SessionRecord, Snapshot } from "./schema";
import { costOf } from "../rates";
import { busiestDay, rankProjects } from "../query/rank";
import { csvTable, markdownTable, type TableColumn } from "./export-table";

/**
 * The history command's figures, from a snapshot alone: a range of local dates turned into one row per
 * day (days without use included), sections by week or month, range totals, models, projects and the
 * busiest day, and the same rows as CSV or a Markdown table. No file is read here.
 */

export const HISTORY_RANGES = ["last-7", "last-30", "last-90", "this-month", "last-month", "all"] as const;
export type HistoryRange = (typeof HISTORY_RANGES)[number];

export const DEFAULT_HISTORY_RANGE: HistoryRange = "last-30";

export const HISTORY_RANGE_TITLES: Record<HistoryRange, string> = {
  "last-7": "Last 7 Days",
  "last-30": "Last 30 Days",
  "last-90": "Last 90 Days",
  "this-month": "This Month",
  "last-month": "Last Month",
  all: "All Time",
};

/** Ranges longer than this many days are sectioned by month instead of by week. */
const WEEK_SECTIONS_MAX_DAYS = 35;

export function isHistoryRange(value: string): value is HistoryRange {
  return (HISTORY_RANGES as readonly string[]).includes(value);
}

/** "Last N days" end today and include it; months and all time come from the shared period rules. */
export function historyRange(range: HistoryRange, snapshot: Snapshot): DateRange {
  const today = snapshot.windows.today;
  switch (range) {
    case "last-7":
      return { from: addDays(today, -6), to: today };
    case "last-30":
      return { from: addDays(today, -29), to: today };
    case "last-90":
      return { from: addDays(today, -89), to: today };
    case "this-month":
      return resolvePeriod("this-month", today, snapshot.weekStart, null);
    case "last-month":
      return resolvePeriod("last-month", today, snapshot.weekStart, null);
    case "all":
      return resolvePeriod("lifetime", today, snapshot.weekStart, usageSpan(snapshot.days));
  }
}

export interface HistoryDay extends UsageFigures {
  date: string;
  /** Sessions with counted messages on the day. */
  sessions: number;
}

/** The client the history shows, or null for all of them. */
export type HistoryClient = ClientName | null;

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

export interface HistorySection {
  /** Stable across renders: the first date of the week or month. */
  key: string;
  title: string;
  days: HistoryDay[];
  total: number;
}

const MONTH_NAMES = [
  "January",
  "February",
  "March",
  "April",
  "May",
  "June",
  "July",
  "August",
  "September",
  "October",
  "November",
  "December",
];

/** "November 2026". */
export function monthTitle(date: string): string {
  return `${MONTH_NAMES[Number(date.slice(5, 7)) - 1]} ${date.slice(0, 4)}`;
}

/** Newest days first, grouped by week (weeks start as the user set) or, for long ranges, by month. */
export function historySections(days: HistoryDay[], snapshot: Snapshot): HistorySection[] {
  const byMonth = days.length > WEEK_SECTIONS_MAX_DAYS;
  const sections: HistorySection[] = [];
  for (const day of days) {
    const key = byMonth ? `${day.date.slice(0, 8)}01` : weekStartOf(day.date, snapshot.weekStart);
    let section = sections[sections.length - 1];
    if (!section || section.key !== key) {
      section = { key, title: byMonth ? monthTitle(key) : `Week of ${key}`, days: [], total: 0 };
      sections.push(section);
    }
    section.days.push(day);
    section.total += day.total;
  }
  return sections;
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

// ---------------------------------------------------------------------------------------------------------------------
// Text exports: exact integers, oldest day first, one row per day of the range.

const COLUMNS: TableColumn<HistoryDay>[] = [
  { title: "Date", csv: "date", align: "left", value: (d) => d.date },
  { title: "Input", csv: "input_tokens", align: "right", value: (d) => String(d.input) },
  { title: "Output", csv: "output_tokens", align: "right", value: (d) => String(d.output) },
  { title: "Cache read", csv: "cache_read_tokens", align: "right", value: (d) => String(d.cacheRead) },
  { title: "Cache write", csv: "cache_write_tokens", align: "right", value: (d) => String(d.cacheWrite) },
  { title: "Total", csv: "total_tokens", align: "right", value: (d) => String(d.total) },
  { title: "Messages", csv: "messages", align: "right", value: (d) => String(d.messages) },
  { title: "Sessions", csv: "sessions", align: "right", value: (d) => String(d.sessions) },
  { title: "Credits", csv: "credits", align: "right", value: (d) => creditDigits(d.credits) },
  { title: "Unrated tokens", csv: "uncredited_tokens", align: "right", value: (d) => String(d.uncreditedTokens) },
  { title: "Est. cost", csv: "estimated_cost", align: "right", value: (d) => costCell(d, (c) => costDigits(c.amount)) },
  { title: "Currency", csv: "currency", align: "right", value: (d) => costCell(d, (c) => c.currency) },
  { title: "Partial", csv: "cost_partial", align: "right", value: (d) => costCell(d, (c) => String(c.partial)) },
];

function costCell(day: HistoryDay, part: (cost: NonNullable<ReturnType<typeof costOf>>) => string): string {
  const cost = costOf(day);
  return cost ? part(cost) : "";
}

/** Enough digits for a fraction of a fen, without float noise such as 0.30000000000000004. */
function costDigits(amount: number): string {
  return String(Number(amount.toFixed(6)));
}

/** Credits are whole or tenths (rates.ts); the float noise of a sum is dropped. */
function creditDigits(credits: number): string {
  return String(Number(credits.toFixed(1)));
}

function oldestFirst(days: HistoryDay[]): HistoryDay[] {
  return [...days].sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
}

export function historyCsv(days: HistoryDay[]): string {
  return csvTable(COLUMNS, oldestFirst(days));
}

export function historyMarkdown(days: HistoryDay[]): string {
  return markdownTable(COLUMNS, oldestFirst(days));
}

/** "mimo-usage-2026-10-27-to-2026-11-25.csv". */
export function historyFileName(range: DateRange): string {
  return `mimo-usage-${range.from}-to-${range.to}.csv`;
}
