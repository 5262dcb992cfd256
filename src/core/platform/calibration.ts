import { addDays, localDate, startOfLocalDay } from "../views/calendar";
import type { Snapshot } from "../views/schema";
import { rootsFingerprint, type CreditSample } from "./credit-history";
import { otherClientsRead } from "../views/client-split";
import { PERIOD_MS } from "./pace";

/**
 * Credits and tokens are different units: a model spends credits at its own rate per token. These
 * helpers only ever relate them through a measured ratio, credits used in a period divided by this
 * Mac's tokens since the period began, and never put both in one sum.
 *
 * The local measure is total tokens (input, output, cache read and cache write), not tokens weighted
 * by list price: every model has a token count, while the price table knows only some models and
 * dates, and a weighted measure would count an unknown model's use as nothing, so an estimate would
 * stand still while credits burn. One person's mix of models and cache hits changes slowly, and the
 * ratio is measured again at every answer, so it follows that mix.
 */

const DAY_MS = 86_400_000;

/**
 * Tokens this Mac used from `at` until the snapshot was made, from the per-date rows. Dates after
 * `at`'s local date count whole; `at`'s own date counts for the share of it that lay after `at` (its
 * elapsed part, if that date is the snapshot's today), which assumes even use within that one day.
 */
export function localTokensSince(snapshot: Snapshot, at: number): number {
  const updatedAt = Date.parse(snapshot.updatedAt);
  if (at >= updatedAt) return 0;
  // Nothing after the last message: exactly no use, whatever a share of the day would say.
  if (snapshot.lastActivity !== null && Date.parse(snapshot.lastActivity) <= at) return 0;
  const { timeZone } = snapshot;
  const boundary = localDate(at, timeZone);
  let total = 0;
  for (const day of snapshot.days) {
    if (day.date > boundary) total += day.total;
    else if (day.date === boundary) total += day.total * shareAfter(at, boundary, timeZone, updatedAt);
  }
  return Math.round(total);
}

function shareAfter(at: number, date: string, timeZone: string, updatedAt: number): number {
  const start = startOfLocalDay(date, timeZone);
  const end = Math.min(startOfLocalDay(addDays(date, 1), timeZone), updatedAt);
  if (end <= start) return 1;
  return Math.min(1, Math.max(0, (end - at) / (end - start)));
}

/** When the period ending at `periodEnd` began. */
export function periodStartOf(periodEnd: string): number {
  return Date.parse(periodEnd) - PERIOD_MS;
}

/**
 * Credits per local token for an answer: credits used in the period ÷ this Mac's tokens since the
 * period began. Null when either side is zero (a platform that has not counted yet, or a period with
 * no use here) or the period is unknown.
 */
export function calibrate(used: number, periodEnd: string | null, snapshot: Snapshot | null): number | null {
  if (!periodEnd || !snapshot || used <= 0) return null;
  const tokens = localTokensSince(snapshot, periodStartOf(periodEnd));
  return tokens > 0 ? used / tokens : null;
}

/** The newest calibration in the history: a person's ratio carries over from one period to the next. */
export function latestCalibration(samples: CreditSample[]): number | null {
  for (let i = samples.length - 1; i >= 0; i--) {
    const ratio = samples[i].creditsPerToken;
    if (ratio !== null) return ratio;
  }
  return null;
}

/**
 * Tokens used here since an answer. With a count taken at the answer over the same folders, it is
 * the difference (exact); otherwise (a cached scan then, other folders now) the per-date estimate.
 */
export function localTokensSinceAnswer(sample: CreditSample, snapshot: Snapshot | null): number {
  if (!snapshot) return 0;
  const now = snapshot.lifetime.total;
  if (
    sample.localTokens !== null &&
    sample.roots === rootsFingerprint(snapshot.roots, otherClientsRead(snapshot)) &&
    now >= sample.localTokens
  ) {
    return now - sample.localTokens;
  }
  return localTokensSince(snapshot, Date.parse(sample.at));
}

export const BURN_WINDOW_MS = 7 * DAY_MS;

/**
 * Credits spent per day over the last 7 days of samples, when they span at least a day. Across a
 * reset, the new period's figure is what was spent since the reset.
 */
export function burnRate(samples: CreditSample[], now: Date): number | null {
  const from = now.getTime() - BURN_WINDOW_MS;
  const recent = samples.filter((s) => Date.parse(s.at) >= from && Date.parse(s.at) <= now.getTime());
  if (recent.length < 2) return null;
  const span = Date.parse(recent[recent.length - 1].at) - Date.parse(recent[0].at);
  if (span < DAY_MS) return null;
  let spent = 0;
  for (let i = 1; i < recent.length; i++) {
    const [before, after] = [recent[i - 1], recent[i]];
    if (before.periodEnd !== after.periodEnd) spent += after.used;
    else spent += Math.max(0, after.used - before.used);
  }
  return spent / (span / DAY_MS);
}
