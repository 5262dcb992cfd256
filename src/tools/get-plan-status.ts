import { systemTimeZone } from "../core/views/calendar";
import { describePace } from "../core/platform/pace";
import type { PlatformError, PlatformErrorKind, QuotaItem, UsageReport } from "../core/chain/report-schema";
import { planPaceOf } from "../core/chain/summary";
import { loadReport } from "../raycast/edge";
import { localTime } from "./shared";

/** What to tell the user for each way the platform can fail to answer; never contains the cookie. */
export const PLATFORM_REASONS: Record<PlatformErrorKind, string> = {
  noCookie:
    "The MiMo platform is not connected: no cookie is set. To see plan quota and balance, paste the Cookie header " +
    "of a logged-in platform.xiaomimimo.com tab into the extension's MiMo Platform Cookie preference.",
  invalidCookie:
    "The cookie in the MiMo Platform Cookie preference is incomplete (it lacks the MiMo session values). " +
    "Copy it again from a logged-in platform.xiaomimimo.com tab.",
  loginRequired:
    "The MiMo platform asked for a login: the saved cookie is not logged in. Log in at platform.xiaomimimo.com " +
    "and paste a fresh cookie into the MiMo Platform Cookie preference.",
  expired:
    "The MiMo platform session has expired. Log in again at platform.xiaomimimo.com and update the MiMo Platform " +
    "Cookie preference.",
  network: "The MiMo platform could not be reached (network error). Try again when online.",
  timeout: "The MiMo platform did not answer in time. Try again later.",
  unexpectedPayload: "The MiMo platform answered in a format this extension does not understand.",
  refusedBaseUrl: "The MIMO_API_URL override was refused, so the MiMo platform was not contacted.",
};

export interface QuotaStatus {
  /** The platform's name for the quota, e.g. month_total_token. */
  name: string;
  usedTokens: number;
  limitTokens: number;
  /** limit − used; negative when over the limit. */
  remainingTokens: number;
  /** 0–100, one decimal. */
  usedPercent: number;
}

export interface PlanStatus {
  /** True when plan figures are shown: fresh from the platform, or its last answer from the cache. */
  available: boolean;
  /** "platform": answered just now; "cache": it failed now and its last answer stands in; null: none. */
  source: "platform" | "cache" | null;
  /** When the platform gave these figures (ISO instant); null without figures. */
  updatedAt: string | null;
  /** True for a cached answer older than 12 hours. */
  stale: boolean;
  /** Why the platform did not answer this time; null when it did. */
  problem: { kind: PlatformErrorKind; explanation: string; detail: string } | null;
  plan: {
    code: string;
    expired: boolean;
    /** End of the current period, when the quota resets (ISO instant). */
    resetsAt: string | null;
    /** resetsAt as local date and time in `timeZone`. */
    resetsAtLocal: string | null;
  } | null;
  /** The quota the plan bar shows (monthly, or the plan's total). */
  quota: QuotaStatus | null;
  /** Every quota the platform listed, the main one included. */
  quotas: QuotaStatus[];
  /** Use against an even spend over the 30-day period, with the recent local daily rate. */
  pace: {
    usedPercent: number;
    /** Share of the period already elapsed, 0–100. */
    expectedPercent: number;
    /** usedPercent − expectedPercent: positive means ahead of (faster than) an even pace. */
    aheadByPoints: number;
    /** "12% ahead of pace", "8% behind pace" or "On pace". */
    summary: string;
    /** When the quota runs out at the last seven days' local rate, if before the reset; else null. */
    runsOutAt: string | null;
    runsOutAtLocal: string | null;
  } | null;
  /** Account balance (pay-as-you-go credit), separate from the plan quota. */
  balance: { amount: number; currency: string; cashAmount: number | null; giftAmount: number | null } | null;
  timeZone: string;
  notes: string[];
}

/**
 * The MiMo token plan as the MiMo platform reports it: quota used, limit and percent, when it resets,
 * pace against an even spend, and the account balance. When the platform did not answer, says why in
 * plain words (not connected, login required, expired, offline…) and shows its last answer if any.
 */
export default async function tool(): Promise<PlanStatus> {
  return getPlanStatus(await loadReport(), new Date());
}

function percent(fraction: number): number {
  return Math.round(fraction * 1000) / 10;
}

function quotaStatus(item: QuotaItem): QuotaStatus {
  return {
    name: item.name,
    usedTokens: item.used,
    limitTokens: item.limit,
    remainingTokens: item.limit - item.used,
    usedPercent: percent(item.fraction),
  };
}

function problemOf(error: PlatformError | null): PlanStatus["problem"] {
  return error && { kind: error.kind, explanation: PLATFORM_REASONS[error.kind], detail: error.message };
}

export function getPlanStatus(report: UsageReport, now: Date): PlanStatus {
  const timeZone = report.local?.snapshot.timeZone ?? systemTimeZone();
  const section = report.plan;
  const problem = problemOf(report.planError);
  if (!section) {
    return {
      available: false,
      source: null,
      updatedAt: null,
      stale: false,
      problem,
      plan: null,
      quota: null,
      quotas: [],
      pace: null,
      balance: null,
      timeZone,
      notes: [],
    };
  }

  const data = section.data;
  const notes: string[] = [];
  if (section.source === "cache") {
    notes.push(`These are the platform's figures as of ${localTime(section.updatedAt, timeZone)}, not live ones.`);
  }
  if (data.planError) notes.push(`Plan details could not be read: ${data.planError.message}`);
  if (data.quotaError) notes.push(`Plan usage could not be read: ${data.quotaError.message}`);
  if (!data.plan && !data.planError) notes.push("The account has no token plan; only the balance applies.");

  const pace = planPaceOf(report, now);
  const periodEnd = data.plan?.periodEnd ?? null;
  const runsOutAt = pace?.runsOutAt?.toISOString() ?? null;
  return {
    available: true,
    source: section.source,
    updatedAt: section.updatedAt,
    stale: section.stale,
    problem,
    plan: data.plan && {
      code: data.plan.code,
      expired: data.plan.expired,
      resetsAt: periodEnd,
      resetsAtLocal: periodEnd && localTime(periodEnd, timeZone),
    },
    quota: data.quota?.primary ? quotaStatus(data.quota.primary) : null,
    quotas: data.quota?.items.map(quotaStatus) ?? [],
    pace: pace && {
      usedPercent: percent(pace.usedFraction),
      expectedPercent: percent(pace.expectedFraction),
      aheadByPoints: percent(pace.delta),
      summary: describePace(pace),
      runsOutAt,
      runsOutAtLocal: runsOutAt && localTime(runsOutAt, timeZone),
    },
    balance: {
      amount: data.balance.amount,
      currency: data.balance.currency,
      cashAmount: data.balance.cash,
      giftAmount: data.balance.gift,
    },
    timeZone,
    notes,
  };
}
