import { addDays, daysBetween, localDate, weekStartOf } from "./calendar";
import { SLOT_MS } from "../ledger/state";
import type { Buckets, Cost, DayRow, SessionRecord, Snapshot, WeekStart } from "./schema";
import { MAX_SERIES_POINTS } from "./snapshot";

/**
 * Calendar periods ("this week", "last month", a custom range) resolved to inclusive local dates,
 * and a snapshot's figures summed over them. Tokens, messages and cost come from `days`, which the
 * engine already splits by local date, so they are exact for any range. Distinct sessions are not
 * additive across days, so they are counted from each session's activity series instead (see
 * `sessionInRange`).
 */

export const PERIOD_NAMES = [
  "today",
  "yesterday",
  "this-week",
  "last-week",
  "this-month",
  "last-month",
  "lifetime",
] as const;
export type PeriodName = (typeof PERIOD_NAMES)[number];

/** Inclusive local dates, YYYY-MM-DD. */
export interface DateRange {
  from: string;
  to: string;
}

const DATE_PATTERN = /^\d{4}-\d{2}-\d{2}$/;

/**
 * A YYYY-MM-DD string naming a day that exists (no 2026-02-30). Years before 1000 are refused:
 * `Date.UTC`, which the calendar helpers use, reads years below 100 as 19xx.
 */
export function isLocalDate(text: string): boolean {
  if (!DATE_PATTERN.test(text)) return false;
  const [y, m, d] = text.split("-").map(Number);
  if (y < 1000) return false;
  const at = new Date(Date.UTC(y, m - 1, d));
  return at.getUTCFullYear() === y && at.getUTCMonth() === m - 1 && at.getUTCDate() === d;
}

function firstOfMonth(date: string): string {
  return `${date.slice(0, 8)}01`;
}

/**
 * Current periods end today rather than at the end of the week or month: later days are empty.
 * `lifetime` spans the days with usage (`span`, from the snapshot's days), or just today without
 * any; it reaches past today only when a skewed clock dated messages in the future, so that it
 * always matches the snapshot's own lifetime figure.
 */
export function resolvePeriod(
  name: PeriodName,
  today: string,
  weekStart: WeekStart,
  span: DateRange | null,
): DateRange {
  switch (name) {
    case "today":
      return { from: today, to: today };
    case "yesterday": {
      const yesterday = addDays(today, -1);
      return { from: yesterday, to: yesterday };
    }
    case "this-week":
      return { from: weekStartOf(today, weekStart), to: today };
    case "last-week": {
      const thisWeek = weekStartOf(today, weekStart);
      return { from: addDays(thisWeek, -7), to: addDays(thisWeek, -1) };
    }
    case "this-month":
      return { from: firstOfMonth(today), to: today };
    case "last-month": {
      const end = addDays(firstOfMonth(today), -1);
      return { from: firstOfMonth(end), to: end };
    }
    case "lifetime":
      if (!span) return { from: today, to: today };
      return { from: span.from < today ? span.from : today, to: span.to > today ? span.to : today };
  }
}

/** First and last dates with counted messages, or null before any usage. */
export function usageSpan(days: DayRow[]): DateRange | null {
  const active = days.filter((day) => day.messages > 0);
  return active.length ? { from: active[0].date, to: active[active.length - 1].date } : null;
}

/** Every date of the range, oldest first. */
export function datesIn(range: DateRange): string[] {
  const count = daysBetween(range.from, range.to) + 1;
  return Array.from({ length: Math.max(0, count) }, (_, i) => addDays(range.from, i));
}

export function inRange(date: string, range: DateRange): boolean {
  return date >= range.from && date <= range.to;
}

export interface RangeTotals extends Buckets {
  total: number;
  messages: number;
  /** Days of the range with at least one counted message. */
  activeDays: number;
  /** Null when no token in the range has a known price; `partial` when some tokens had none. */
  cost: Cost | null;
}

/** Merges day costs the way the engine's tally does: unknown prices make the sum partial, not wrong. */
export function sumCosts(rows: { total: number; cost: Cost | null }[]): Cost | null {
  let amount = 0;
  let currency: string | null = null;
  let unpriced = false;
  for (const row of rows) {
    if (row.cost === null) {
      if (row.total > 0) unpriced = true;
      continue;
    }
    amount += row.cost.amount;
    currency ??= row.cost.currency;
    if (row.cost.partial) unpriced = true;
  }
  return currency === null ? null : { amount, currency, partial: unpriced };
}

export function sumDays(days: DayRow[], range: DateRange): RangeTotals {
  const rows = days.filter((day) => inRange(day.date, range));
  const totals = { input: 0, output: 0, cacheRead: 0, cacheWrite: 0, total: 0, messages: 0 };
  for (const row of rows) {
    totals.input += row.input;
    totals.output += row.output;
    totals.cacheRead += row.cacheRead;
    totals.cacheWrite += row.cacheWrite;
    totals.total += row.total;
    totals.messages += row.messages;
  }
  const activeDays = rows.filter((row) => row.messages > 0).length;
  return { ...totals, activeDays, cost: sumCosts(rows) };
}

