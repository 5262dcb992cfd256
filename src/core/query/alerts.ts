import * as z from "zod";
import { formatCredits, formatDateTime, formatFull, formatPercent, formatTokens } from "../format";
import { PERIOD_DAYS, PERIOD_MS } from "../platform/pace";
import { addDays, daysBetween } from "../views/calendar";
import { planUsage } from "./plan";
import type { UsageReport } from "../chain/report-schema";

/**
 * Usage alerts, decided here without any storage or notification: which thresholds a refresh finds
 * newly crossed given what was already notified, and when the current pace reaches the next one.
 * Each gauge (the plan, the weekly budget) remembers the thresholds it notified in its current
 * period; a new plan period or a new week re-arms them.
 */

// ---------------------------------------------------------------------------------------------------------------------
// Thresholds (the "Alert Thresholds" preference)

export const DEFAULT_ALERT_THRESHOLDS = "80,95";

export type ThresholdsResult = { ok: true; thresholds: number[] } | { ok: false; message: string };

/** "80,95" → [80, 95]; "" → [] (alerts off); "80%, 95 %" is accepted too. Anything else says what is wrong. */
export function parseThresholds(text: string): ThresholdsResult {
  const parts = text
    .split(/[,;\s]+/)
    .map((part) => part.trim())
    .filter(Boolean);
  const thresholds: number[] = [];
  for (const part of parts) {
    const match = /^(\d+(?:\.\d+)?)%?$/.exec(part);
    const value = match ? Number(match[1]) : NaN;
    if (!(value > 0 && value <= 100)) {
      return {
        ok: false,
        message: `Alert Thresholds: “${part}” is not a percentage from 1 to 100. Use a list such as 80,95, or leave it empty to turn alerts off.`,
      };
    }
    thresholds.push(value);
  }
  return { ok: true, thresholds: [...new Set(thresholds)].sort((a, b) => a - b) };
}

// ---------------------------------------------------------------------------------------------------------------------
// Gauges: what is measured against the thresholds

export type GaugeKind = "plan" | "budget";

export interface Gauge {
  kind: GaugeKind;
  /** Share used, 0..1 (may pass 1). */
  fraction: number;
  used: number;
  limit: number;
  /** True when the figure is an estimate rather than the platform's own. */
  estimated: boolean;
  /** Identifies the current period: a different value re-arms the thresholds. */
  period: string;
  /** When the period ends: an ISO instant (plan) or the local date the next week starts (budget). */
  resetsAt: string;
  /** Share of the period elapsed, 0..1, for the pace. */
  elapsed: number;
}

/** The plan (when known, with its period end) and this week's use of the budget (when one is set). */
export function alertGauges(report: UsageReport, weeklyBudget: number | null, now: Date): Gauge[] {
  const gauges: Gauge[] = [];
  // The platform figure, or the Credits estimate when the cookie lapsed.
  const plan = planUsage(report, now);
  if (plan?.periodEnd) {
    const end = Date.parse(plan.periodEnd);
    const start = end - PERIOD_MS;
    gauges.push({
      kind: "plan",
      fraction: plan.fraction,
      used: plan.used,
      limit: plan.limit,
      estimated: plan.estimated,
      period: plan.periodEnd,
      resetsAt: plan.periodEnd,
      elapsed: clamp01((now.getTime() - start) / (end - start)),
    });
  }
  const snapshot = report.local?.snapshot;
  if (snapshot && weeklyBudget) {
    const { weekFrom, today } = snapshot.windows;
    gauges.push({
      kind: "budget",
      fraction: snapshot.week.total / weeklyBudget,
      used: snapshot.week.total,
      limit: weeklyBudget,
      estimated: false,
      period: weekFrom,
      resetsAt: addDays(weekFrom, 7),
      // Whole local days, today counted: an average per calendar day so far.
      elapsed: clamp01((daysBetween(weekFrom, today) + 1) / 7),
    });
  }
  return gauges;
}

// ---------------------------------------------------------------------------------------------------------------------
// Remembered state and the crossing rule

const GaugeMemorySchema = z.object({ period: z.string(), notified: z.array(z.number()) });
export const AlertMemorySchema = z.object({
  plan: GaugeMemorySchema.optional(),
  budget: GaugeMemorySchema.optional(),
});
export type AlertMemory = z.infer<typeof AlertMemorySchema>;

/** Stored text → memory; anything unreadable starts afresh rather than failing the refresh. */
export function readAlertMemory(text: string | undefined): AlertMemory {
  if (!text) return {};
  try {
    const parsed = AlertMemorySchema.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : {};
  } catch {
    return {};
  }
}

export interface Crossing {
  gauge: Gauge;
  /** The highest threshold newly crossed: the one the notification names. */
  threshold: number;
  /** Every threshold newly crossed (lower ones included), to remember once notified. */
  thresholds: number[];
}

