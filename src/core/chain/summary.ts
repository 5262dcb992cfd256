import {
  formatCost,
  formatCredits,
  formatDateTime,
  formatMoney,
  formatPercent,
  formatRelative,
  formatTokens,
  plural,
} from "../format";
import { describePace, planPace, recentDailyTokens, type Pace } from "../platform/pace";
import { estimatePlan, type PlanUsage } from "../platform/estimate";
import type { QuotaItem, Source, UsageReport } from "./report-schema";
import type { WindowTotals } from "../views/schema";

export type { PlanUsage, PlanBasis, PlanBasisKind } from "../platform/estimate";

/** Words and figures derived from a report, shared by the menu bar, the refresh command and tools. */

export type MenuBarFigure = "todayTokens" | "weekTokens" | "planLeft" | "todayCost";

const SOURCE_LABELS: Record<Source, string> = {
  platform: "Platform",
  local: "Local scan",
  cache: "Cache",
  estimate: "Estimate",
};

export function sourceLabel(source: Source): string {
  return SOURCE_LABELS[source];
}

/**
 * The plan figure now, in Credits: the platform's answer of this refresh, else the estimate from its
 * last answer and local use since (restarting at a reset), else that last answer as it was. Null
 * when the platform never told us a quota. The one function everything that shows or watches the
 * plan's use reads.
 */
export function planUsage(report: UsageReport, now: Date): PlanUsage | null {
  const plan = report.plan;
  if (!plan) return null;
  const primary = plan.data.quota?.primary ?? null;
  if (plan.source === "platform" && primary) {
    return {
      used: primary.used,
      limit: primary.limit,
      fraction: primary.fraction,
      estimated: false,
      periodEnd: plan.data.plan?.periodEnd ?? null,
      basis: {
        kind: "platform",
        answeredAt: plan.updatedAt,
        localTokens: 0,
        creditsPerToken: plan.credits?.creditsPerToken ?? null,
      },
    };
  }
  if (plan.credits) return estimatePlan(plan.credits, report.local?.snapshot ?? null, now);
  if (!primary) return null;
  // An answer from before the credit history existed: shown as it was.
  return {
    used: primary.used,
    limit: primary.limit,
    fraction: primary.fraction,
    estimated: true,
    periodEnd: plan.data.plan?.periodEnd ?? null,
    basis: { kind: "lastAnswer", answeredAt: plan.updatedAt, localTokens: 0, creditsPerToken: null },
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
  } else if (credits?.creditsPerToken != null && snapshot) {
    creditsPerDay = recentDailyTokens(snapshot) * credits.creditsPerToken;
    rateFrom = "localUse";
  }
  return { ...planPace(usage, usage.periodEnd, now, creditsPerDay), rateFrom };
}

/** Compensation credits, when the platform grants some (a limit above 0). */
export function compensationQuota(report: UsageReport): QuotaItem | null {
  const item = report.plan?.data.quota?.items.find((candidate) => candidate.name === "compensation_total_token");
  return item && item.limit > 0 ? item : null;
}

/** The plan's name as the console shows it, else its code. */
export function planName(report: UsageReport): string | null {
  const plan = report.plan?.data.plan;
  return plan ? (plan.name ?? plan.code) : null;
}

/** "8.58B / 82B Credits · 10%", with "≈ " in front of an estimate. */
export function describePlanUsage(usage: Pick<PlanUsage, "used" | "limit" | "fraction" | "estimated">): string {
  const approx = usage.estimated ? "≈ " : "";
  return `${approx}${formatCredits(usage.used)} / ${formatCredits(usage.limit)} Credits · ${formatPercent(usage.fraction)}`;
}

/** How an estimated figure was made, for tooltips, the summary and the AI; null for a fresh answer. */
export function describeEstimate(usage: PlanUsage, timeZone?: string): string | null {
  const { basis } = usage;
  if (!usage.estimated) return null;
  const answered = `the platform's last answer (${formatDateTime(basis.answeredAt, timeZone)})`;
  const tokens = `${formatTokens(basis.localTokens)} local tokens`;
  const rate = basis.creditsPerToken === null ? "" : ` at ${formatRatio(basis.creditsPerToken)} credits per token`;
  const scope = "It counts only this Mac's Claude Code transcripts; the plan is shared by every tool that uses it.";
  switch (basis.kind) {
    case "lastAnswer":
      return `Estimate: ${answered}, with no local use since. ${scope}`;
    case "localUse":
      return `Estimate: ${answered} plus ${tokens} since${rate}. ${scope}`;
    case "uncalibrated":
      return `Estimate: ${answered}; ${tokens} since cannot be converted to credits until an answer measures the rate. ${scope}`;
    case "reset":
      return `Estimate: the period reset after ${answered}; ${tokens} since the reset${rate}. ${scope}`;
    default:
      return null;
  }
}

