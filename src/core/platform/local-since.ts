import { localDate } from "../views/calendar";
import { otherClientsRead } from "../views/client-split";
import type { Snapshot } from "../views/schema";
import { sumCredits } from "../rates";
import { rootsFingerprint, type CreditSample } from "./credit-history";
import { PERIOD_MS } from "./pace";

/**
 * This Mac's use since an instant (a plan answer, a reset), in tokens and in Credits at MiMo's rates.
 * Credits come only from the rate table, per model and bucket, so a change of model or cache mix
 * after an answer changes the figure exactly as MiMo bills it; nothing here divides Credits by tokens.
 */

const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;

export interface LocalUse {
  tokens: number;
  credits: number;
  /** Tokens of a model or date with no known rate: in `tokens`, not in `credits`. */
  uncreditedTokens: number;
  /** The models those unrated tokens belong to, as far as the per-day rows tell. */
  unratedModels: string[];
  /** True when an hour that began before `at` was shared out by time (no exact count at `at`). */
  approximate: boolean;
}

const NONE: LocalUse = { tokens: 0, credits: 0, uncreditedTokens: 0, unratedModels: [], approximate: false };

/**
 * From the snapshot's hourly rows: hours after `at` count whole; the hour holding `at` counts for the
 * share of it that lay after `at` (even use within that one hour).
 */
export function localUseSince(snapshot: Snapshot, at: number): LocalUse {
  const updatedAt = Date.parse(snapshot.updatedAt);
  if (at >= updatedAt) return NONE;
  // Nothing after the last message: exactly no use, whatever a share of an hour would say.
  if (snapshot.lastActivity !== null && Date.parse(snapshot.lastActivity) <= at) return NONE;
  let tokens = 0;
  let approximate = false;
  const parts: { credits: number; uncreditedTokens: number }[] = [];
  for (const hour of snapshot.hours) {
    if (hour.at + HOUR_MS <= at) continue;
    if (hour.at >= at) {
      tokens += hour.total;
      parts.push(hour);
      continue;
    }
    const share = (Math.min(hour.at + HOUR_MS, updatedAt) - at) / (Math.min(hour.at + HOUR_MS, updatedAt) - hour.at);
    approximate = true;
    tokens += Math.round(hour.total * share);
    parts.push({ credits: hour.credits * share, uncreditedTokens: Math.round(hour.uncreditedTokens * share) });
  }
  const sum = sumCredits(parts);
  return {
    tokens,
    ...sum,
    unratedModels: sum.uncreditedTokens > 0 ? unratedModelsSince(snapshot, at) : [],
    approximate,
  };
}

/**
 * Use since an answer. With counts taken at the answer over the same folders and clients, it is the
 * difference of two lifetime counts, exact to the message; otherwise (a cached scan then, other
 * folders now) the hourly rows.
 */
export function localUseSinceAnswer(sample: CreditSample, snapshot: Snapshot | null): LocalUse {
  if (!snapshot) return NONE;
  const now = snapshot.lifetime;
  if (
    sample.localTokens !== null &&
    sample.localCredits !== null &&
    sample.localUncredited !== null &&
    sample.roots === rootsFingerprint(snapshot.roots, otherClientsRead(snapshot)) &&
    now.total >= sample.localTokens &&
    now.credits >= sample.localCredits
  ) {
    const uncreditedTokens = Math.max(0, now.uncreditedTokens - sample.localUncredited);
    return {
      tokens: now.total - sample.localTokens,
      // Both counts are whole tenths of a Credit (rates.ts): their difference is too.
      credits: (Math.round(now.credits * 10) - Math.round(sample.localCredits * 10)) / 10,
      uncreditedTokens,
      unratedModels: uncreditedTokens > 0 ? unratedModelsSince(snapshot, Date.parse(sample.at)) : [],
      approximate: false,
    };
  }
  return localUseSince(snapshot, Date.parse(sample.at));
}

/** When the period ending at `periodEnd` began. */
export function periodStartOf(periodEnd: string): number {
  return Date.parse(periodEnd) - PERIOD_MS;
}

/** Models with unrated tokens on `at`'s local date or later, by the per-day per-model rows. */
function unratedModelsSince(snapshot: Snapshot, at: number): string[] {
  const from = localDate(at, snapshot.timeZone);
  const names = new Set<string>();
  for (const row of snapshot.dayModels) if (row.date >= from && row.uncreditedTokens > 0) names.add(row.model);
  return [...names].sort();
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

/** This Mac's Credits per day over the last seven local days, today included, at MiMo's rates. */
export function recentDailyCredits(snapshot: Snapshot): number {
  const hours = snapshot.hours.filter((hour) => hour.at >= Date.parse(snapshot.updatedAt) - 7 * DAY_MS);
  return sumCredits(hours).credits / 7;
}