/**
 * Which thresholds each gauge has newly crossed. A gauge whose period differs from the remembered one
 * starts with nothing notified; at most one crossing per gauge, naming the highest threshold passed.
 */
export function newCrossings(gauges: Gauge[], thresholds: number[], memory: AlertMemory): Crossing[] {
  const crossings: Crossing[] = [];
  for (const gauge of gauges) {
    const notified = notifiedIn(memory, gauge);
    const crossed = thresholds.filter((t) => gauge.fraction * 100 >= t && !notified.includes(t));
    if (crossed.length) crossings.push({ gauge, threshold: crossed[crossed.length - 1], thresholds: crossed });
  }
  return crossings;
}

function notifiedIn(memory: AlertMemory, gauge: Gauge): number[] {
  const remembered = memory[gauge.kind];
  return remembered && remembered.period === gauge.period ? remembered.notified : [];
}

/** The memory after a crossing was notified. */
export function rememberCrossing(memory: AlertMemory, crossing: Crossing): AlertMemory {
  const { gauge } = crossing;
  const notified = [...new Set([...notifiedIn(memory, gauge), ...crossing.thresholds])].sort((a, b) => a - b);
  return { ...memory, [gauge.kind]: { period: gauge.period, notified } };
}

// ---------------------------------------------------------------------------------------------------------------------
// Words

const GAUGE_NAMES: Record<GaugeKind, string> = { plan: "MiMo plan", budget: "Weekly token budget" };

/** The plan is counted in Credits, the weekly budget in tokens: each gauge says its own unit. */
const GAUGE_UNITS: Record<GaugeKind, { short: (n: number) => string; word: string }> = {
  plan: { short: formatCredits, word: "Credits" },
  budget: { short: formatTokens, word: "tokens" },
};

function resetText(gauge: Gauge, timeZone: string | undefined): string {
  return gauge.kind === "plan" ? formatDateTime(gauge.resetsAt, timeZone) : gauge.resetsAt;
}

export interface AlertNotification {
  title: string;
  subtitle: string;
  message: string;
}

/** "MiMo plan passed 80%" · "85% used (8.5M of 10M Credits) · resets 2026-12-10 00:00". */
export function crossingNotification(crossing: Crossing, timeZone?: string): AlertNotification {
  const { gauge, threshold } = crossing;
  const unit = GAUGE_UNITS[gauge.kind];
  const figure = `${formatPercent(gauge.fraction)} used (${unit.short(gauge.used)} of ${unit.short(gauge.limit)} ${unit.word}${gauge.estimated ? ", estimated" : ""})`;
  return {
    title: "MiMo Usage",
    subtitle: `${GAUGE_NAMES[gauge.kind]} passed ${threshold}%`,
    message: `${figure} · resets ${resetText(gauge, timeZone)}`,
  };
}

export interface NextThreshold {
  gauge: Gauge;
  threshold: number;
  /** Days until the current pace reaches it, or null when it would not before the reset. */
  inDays: number | null;
}

/**
 * The lowest threshold not yet reached, per gauge, and when the pace so far in the period (share used
 * over share of the period elapsed; no token-to-credit mixing) reaches it.
 */
export function nextThresholds(gauges: Gauge[], thresholds: number[]): NextThreshold[] {
  const result: NextThreshold[] = [];
  for (const gauge of gauges) {
    const threshold = thresholds.find((t) => gauge.fraction * 100 < t);
    if (threshold === undefined) continue;
    const periodDays = gauge.kind === "plan" ? PERIOD_DAYS : 7;
    const perDay = gauge.elapsed > 0 ? gauge.fraction / (gauge.elapsed * periodDays) : 0;
    const days = perDay > 0 ? (threshold / 100 - gauge.fraction) / perDay : Infinity;
    const left = (1 - gauge.elapsed) * periodDays;
    result.push({ gauge, threshold, inDays: days <= left ? days : null });
  }
  return result;
}

/** "Plan: 80% in ~3 days", "Budget: 95% not at this pace before the reset". */
export function describeNextThreshold(next: NextThreshold): string {
  const name = next.gauge.kind === "plan" ? "Plan" : "Budget";
  if (next.inDays === null) return `${name}: ${next.threshold}% not before the reset at this pace`;
  return `${name}: ${next.threshold}% in ${approxDays(next.inDays)}`;
}

function approxDays(days: number): string {
  if (days < 1 / 24) return "under an hour";
  if (days < 1) return `~${Math.max(1, Math.round(days * 24))} h`;
  const whole = Math.round(days);
  return `~${whole} day${whole === 1 ? "" : "s"}`;
}

/** "8,500,000 of 10,000,000 Credits": the exact figure for a tooltip. */
export function gaugeExact(gauge: Gauge): string {
  return `${gauge.estimated ? "≈ " : ""}${formatFull(gauge.used)} of ${formatFull(gauge.limit)} ${GAUGE_UNITS[gauge.kind].word}`;
}

function clamp01(value: number): number {
  return Math.min(1, Math.max(0, value));
}
