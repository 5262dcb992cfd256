import type { ClientName } from "../scan/clients/names";
import { addDays, resolvePeriod, usageSpan, weekStartOf, type DateRange } from "./calendar";
import type { UsageFigures } from "./range-totals";
import type { Snapshot } from "./schema";
import { costOf } from "../rates";
import { csvTable, markdownTable, type TableColumn } from "./export-table";

/**
 * The history command's frame: its named ranges, its sections by week or month, and its day rows as
 * CSV or a Markdown table. The figures themselves are asked of the query layer (query/history.ts).
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