/**
 * A session spanning more than this many 15-minute slots has its series merged into coarser steps
 * (views/snapshot.ts); used here only as an upper bound on the step.
 */
export const SERIES_POINTS_CAP = MAX_SERIES_POINTS;

/**
 * Whether a session had counted messages in the range:
 * - "in": certainly (a series point known to hold activity falls on a date of the range);
 * - "maybe": only a merged point straddling the range's edge could hold it;
 * - "out": certainly not.
 * `tokens` adds the points whose start falls in the range, which is exact unless `approximate`.
 */
export interface SessionRangeActivity {
  presence: "in" | "maybe" | "out";
  tokens: number;
  /** True when a merged point straddles the range's edge, so `tokens` may be off by part of it. */
  approximate: boolean;
}

/**
 * Each series point holds the tokens of the 15-minute slots from its `at` up to `step` slots on. The
 * engine dates every slot by its start in the snapshot's zone, as this does, so with a step of one
 * slot a point's date is exactly the engine's (and, every UTC offset in use being a multiple of 15
 * minutes, its messages' own). Sessions spanning up to a day always have that step. For longer ones the step is bounded above
 * from the series itself (it divides every gap between points) and from `lastAt` (which no counted
 * message passes); the first point always starts on a counted slot, later merged points may not.
 */
export function sessionInRange(session: SessionRecord, range: DateRange, timeZone: string): SessionRangeActivity {
  const slots = session.series.map((point) => Math.floor(Date.parse(point.at) / SLOT_MS));
  if (slots.length === 0) return { presence: "out", tokens: 0, approximate: false };
  const lastSlot = Math.max(slots[slots.length - 1], Math.floor(Date.parse(session.lastAt) / SLOT_MS));
  const step = Math.min(gapDivisor(slots), Math.max(1, Math.ceil((lastSlot - slots[0] + 1) / SERIES_POINTS_CAP)));
  const dateOf = (slot: number) => localDate(slot * SLOT_MS, timeZone);

  let presence: SessionRangeActivity["presence"] = "out";
  let tokens = 0;
  let approximate = false;
  slots.forEach((slot, i) => {
    const start = dateOf(slot);
    if (inRange(start, range)) tokens += session.series[i].total;
    const end = step === 1 ? start : dateOf(Math.min(slot + step - 1, (slots[i + 1] ?? Infinity) - 1, lastSlot));
    const surelyActive = step === 1 || i === 0;
    const fullyIn = inRange(start, range) && inRange(end, range);
    const touches = start <= range.to && end >= range.from;
    if ((surelyActive && inRange(start, range)) || fullyIn) presence = "in";
    else if (touches && presence === "out") presence = "maybe";
    if (touches && !fullyIn) approximate = true;
  });
  return { presence, tokens, approximate };
}

/** Greatest common divisor of the gaps between consecutive slots; Infinity for a single point. */
function gapDivisor(slots: number[]): number {
  let divisor = 0;
  for (let i = 1; i < slots.length; i++) divisor = gcd(divisor, slots[i] - slots[i - 1]);
  return divisor === 0 ? Infinity : divisor;
}

function gcd(a: number, b: number): number {
  while (b) [a, b] = [b, a % b];
  return a;
}

export interface SessionCount {
  /** Sessions with counted messages in the range, including the `uncertain` ones. */
  count: number;
  /** Long sessions counted although only a merged chart point at the range's edge says they were active. */
  uncertain: number;
}

/**
 * Distinct sessions active in the range. Ranges the snapshot already counted (today, this week up to
 * its day, everything) take its exact figure; others are counted from the series, where only long
 * sessions with a merged point straddling the range's edge can be uncertain, and those are counted.
 */
export function sessionsInRange(snapshot: Snapshot, range: DateRange): SessionCount {
  const { days, windows } = snapshot;
  const span = usageSpan(days);
  if (!span || !days.some((day) => day.messages > 0 && inRange(day.date, range))) return { count: 0, uncertain: 0 };
  const exact = (sessions: number): SessionCount => ({ count: sessions, uncertain: 0 });
  if (range.from <= span.from && range.to >= span.to) return exact(snapshot.lifetime.sessions);
  if (range.from === windows.today && range.to === windows.today) return exact(snapshot.today.sessions);
  if (range.from === windows.weekFrom && range.to === windows.today) return exact(snapshot.week.sessions);

  let count = 0;
  let uncertain = 0;
  for (const session of snapshot.sessions) {
    const { presence } = sessionInRange(session, range, snapshot.timeZone);
    if (presence === "out") continue;
    count++;
    if (presence === "maybe") uncertain++;
  }
  return { count, uncertain };
}

/** The local date of an instant in the snapshot's zone; "today" for a report is this of its clock. */
export function todayIn(now: Date, timeZone: string): string {
  return localDate(now.getTime(), timeZone);
}