function formatRatio(ratio: number): string {
  return ratio >= 10 ? ratio.toFixed(0) : ratio >= 1 ? ratio.toFixed(1) : ratio.toPrecision(2);
}

/** The compact figure next to the menu bar icon. Falls back to today's tokens when the chosen one is unknown. */
export function menuBarTitle(report: UsageReport | undefined, figure: MenuBarFigure, now: Date): string | undefined {
  if (!report) return undefined;
  const snapshot = report.local?.snapshot;
  const usage = planUsage(report, now);
  const left = usage && `${usage.estimated ? "≈" : ""}${formatPercent(Math.max(0, 1 - usage.fraction))}`;
  if (figure === "planLeft" && left) return left;
  if (!snapshot) return left ?? undefined;
  if (figure === "weekTokens") return formatTokens(snapshot.week.total);
  if (figure === "todayCost") return formatCost(snapshot.today.cost);
  return formatTokens(snapshot.today.total);
}

/** "Today 1.2M · Week 8.4M · Plan 10% used", for the refresh command's subtitle in Raycast search. */
export function searchSubtitle(report: UsageReport, now: Date): string {
  const parts: string[] = [];
  const snapshot = report.local?.snapshot;
  if (snapshot) parts.push(`Today ${formatTokens(snapshot.today.total)}`, `Week ${formatTokens(snapshot.week.total)}`);
  const usage = planUsage(report, now);
  if (usage) parts.push(`Plan ${usage.estimated ? "≈" : ""}${formatPercent(usage.fraction)} used`);
  return parts.length ? parts.join(" · ") : "No MiMo usage found yet";
}

function windowLine(label: string, t: WindowTotals): string {
  return (
    `${label}: ${formatTokens(t.total)} tokens (input ${formatTokens(t.input)}, output ${formatTokens(t.output)}, ` +
    `cache read ${formatTokens(t.cacheRead)}, cache write ${formatTokens(t.cacheWrite)}), ` +
    `${plural(t.messages, "message")}, ${plural(t.sessions, "session")}, est. ${formatCost(t.cost)}`
  );
}

/** A plain-text summary for the clipboard. */
export function summaryText(report: UsageReport, now: Date): string {
  const lines = ["MiMo Usage"];
  const plan = report.plan;
  const timeZone = report.local?.snapshot.timeZone;
  if (plan) {
    const name = planName(report);
    const usage = planUsage(report, now);
    if (usage) {
      lines.push(`Plan${name ? ` (${name})` : ""}: ${describePlanUsage(usage)}`);
      const how = describeEstimate(usage, timeZone);
      if (how) lines.push(how);
    }
    const compensation = compensationQuota(report);
    if (compensation) lines.push(`Compensation: ${describePlanUsage({ ...compensation, estimated: false })}`);
    const pace = planPaceOf(report, now);
    if (pace) lines.push(`Pace: ${describePace(pace)}`);
    lines.push(`Balance: ${formatMoney(plan.data.balance.amount, plan.data.balance.currency)}`);
  }
  const local = report.local;
  if (local) {
    const s = local.snapshot;
    lines.push(
      windowLine("Today", s.today),
      windowLine("This week", s.week),
      windowLine(`Lifetime (since ${s.windows.lifetimeFrom ?? "—"})`, s.lifetime),
      `Source: ${sourceLabel(local.source)}, updated ${formatDateTime(local.updatedAt, s.timeZone)} (${formatRelative(local.updatedAt, now)})`,
    );
  }
  if (plan) lines.push(`Plan source: ${sourceLabel(plan.source)}, updated ${formatRelative(plan.updatedAt, now)}`);
  return lines.join("\n");
}
