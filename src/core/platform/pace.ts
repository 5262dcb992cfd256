import { addDays } from "../views/calendar";
import type { QuotaItem } from "../chain/report-schema";
import type { Snapshot } from "../views/schema";

/**
 * How plan use compares with an even spend over the period. MiMo plans run 30 days ending at
 * `currentPeriodEnd` (the same assumption CodexBar makes), so at any moment the even pace says how
 * much of the quota "should" be gone.
 */

export const PERIOD_DAYS = 30;
const DAY_MS = 86_400_000;

export interface Pace {
  /** Share of the quota used, 0..1 (may pass 1). */
  usedFraction: number;
  /** Share of the period elapsed, 0..1. */
  expectedFraction: number;
  /** used − expected: positive means spending faster than the even pace. */
  delta: number;
  /** When the quota runs out at the recent local rate, if that is before the reset. */
  runsOutAt: Date | null;
}

export function planPace(quota: QuotaItem, periodEnd: string, now: Date, dailyRate: number): Pace {
  const end = Date.parse(periodEnd);
  const start = end - PERIOD_DAYS * DAY_MS;
  const expectedFraction = Math.min(1, Math.max(0, (now.getTime() - start) / (end - start)));
  const usedFraction = quota.limit > 0 ? quota.used / quota.limit : quota.fraction;
  const remaining = quota.limit - quota.used;
  let runsOutAt: Date | null = null;
  if (dailyRate > 0 && quota.limit > 0) {
    const at = now.getTime() + (Math.max(0, remaining) / dailyRate) * DAY_MS;
    if (at < end) runsOutAt = new Date(at);
  }
  return { usedFraction, expectedFraction, delta: usedFraction - expectedFraction, runsOutAt };
}

/** "12% ahead of pace", "8% behind pace" or "On pace" (within one point). */
export function describePace(pace: Pace): string {
  const points = Math.round(Math.abs(pace.delta) * 100);
  if (points < 1) return "On pace";
  return `${points}% ${pace.delta > 0 ? "ahead of" : "behind"} pace`;
}

/** Average tokens per day over the last seven local days, today included. */
export function recentDailyRate(snapshot: Snapshot): number {
  const from = addDays(snapshot.windows.today, -6);
  const total = snapshot.days
    .filter((d) => d.date >= from && d.date <= snapshot.windows.today)
    .reduce((n, d) => n + d.total, 0);
  return total / 7;
}
