import { systemTimeZone } from "../core/views/calendar";
import type { PlatformError, PlatformErrorKind, QuotaItem, UsageReport } from "../core/chain/report-schema";
import { isStale } from "../core/query/status";
import { FAILURES } from "../core/chain/failures";
import { describeEstimate, describePace, ratesOutOfDateNote } from "../core/query/summary";
import {
  accountElsewhere as accountElsewhereOf,
  compensationQuota,
  planPaceOf,
  planSplit,
  planUsage,
  type PlanBasisKind,
  type PlanUsage,
} from "../core/query/plan";
import { loadReport } from "../raycast/edge";
import { localTime } from "./answer";

/** One quota in Credits, the plan's unit (models spend credits at different rates per token). */
export interface CreditQuota {
  /** The platform's name for the quota, e.g. month_total_token (its figures are credits all the same). */
  name: string;
  usedCredits: number;
  limitCredits: number;
  /** limit − used; negative when over the limit. */
  remainingCredits: number;
  /** 0–100 and beyond, one decimal: 105 when the plan is used past its limit. */
  usedPercent: number;
}

export interface PlanStatus {
  /** True when plan figures are shown: fresh from the platform, estimated, or its last answer. */
  available: boolean;
  /**
   * "platform": answered just now. "estimate": it failed now; the credits are its last answer plus
   * this Mac's Credits since at MiMo's rates (see `estimate`). "cache": it failed now; its last
   * answer as it was. "preferences": the platform never answered; this Mac's Credits this period
   * against the plan named in preferences (other devices not seen).
   */
  source: "platform" | "estimate" | "cache" | "preferences" | null;
  /** When the platform last gave figures (ISO instant); null without figures. */
  updatedAt: string | null;
  /** True when the figures are older than they should be (an answer older than 12 hours). */
  stale: boolean;
  /** Why the platform did not answer this time; null when it did. */
  problem: { kind: PlatformErrorKind; explanation: string; detail: string } | null;
  plan: {
    code: string;
    /** The plan's display name (e.g. "Max"), when the platform sends one. */
    name: string | null;
    expired: boolean;
    /** End of the current period, when the credits reset (ISO instant). */
    resetsAt: string | null;
    /** resetsAt as local date and time in `timeZone`. */
    resetsAtLocal: string | null;
  } | null;
  /** The plan's credits now: the platform's figure, or the estimate when it failed. */
  quota: (CreditQuota & { estimated: boolean }) | null;
  /** How an estimated quota was made; null for the platform's own figure. */
  estimate: {
    basis: PlanBasisKind;
    /** The platform's last real answer the estimate starts from; null for a plan from preferences. */
    lastAnswerAt: string | null;
    lastAnswerAtLocal: string | null;
    /** Tokens counted on this Mac since that answer (or since the reset). */
    localTokensSince: number;
    /** Those tokens' Credits at MiMo's rates, added to the answer's figure. */
    localCreditsSince: number;
    /** Tokens since of models with no known rate: not converted, not in the figure. */
    uncreditedTokensSince: number;
    unratedModels: string[];
    explanation: string;
  } | null;
  /**
   * The period's Credits split at the latest answer: this Mac's own (its logs at MiMo's rates) and
   * the rest of the plan's figure, used elsewhere (other devices, other clients on the key, the
   * console). Null when no answer could be split.
   */
  thisMacCredits: number | null;
  elsewhereCredits: number | null;
  /**
   * Where elsewhereCredits comes from: "account", the platform's daily list by day and model (the
   * account minus this Mac) when its kept rows cover the period; "plan", the plan's used minus this
   * Mac's Credits otherwise.
   */
  elsewhereFrom: "account" | "plan" | null;
  /** When that split was true (the answer's time, or the daily list's). */
  splitAsOf: string | null;
  /** Compensation credits, when the platform grants some. */
  compensation: CreditQuota | null;
  /** Every quota in the platform's answer, the main one included, as it answered. */
  quotas: CreditQuota[];
  /** Use against an even spend over the 30-day period. */
  pace: {
    usedPercent: number;
    /** Share of the period already elapsed, 0–100. */
    expectedPercent: number;
    /** usedPercent − expectedPercent: positive means ahead of (faster than) an even pace. */
    aheadByPoints: number;
    /** "12% ahead of pace", "8% behind pace" or "On pace". */
    summary: string;
    /** When the credits run out at the recent rate, if before the reset; else null. */
    runsOutAt: string | null;
    runsOutAtLocal: string | null;
    /** "samples": the platform's credit figures of the last 7 days; "localUse": this Mac's Credits of the last 7 days. */
    rateFrom: "samples" | "localUse" | null;
  } | null;
  /** Account balance (pay-as-you-go credit), separate from the plan. */
  balance: { amount: number; currency: string; cashAmount: number | null; giftAmount: number | null } | null;
  timeZone: string;
  notes: string[];
}

