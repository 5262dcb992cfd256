import { planPace, type Pace } from "../platform/pace";
import { NO_LOCAL_USE, estimateFromSetting, estimatePlan, type PlanUsage } from "../platform/estimate";
import { localUseSince, periodStartOf, recentDailyCredits } from "../platform/local-since";
import type { Balance, QuotaItem, UsageReport } from "../chain/report-schema";
import { accountForRange } from "../platform/account-view";
import { localDate } from "../views/calendar";

/**
 * The plan's figures, asked of a report: used of the limit now (fresh or estimated), where this
 * period's Credits went, the pace, compensation, the plan's name and balance. The menu, the summary,
 * the alerts and the AI tools all read the plan through here.
 */

export type { PlanUsage, PlanBasis, PlanBasisKind } from "../platform/estimate";

/**
 * The plan figure now, in Credits: the platform's answer of this refresh, else the estimate from its
 * last answer and local use since (restarting at a reset), else that last answer as it was. Null
 * when the platform never told us a quota. The one function everything that shows or watches the
 * plan's use reads.
 */
export function planUsage(report: UsageReport, now: Date): PlanUsage | null {
  const plan = report.plan;
  if (!plan) {
    // Never an answer from the platform: the plan named in preferences, against this Mac's Credits.
    const snapshot = report.local?.snapshot;
    return report.planSetting && snapshot ? estimateFromSetting(report.planSetting, snapshot, now) : null;
  }
  const primary = plan.data.quota?.primary ?? null;
  if (plan.source === "platform" && primary) return answerAsItIs(plan, primary, "platform");
  if (plan.credits) return estimatePlan(plan.credits, report.local?.snapshot ?? null, now, report.devices ?? null);
  // An answer from before the credit history existed: shown as it was.
  return primary ? answerAsItIs(plan, primary, "lastAnswer") : null;
}

/** The platform's figure as it answered: fresh from this refresh, or an old answer marked an estimate. */
function answerAsItIs(
  plan: NonNullable<UsageReport["plan"]>,
  primary: QuotaItem,
  kind: "platform" | "lastAnswer",
): PlanUsage {
  return {
    used: primary.used,
    limit: primary.limit,
    fraction: primary.fraction,
    estimated: kind !== "platform",
    periodEnd: plan.data.plan?.periodEnd ?? null,
    basis: { kind, answeredAt: plan.updatedAt, local: NO_LOCAL_USE },
  };
}

/** Where the plan's Credits went in its period, as of the platform's answer. */
export interface PlanSplit {
  /** When the split was true: the answer it was made at. */
  asOf: string;
  /** This Mac's Credits in the period at MiMo's rates. */
  thisMacCredits: number;
  /** The rest of `used`: other devices, other clients on the key, the console. Never below zero. */
  elsewhereCredits: number;
  /** This Mac's share of `used`, 0..1. */
  thisMacShare: number;
  /**
   * True when this Mac alone counted clearly more than the platform's `used`: MiMo's rates must have
   * changed since the rate table was written, so Credits shown here may be off.
   */
  ratesOutOfDate: boolean;
}

/** Slack before a negative "elsewhere" means the rates, not rounding or a request not yet billed. */
const SPLIT_SLACK = { fraction: 0.02, credits: 1_000_000 };

/**
 * The plan's `used` split into this Mac and elsewhere at the latest answer: reconciliation, measured
 * at each answer, instead of a ratio that would charge other devices' use to local tokens.
 */
