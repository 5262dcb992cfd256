import {
  formatCost,
  formatCreditFigures,
  formatCredits,
  formatDateTime,
  formatMoney,
  formatPercent,
  formatRelative,
  formatTokens,
  plural,
} from "../format";
import { describePace, planPace, type Pace } from "../platform/pace";
import { NO_LOCAL_USE, estimateFromSetting, estimatePlan, type PlanUsage } from "../platform/estimate";
import { localUseSince, periodStartOf, recentDailyCredits } from "../platform/local-since";
import type { QuotaItem, Source, UsageReport } from "./report-schema";
import type { WindowTotals } from "../views/schema";
import { costOf } from "../rates";
import { allDevicesWindow } from "../devices/view";
import { devicesSummaryLine } from "./devices-summary";

export type { PlanUsage, PlanBasis, PlanBasisKind } from "../platform/estimate";

/** Words and figures derived from a report, shared by the menu bar, the refresh command and tools. */

export type MenuBarFigure =
  "todayTokens" | "weekTokens" | "todayTokensAllDevices" | "weekTokensAllDevices" | "planLeft" | "todayCost";

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
  if (!plan) {
    // Never an answer from the platform: the plan named in preferences, against this Mac's Credits.
    const snapshot = report.local?.snapshot;
    return report.planSetting && snapshot ? estimateFromSetting(report.planSetting, snapshot, now) : null;
  }
  const primary = plan.data.quota?.primary ?? null;
  if (plan.source === "platform" && primary) {
    return {
      used: primary.used,
      limit: primary.limit,
      fraction: primary.fraction,
      estimated: false,
      periodEnd: plan.data.plan?.periodEnd ?? null,
      basis: { kind: "platform", answeredAt: plan.updatedAt, local: NO_LOCAL_USE },
    };
  }
  if (plan.credits) return estimatePlan(plan.credits, report.local?.snapshot ?? null, now, report.devices ?? null);
  if (!primary) return null;
  // An answer from before the credit history existed: shown as it was.
  return {
    used: primary.used,
    limit: primary.limit,
    fraction: primary.fraction,
    estimated: true,
    periodEnd: plan.data.plan?.periodEnd ?? null,
    basis: { kind: "lastAnswer", answeredAt: plan.updatedAt, local: NO_LOCAL_USE },
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

/** "This Mac 31% · elsewhere 69% of this period". */
export function describePlanSplit(split: PlanSplit): string {
  const mac = formatPercent(split.thisMacShare);
  const elsewhere = formatPercent(1 - split.thisMacShare);
  return `This Mac ${mac} · elsewhere ${elsewhere} of this period`;
}

/** Said once, plainly, when the split shows the rate table is behind MiMo's prices. */
export function ratesOutOfDateNote(split: PlanSplit): string | null {
  if (!split.ratesOutOfDate) return null;
  return (
    `This Mac counted ${formatCredits(split.thisMacCredits)} Credits this period at the rates this version knows, ` +
    "more than the platform's own figure: MiMo's rates have likely changed, so Credits shown here may be too high. " +
    "Updating the extension fixes it."
  );
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

/** "10%", or "≈10%" when the plan's figure is an estimate: the one way a plan share is marked. */
export function planPercent(usage: Pick<PlanUsage, "estimated">, fraction: number): string {
  return `${usage.estimated ? "≈" : ""}${formatPercent(fraction)}`;
}

/** "8.58B / 82B Credits · 10%", with "≈ " in front of an estimate. */
export function describePlanUsage(usage: Pick<PlanUsage, "used" | "limit" | "fraction" | "estimated">): string {
  const approx = usage.estimated ? "≈ " : "";
  return `${approx}${formatCredits(usage.used)} / ${formatCredits(usage.limit)} Credits · ${formatPercent(usage.fraction)}`;
}

/** "≈ … this Mac since 14:05; use on other devices not seen": the short form for a subtitle. */
export function estimateScope(usage: PlanUsage, timeZone?: string): string | null {
  const { basis } = usage;
  if (!usage.estimated) return null;
  if (basis.kind === "preferences") return "this Mac only · from preferences";
  if (!basis.answeredAt) return null;
  const since = basis.kind === "reset" ? "the reset" : formatDateTime(basis.answeredAt, timeZone).slice(11);
  const devices = basis.devices?.length ? ` + ${basis.devices.map((d) => d.name).join(", ")}` : "";
  const unseen = basis.devices ? "devices that have not published since not seen" : "use on other devices not seen";
  return `this Mac${devices} since ${since}; ${unseen}`;
}

/** How an estimated figure was made, for tooltips, the summary and the AI; null for a fresh answer. */
export function describeEstimate(usage: PlanUsage, timeZone?: string): string | null {
  const { basis } = usage;
  if (!usage.estimated) return null;
  const local = basis.local;
  const credits = `${formatCredits(local.credits)} Credits (${formatTokens(local.tokens)} tokens at MiMo's rates)`;
  const unrated =
    local.uncreditedTokens > 0
      ? ` Not included: ${formatTokens(local.uncreditedTokens)} tokens of ${local.unratedModels.join(", ") || "a model"}, rate unknown.`
      : "";
  const devices = basis.devices ?? null;
  const added = devices?.length
    ? ` plus ${devices.map((d) => `${d.name}'s ${formatCredits(d.credits)} Credits`).join(", ")} (from their digests in the sync folder, newer than the answer)`
    : "";
  const unseen = devices
    ? " It counts every MiMo client read on this Mac and the devices that published to the sync folder since; other clients on the same key, devices that have not published since and the console are not seen."
    : " It counts every MiMo client read on this Mac; use on other devices, other clients on the same key and the console since then is not seen.";
  if (basis.kind === "preferences")
    return `Estimate: this Mac's ${credits} this period, against the plan set in preferences.${unrated} It sees only this Mac.`;
  if (!basis.answeredAt) return null;
  const answered = `the platform's last answer (${formatDateTime(basis.answeredAt, timeZone)})`;
  switch (basis.kind) {
    case "lastAnswer":
      return `Estimate: ${answered}, with no use on this Mac since.${unseen}`;
    case "localUse":
      return `Estimate: ${answered} plus this Mac's ${credits}${added} since.${unrated}${unseen}`;
    case "reset":
      return `Estimate: the period reset after ${answered}; this Mac's ${credits}${added} since the reset.${unrated}${unseen}`;
    default:
      return null;
  }
}

/** The compact figure next to the menu bar icon. Falls back to today's tokens when the chosen one is unknown. */
export function menuBarTitle(report: UsageReport | undefined, figure: MenuBarFigure, now: Date): string | undefined {
  if (!report) return undefined;
  const snapshot = report.local?.snapshot;
  const usage = planUsage(report, now);
  const left = usage && planPercent(usage, Math.max(0, 1 - usage.fraction));
  if (figure === "planLeft" && left) return left;
  if (!snapshot) return left ?? undefined;
  if (figure === "todayTokensAllDevices" || figure === "weekTokensAllDevices") {
    const window = figure === "todayTokensAllDevices" ? "today" : "week";
    const all = report.local && allDevicesWindow(report.devices, report.local, window);
    return formatTokens(all ? all.total : snapshot[window].total);
  }
  if (figure === "weekTokens") return formatTokens(snapshot.week.total);
  if (figure === "todayCost") return formatCost(costOf(snapshot.today));
  return formatTokens(snapshot.today.total);
}

/** "Today 1.2M · Week 8.4M · Plan 10% used", for the refresh command's subtitle in Raycast search. */
export function searchSubtitle(report: UsageReport, now: Date): string {
  const parts: string[] = [];
  const snapshot = report.local?.snapshot;
  if (snapshot) parts.push(`Today ${formatTokens(snapshot.today.total)}`, `Week ${formatTokens(snapshot.week.total)}`);
  const usage = planUsage(report, now);
  if (usage) parts.push(`Plan ${planPercent(usage, usage.fraction)} used`);
  return parts.length ? parts.join(" · ") : "No MiMo usage found yet";
}

function windowLine(label: string, t: WindowTotals): string {
  return (
    `${label}: ${formatTokens(t.total)} tokens (input ${formatTokens(t.input)}, output ${formatTokens(t.output)}, ` +
    `cache read ${formatTokens(t.cacheRead)}, cache write ${formatTokens(t.cacheWrite)}), ` +
    `${plural(t.messages, "message")}, ${plural(t.sessions, "session")}, ${formatCreditFigures(t)}, est. ${formatCost(costOf(t))}`
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
    );
    const devices = devicesSummaryLine(report);
    if (devices) lines.push(devices);
    lines.push(
      `Source: ${sourceLabel(local.source)}, updated ${formatDateTime(local.updatedAt, s.timeZone)} (${formatRelative(local.updatedAt, now)})`,
    );
  }
  if (plan) lines.push(`Plan source: ${sourceLabel(plan.source)}, updated ${formatRelative(plan.updatedAt, now)}`);
  return lines.join("\n");
}
