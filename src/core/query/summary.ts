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
import type { Pace } from "../platform/pace";
import type { PlanUsage } from "../platform/estimate";
import type { Source, UsageReport } from "../chain/report-schema";
import { compensationQuota, planName, planPaceOf, planUsage, type PlanSplit } from "./plan";
import type { WindowTotals } from "../views/schema";
import { costOf } from "../rates";
import { allDevicesWindow } from "../devices/view";
import { devicesSummaryLine } from "./devices-summary";

/** Words derived from a report, shared by the menu bar, the refresh command and tools. */

/** The figures the menu bar's title can show (the "Menu Bar Figure" preference's values). */
export const MENU_BAR_FIGURES = [
  "todayTokens",
  "weekTokens",
  "todayCredits",
  "weekCredits",
  "todayTokensAllDevices",
  "weekTokensAllDevices",
  "planLeft",
  "todayCost",
] as const;

export type MenuBarFigure = (typeof MENU_BAR_FIGURES)[number];

const SOURCE_LABELS: Record<Source, string> = {
  platform: "Platform",
  local: "Local scan",
  cache: "Cache",
  estimate: "Estimate",
};

export function sourceLabel(source: Source): string {
  return SOURCE_LABELS[source];
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

/** "12% ahead of pace", "8% behind pace" or "On pace" (within one point). */
export function describePace(pace: Pace): string {
  const points = Math.round(Math.abs(pace.delta) * 100);
  if (points < 1) return "On pace";
  return `${points}% ${pace.delta > 0 ? "ahead of" : "behind"} pace`;
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
  if (figure === "todayCredits" || figure === "weekCredits")
    return compactCredits(snapshot[figure === "todayCredits" ? "today" : "week"]);
  if (figure === "todayCost") return formatCost(costOf(snapshot.today));
  return formatTokens(snapshot.today.total);
}

/**
 * "236M cr" for the title, where room is short; "≥ " when some tokens had no known rate, and "— cr"
 * when none had one, so a figure that leaves tokens out never passes for the whole.
 */
function compactCredits(figures: WindowTotals): string {
  if (figures.total > 0 && figures.uncreditedTokens >= figures.total) return "— cr";
  return `${figures.uncreditedTokens > 0 ? "≥ " : ""}${formatCredits(figures.credits)} cr`;
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
