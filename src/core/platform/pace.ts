/**
 * How plan use compares with an even spend over the period, all in Credits. MiMo plans run 30 days
 * ending at `currentPeriodEnd` (the same assumption CodexBar makes), so at any moment the even pace
 * says how much of the quota "should" be gone.
 */

export const PERIOD_DAYS = 30;
const DAY_MS = 86_400_000;
export const PERIOD_MS = PERIOD_DAYS * DAY_MS;

export interface Pace {
  /** Share of the credits used, 0..1 (may pass 1). */
  usedFraction: number;
  /** Share of the period elapsed, 0..1. */
  expectedFraction: number;
  /** used − expected: positive means spending faster than the even pace. */
  delta: number;
  /** When the credits run out at the recent rate, if that is before the reset. */
  runsOutAt: Date | null;
}

/** Credits used and allowed in the period. */
export interface CreditFigure {
  used: number;
  limit: number;
  fraction: number;
}

/** `creditsPerDay`: the recent spend in credits per day, or null when it is not known. */
export function planPace(figure: CreditFigure, periodEnd: string, now: Date, creditsPerDay: number | null): Pace {
  const end = Date.parse(periodEnd);
  const start = end - PERIOD_MS;
  const expectedFraction = Math.min(1, Math.max(0, (now.getTime() - start) / (end - start)));
  const usedFraction = figure.limit > 0 ? figure.used / figure.limit : figure.fraction;
  let runsOutAt: Date | null = null;
  if (creditsPerDay !== null && creditsPerDay > 0 && figure.limit > 0) {
    const left = Math.max(0, figure.limit - figure.used);
    const at = now.getTime() + (left / creditsPerDay) * DAY_MS;
    if (at < end) runsOutAt = new Date(at);
  }
  return { usedFraction, expectedFraction, delta: usedFraction - expectedFraction, runsOutAt };
}
