import { formatCost, formatDateTime, formatPercent, formatRelative, formatTokens, plural } from "../format";
import { describePace, planPace, recentDailyRate, type Pace } from "../platform/pace";
import type { QuotaItem, Source, UsageReport } from "./report-schema";
import type { WindowTotals } from "../views/schema";

/** Words and figures derived from a report, shared by the menu bar, the refresh command and tools. */

export type MenuBarFigure = "todayTokens" | "weekTokens" | "planLeft" | "todayCost";

const SOURCE_LABELS: Record<Source, string> = { platform: "Platform", local: "Local scan", cache: "Cache" };

export function sourceLabel(source: Source): string {
  return SOURCE_LABELS[source];
}

/** The quota the plan bar and ring show, when the platform told us one. */
export function planQuota(report: UsageReport): QuotaItem | null {
  return report.plan?.data.quota?.primary ?? null;
}

export function planPaceOf(report: UsageReport, now: Date): Pace | null {
  const quota = planQuota(report);
  const periodEnd = report.plan?.data.plan?.periodEnd;
  if (!quota || !periodEnd) return null;
  const rate = report.local ? recentDailyRate(report.local.snapshot) : 0;
  return planPace(quota, periodEnd, now, rate);
}

/** The compact figure next to the menu bar icon. Falls back to today's tokens when the chosen one is unknown. */
export function menuBarTitle(report: UsageReport | undefined, figure: MenuBarFigure): string | undefined {
  if (!report) return undefined;
  const snapshot = report.local?.snapshot;
  const quota = planQuota(report);
  if (figure === "planLeft" && quota) return formatPercent(Math.max(0, 1 - quota.fraction));
  if (!snapshot) return quota ? formatPercent(Math.max(0, 1 - quota.fraction)) : undefined;
  if (figure === "weekTokens") return formatTokens(snapshot.week.total);
  if (figure === "todayCost") return formatCost(snapshot.today.cost);
  return formatTokens(snapshot.today.total);
}

/** "Today 1.2M · Week 8.4M", for the refresh command's subtitle in Raycast search. */
export function searchSubtitle(report: UsageReport): string {
  const parts: string[] = [];
  const snapshot = report.local?.snapshot;
  if (snapshot) parts.push(`Today ${formatTokens(snapshot.today.total)}`, `Week ${formatTokens(snapshot.week.total)}`);
  const quota = planQuota(report);
  if (quota) parts.push(`Plan ${formatPercent(quota.fraction)} used`);
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
  const quota = planQuota(report);
  if (plan) {
    if (quota)
      lines.push(`Plan: ${formatTokens(quota.used)} / ${formatTokens(quota.limit)} (${formatPercent(quota.fraction)})`);
    const pace = planPaceOf(report, now);
    if (pace) lines.push(`Pace: ${describePace(pace)}`);
    lines.push(`Balance: ${plan.data.balance.amount.toFixed(2)} ${plan.data.balance.currency}`);
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