export function planSplit(report: UsageReport): PlanSplit | null {
  const plan = report.plan;
  const primary = plan?.data.quota?.primary;
  const periodEnd = plan?.data.plan?.periodEnd ?? null;
  if (!plan || !primary || !periodEnd) return null;
  let thisMac: number | null = null;
  let asOf = plan.updatedAt;
  let used = primary.used;
  const snapshot = report.local?.snapshot;
  if (plan.source === "platform" && snapshot) {
    thisMac = localUseSince(snapshot, periodStartOf(periodEnd)).credits;
  } else if (plan.credits) {
    thisMac = plan.credits.lastAnswer.periodLocalCredits;
    asOf = plan.credits.lastAnswer.at;
    used = plan.credits.lastAnswer.used;
  }
  if (thisMac === null) return null;
  const gap = used - thisMac;
  return {
    asOf,
    thisMacCredits: thisMac,
    elsewhereCredits: Math.max(0, gap),
    thisMacShare: used > 0 ? Math.min(1, thisMac / used) : 0,
    ratesOutOfDate: gap < -Math.max(SPLIT_SLACK.credits, used * SPLIT_SLACK.fraction),
  };
}

export interface PlanPace extends Pace {
  /** Where the run-out rate came from: the credit samples of the last 7 days, or local use converted. */
  rateFrom: "samples" | "localUse" | null;
}

/** Pace against an even spend, and the run-out date from a credit rate (never credits ÷ tokens). */
export function planPaceOf(report: UsageReport, now: Date): PlanPace | null {
  const usage = planUsage(report, now);
  if (!usage?.periodEnd) return null;
  const credits = report.plan?.credits ?? null;
  const snapshot = report.local?.snapshot;
  let creditsPerDay: number | null = null;
  let rateFrom: PlanPace["rateFrom"] = null;
  if (credits?.creditsPerDay != null) {
    creditsPerDay = credits.creditsPerDay;
    rateFrom = "samples";
  } else if (snapshot) {
    // This Mac's own recent Credits: all an estimate can see, so the run-out date is a late bound.
    creditsPerDay = recentDailyCredits(snapshot);
    rateFrom = "localUse";
  }
  return { ...planPace(usage, usage.periodEnd, now, creditsPerDay), rateFrom };
}

/** Compensation credits, when the platform grants some (a limit above 0). */
export function compensationQuota(report: UsageReport): QuotaItem | null {
  const item = report.plan?.data.quota?.items.find((candidate) => candidate.name === "compensation_total_token");
  return item && item.limit > 0 ? item : null;
}

/** The plan's name as the console shows it, else its code; a plan from preferences says so. */
export function planName(report: UsageReport): string | null {
  const plan = report.plan?.data.plan;
  if (plan) return plan.name ?? plan.code;
  return !report.plan && report.planSetting ? `${report.planSetting.title} (preferences)` : null;
}

/**
 * What the platform's daily list says was used elsewhere (the account minus this Mac) in the plan's
 * period ending at `periodEnd`, when its kept rows cover the period and every model had a rate.
 */
export function accountElsewhere(
  report: UsageReport,
  periodEnd: string,
): { elsewhereCredits: number; asOf: string } | null {
  const snapshot = report.local?.snapshot;
  if (!report.account || !snapshot) return null;
  const from = localDate(periodStartOf(periodEnd), snapshot.timeZone);
  const range = { from, to: snapshot.windows.today };
  const answer = accountForRange(report.account.days, snapshot.dayModels, range, snapshot.timeZone);
  if (!answer.covered || answer.account.elsewhereCredits === null) return null;
  return { elsewhereCredits: answer.account.elsewhereCredits, asOf: answer.account.asOf };
}

/** Everything the plan section shows, asked once: null when there is no plan to show at all. */
export interface PlanFigures {
  name: string | null;
  usage: PlanUsage | null;
  split: PlanSplit | null;
  pace: PlanPace | null;
  compensation: QuotaItem | null;
  /** When the period ends: the estimate's, else the platform's last word. */
  periodEnd: string | null;
  balance: Balance | null;
}

export function planFigures(report: UsageReport, now: Date): PlanFigures | null {
  const plan = report.plan;
  const usage = planUsage(report, now);
  if (!plan && !usage) return null;
  return {
    name: planName(report),
    usage,
    split: planSplit(report),
    pace: planPaceOf(report, now),
    compensation: compensationQuota(report),
    periodEnd: usage?.periodEnd ?? plan?.data.plan?.periodEnd ?? null,
    balance: plan?.data.balance ?? null,
  };
}