/**
 * The MiMo token plan in Credits: used, limit and percent, when it resets, pace against an even
 * spend, and the account balance. When the platform did not answer, says why in plain words (not
 * connected, login required, expired, offline…) and gives an estimate from its last answer and
 * local use since, marked as such.
 */
export default async function tool(): Promise<PlanStatus> {
  return getPlanStatus(await loadReport(), new Date());
}

function percent(fraction: number): number {
  return Math.round(fraction * 1000) / 10;
}

function creditQuota(item: Pick<QuotaItem, "used" | "limit" | "fraction"> & { name: string }): CreditQuota {
  return {
    name: item.name,
    usedCredits: item.used,
    limitCredits: item.limit,
    remainingCredits: item.limit - item.used,
    usedPercent: percent(item.fraction),
  };
}

function problemOf(error: PlatformError | null): PlanStatus["problem"] {
  return error && { kind: error.kind, explanation: FAILURES[error.kind].explanation, detail: error.message };
}

function estimateOf(usage: PlanUsage | null, timeZone: string): PlanStatus["estimate"] {
  if (!usage?.estimated) return null;
  const { basis } = usage;
  return {
    basis: basis.kind,
    lastAnswerAt: basis.answeredAt,
    lastAnswerAtLocal: basis.answeredAt && localTime(basis.answeredAt, timeZone),
    localTokensSince: basis.local.tokens,
    localCreditsSince: Number(basis.local.credits.toFixed(1)),
    uncreditedTokensSince: basis.local.uncreditedTokens,
    unratedModels: basis.local.unratedModels,
    explanation: describeEstimate(usage, timeZone) ?? "",
  };
}

/** What the daily list says was used elsewhere in the plan's period, when its kept rows cover it. */
function accountElsewhere(report: UsageReport, end: string): { elsewhereCredits: number; asOf: string } | null {
  const answer = accountElsewhereOf(report, end);
  return answer && { elsewhereCredits: Number(answer.elsewhereCredits.toFixed(1)), asOf: answer.asOf };
}

function paceOf(report: UsageReport, now: Date, timeZone: string): PlanStatus["pace"] {
  const pace = planPaceOf(report, now);
  if (!pace) return null;
  const runsOutAt = pace.runsOutAt?.toISOString() ?? null;
  return {
    usedPercent: percent(pace.usedFraction),
    expectedPercent: percent(pace.expectedFraction),
    aheadByPoints: percent(pace.delta),
    summary: describePace(pace),
    runsOutAt,
    runsOutAtLocal: runsOutAt && localTime(runsOutAt, timeZone),
    rateFrom: runsOutAt ? pace.rateFrom : null,
  };
}

