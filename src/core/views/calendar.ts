import type { DayRow, WeekStart } from "./schema";

/**
 * The calendar in one place: local dates in an IANA time zone, the windows a snapshot counts
 * (today, this week) and the named periods people ask about ("last month"). Dates are plain
 * "YYYY-MM-DD" strings: they sort and compare as text, and date arithmetic happens on UTC noon so DST
 * never moves a day. Ranges are inclusive.
 */

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    // en-CA formats as YYYY-MM-DD.
    formatter = new Intl.DateTimeFormat("en-CA", { timeZone, year: "numeric", month: "2-digit", day: "2-digit" });
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

export function localDate(ms: number, timeZone: string): string {
  return formatterFor(timeZone).format(ms);
}

const DAY_MS = 86_400_000;
const offsetFormatters = new Map<string, Intl.DateTimeFormat>();

/** The zone's offset from UTC at an instant, in ms, or NaN when its parts cannot be read back. */
export function utcOffsetAt(ms: number, timeZone: string): number {
  let formatter = offsetFormatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat("en-US", {
      timeZone,
      hourCycle: "h23",
      year: "numeric",
      month: "numeric",
      day: "numeric",
      hour: "numeric",
      minute: "numeric",
      second: "numeric",
    });
    offsetFormatters.set(timeZone, formatter);
  }
  const parts: Record<string, number> = {};
  for (const part of formatter.formatToParts(ms)) if (part.type !== "literal") parts[part.type] = Number(part.value);
  const { year, month, day, hour, minute, second } = parts;
  if (!(year >= 1000 && year <= 9999)) return NaN;
  return Date.UTC(year, month - 1, day, hour, minute, second) - Math.floor(ms / 1000) * 1000;
}

/** The instant a local date begins in a zone (DST-safe: the offset is read at the guess, then again). */
export function startOfLocalDay(date: string, timeZone: string): number {
  const [y, m, d] = date.split("-").map(Number);
  const wall = Date.UTC(y, m - 1, d);
  const first = wall - utcOffsetAt(wall, timeZone);
  return wall - utcOffsetAt(first, timeZone);
}

/**
 * The UTC instant (ISO 8601, as `Date.prototype.toISOString` writes it) of the start of each time
 * slot, for many slots: a session list charts thousands of them, and formatting each through a Date
 * costs more than the rest of its row. Each UTC day's date is formatted once; a slot's time of day
 * comes from its place in the day (`slotMs` divides a day, as 15 minutes does).
 */
export function slotInstantLookup(slotMs: number): (slot: number) => string {
  const slotsPerDay = DAY_MS / slotMs;
  const dayPrefixes = new Map<number, string>();
  return (slot) => {
    const day = Math.floor(slot / slotsPerDay);
    let prefix = dayPrefixes.get(day);
    if (prefix === undefined) dayPrefixes.set(day, (prefix = new Date(day * DAY_MS).toISOString().slice(0, -13)));
    const ms = (slot - day * slotsPerDay) * slotMs;
    const hours = Math.floor(ms / 3_600_000);
    const minutes = Math.floor(ms / 60_000) % 60;
    const seconds = Math.floor(ms / 1000) % 60;
    return `${prefix}${pad2(hours)}:${pad2(minutes)}:${pad2(seconds)}.${String(ms % 1000).padStart(3, "0")}Z`;
  };
}

function pad2(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}

/**
 * The local date of the start of each time slot (`slot × slotMs`), for many slots. Formatting each
 * distinct slot costs about a microsecond, and years of activity hold tens of thousands of them, so
 * the offset is read at the first and last slot of each UTC day: when both agree, the zone did not
 * change its offset that day and every slot's date follows from it; a day with a change (a DST
 * switch) formats its slots one by one. Like V8's own local time, this takes it that no zone
 * changes its offset twice within one day and back again.
 */
export function slotDateLookup(timeZone: string, slotMs: number): (slot: number) => string {
  const slotsPerDay = DAY_MS / slotMs;
  const { dayOffsets, dayNames, switchDays } = getSlotDates(timeZone, slotMs);
  return (slot) => {
    const at = slot * slotMs;
    const day = Math.floor(slot / slotsPerDay);
    let offset = dayOffsets.get(day);
    if (offset === undefined) {
      const first = day * DAY_MS;
      const atFirst = utcOffsetAt(first, timeZone);
      offset = atFirst === utcOffsetAt(first + DAY_MS - slotMs, timeZone) ? atFirst : NaN;
      dayOffsets.set(day, offset);
    }
    let date: string | undefined;
    if (Number.isNaN(offset)) {
      date = switchDays.get(slot);
      if (date === undefined) switchDays.set(slot, (date = localDate(at, timeZone)));
      return date;
    }
    // The local calendar day as a number, named once.
    const local = Math.floor((at + offset) / DAY_MS);
    date = dayNames.get(local);
    if (date === undefined) dayNames.set(local, (date = new Date(local * DAY_MS).toISOString().slice(0, 10)));
    return date;
  };
}

/**
 * What slotDateLookup has learnt of a zone, kept for the process: a day's offset and a date's name
 * never change, and the menu bar refreshes in one process, each refresh dating the same days again
 * (two formatToParts calls a UTC day). Bounded by the days there is activity on.
 */
interface SlotDates {
  /** A UTC day's offset, NaN when it changes within the day. */
  dayOffsets: Map<number, number>;
  /** A local day's date. */
  dayNames: Map<number, string>;
  /** A slot's date on a day whose offset changes. */
  switchDays: Map<number, string>;
}
const slotDates = new Map<string, SlotDates>();

function getSlotDates(timeZone: string, slotMs: number): SlotDates {
  const key = `${slotMs} ${timeZone}`;
  let known = slotDates.get(key);
  if (!known) slotDates.set(key, (known = { dayOffsets: new Map(), dayNames: new Map(), switchDays: new Map() }));
  return known;
}

export function isValidTimeZone(timeZone: string): boolean {
  try {
    formatterFor(timeZone);
    return true;
  } catch {
    return false;
  }
}

export function systemTimeZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone || "UTC";
}

function toNoon(date: string): number {
  const [y, m, d] = date.split("-").map(Number);
  return Date.UTC(y, m - 1, d, 12);
}

export function addDays(date: string, days: number): string {
  return new Date(toNoon(date) + days * 86_400_000).toISOString().slice(0, 10);
}

/** 0 = Sunday … 6 = Saturday. */
const WEEKDAY_NAMES = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"];

/** "Monday" for a local date. */
export function weekdayName(date: string): string {
  return WEEKDAY_NAMES[weekday(date)];
}

export function weekday(date: string): number {
  return new Date(toNoon(date)).getUTCDay();
}

export function weekStartOf(date: string, weekStart: WeekStart): string {
  const dow = weekday(date);
  const back = weekStart === "monday" ? (dow + 6) % 7 : dow;
  return addDays(date, -back);
}

/** Whole days from `from` to `to` (both local dates). */
export function daysBetween(from: string, to: string): number {
  return Math.round((toNoon(to) - toNoon(from)) / 86_400_000);
}

/** The local date of an instant in the snapshot's zone; "today" for a report is this of its clock. */
export function todayIn(now: Date, timeZone: string): string {
  return localDate(now.getTime(), timeZone);
}

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
