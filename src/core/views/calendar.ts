import type { WeekStart } from "./schema";

/**
 * Local calendar dates in an IANA time zone. Dates are plain "YYYY-MM-DD" strings: they sort and
 * compare as text, and date arithmetic happens on UTC noon so DST never moves a day.
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