/** The plan named in preferences, with this Mac's Credits this period: all that can be said without the platform. */
function settingStatus(
  report: UsageReport,
  usage: PlanUsage,
  problem: PlanStatus["problem"],
  timeZone: string,
  now: Date,
): PlanStatus {
  return {
    available: true,
    source: "preferences",
    updatedAt: report.local?.updatedAt ?? null,
    stale: false,
    problem,
    plan: {
      code: "preferences",
      name: report.planSetting?.title ?? null,
      expired: false,
      resetsAt: usage.periodEnd,
      resetsAtLocal: usage.periodEnd && localTime(usage.periodEnd, timeZone),
    },
    quota: { ...creditQuota({ ...usage, name: "preferences" }), estimated: true },
    estimate: estimateOf(usage, timeZone),
    thisMacCredits: Number(usage.basis.local.credits.toFixed(1)),
    elsewhereCredits: null,
    elsewhereFrom: null,
    splitAsOf: null,
    compensation: null,
    quotas: [],
    pace: paceOf(report, now, timeZone),
    balance: null,
    timeZone,
    notes: [
      "No answer from the MiMo platform: the plan is the one set in preferences, and its use is this Mac's own " +
        "Credits this period; other devices and clients on the same key are not seen.",
    ],
  };
}

export function getPlanStatus(report: UsageReport, now: Date): PlanStatus {
  const timeZone = report.local?.snapshot.timeZone ?? systemTimeZone();
  const section = report.plan;
  const problem = problemOf(report.planError);
  const fromSetting = !section ? planUsage(report, now) : null;
  if (fromSetting) return settingStatus(report, fromSetting, problem, timeZone, now);
  if (!section) {
    return {
      available: false,
      source: null,
      updatedAt: null,
      stale: false,
      problem,
      plan: null,
      quota: null,
      estimate: null,
      thisMacCredits: null,
      elsewhereCredits: null,
      elsewhereFrom: null,
      splitAsOf: null,
      compensation: null,
      quotas: [],
      pace: null,
      balance: null,
      timeZone,
      notes: [],
    };
  }

  const data = section.data;
  const usage = planUsage(report, now);
  const notes: string[] = [];
  if (section.source === "cache") {
    notes.push(`These are the platform's figures as of ${localTime(section.updatedAt, timeZone)}, not live ones.`);
  }
  if (data.planError) notes.push(`Plan details could not be read: ${data.planError.message}`);
  if (data.quotaError) notes.push(`Plan usage could not be read: ${data.quotaError.message}`);
  if (!data.plan && !data.planError) notes.push("The account has no token plan; only the balance applies.");

  const split = planSplit(report);
  const answerPeriodEnd = data.plan?.periodEnd ?? null;
  const rows = split && answerPeriodEnd ? accountElsewhere(report, answerPeriodEnd) : null;
  const outOfDate = split && ratesOutOfDateNote(split);
  if (outOfDate) notes.push(outOfDate);
  const periodEnd = usage?.periodEnd ?? data.plan?.periodEnd ?? null;
  const compensation = compensationQuota(report);
  return {
    available: true,
    source: section.source,
    updatedAt: section.updatedAt,
    stale: isStale(section, now),
    problem,
    plan: data.plan && {
      code: data.plan.code,
      name: data.plan.name ?? null,
      expired: data.plan.expired,
      resetsAt: periodEnd,
      resetsAtLocal: periodEnd && localTime(periodEnd, timeZone),
    },
    quota: usage && {
      ...creditQuota({ ...usage, name: data.quota?.primary?.name ?? "month_total_token" }),
      estimated: usage.estimated,
    },
    estimate: estimateOf(usage, timeZone),
    thisMacCredits: split && Number(split.thisMacCredits.toFixed(1)),
    elsewhereCredits: rows ? rows.elsewhereCredits : split && Number(split.elsewhereCredits.toFixed(1)),
    elsewhereFrom: rows ? "account" : split ? "plan" : null,
    splitAsOf: rows?.asOf ?? split?.asOf ?? null,
    compensation: compensation && creditQuota(compensation),
    quotas: data.quota?.items.map(creditQuota) ?? [],
    pace: paceOf(report, now, timeZone),
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
