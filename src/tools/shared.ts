import { z } from "zod";
import { daysBetween, weekday } from "../core/views/calendar";
import { formatDateTime } from "../core/format";
import {
  isLocalDate,
  PERIOD_NAMES,
  resolvePeriod,
  todayIn,
  usageSpan,
  type DateRange,
  type PeriodName,
} from "../core/views/calendar";
import type { LocalSection, UsageReport } from "../core/chain/report-schema";
import type { Cost, Snapshot, WeekStart } from "../core/views/schema";
import { configFolderList, noConfigFolder } from "../core/views/roots";
import { FAILURES } from "../core/chain/failures";

/**
 * What the AI tools share: input validation, the report they read and the plain-JSON pieces of
 * their answers. Bad input throws a plain Error whose message says what to send instead, so Raycast
 * AI can correct the call; a question the data cannot answer (no transcripts, platform not
 * connected) is an answer, returned with the reason in words.
 */

// ---------------------------------------------------------------------------------------------
// Input

/** AI callers sometimes send "" for a field they mean to leave out. */
function blankAsMissing(value: unknown): unknown {
  return typeof value === "string" && value.trim() === "" ? undefined : value;
}

const PERIOD_LIST = PERIOD_NAMES.join(", ");

const periodField = z.preprocess(
  (value) => {
    const present = blankAsMissing(value);
    // "This Week" and "this_week" mean the same period; anything else still fails with the list.
    return typeof present === "string"
      ? present
          .trim()
          .toLowerCase()
          .replace(/[\s_]+/g, "-")
      : present;
  },
  z.enum(PERIOD_NAMES, { error: (issue) => `period "${String(issue.input)}" is not one of ${PERIOD_LIST}` }).optional(),
);

function dateField(name: "from" | "to") {
  return z.preprocess(
    blankAsMissing,
    z
      .string({ error: (issue) => `${name} must be a date string like 2026-11-25, not ${JSON.stringify(issue.input)}` })
      .trim()
      .refine(isLocalDate, {
        error: (issue) => `${name} "${String(issue.input)}" is not a real date in the form YYYY-MM-DD`,
      })
      .optional(),
  );
}

export const periodFields = { period: periodField, from: dateField("from"), to: dateField("to") };

/** Parses tool input, throwing one readable Error that lists every problem. */
export function parseInput<T extends z.ZodType>(tool: string, schema: T, input: unknown): z.infer<T> {
  const parsed = schema.safeParse(input ?? {});
  if (parsed.success) return parsed.data;
  const allowed = schema instanceof z.ZodObject ? Object.keys(schema.shape).join(", ") : "";
  const problems = parsed.error.issues.map((issue) =>
    issue.code === "unrecognized_keys"
      ? `unknown field ${issue.keys.map((key) => `"${key}"`).join(", ")} (fields: ${allowed})`
      : issue.message,
  );
  throw new Error(`Invalid input for ${tool}: ${problems.join("; ")}.`);
}

export interface PeriodInput {
  period?: PeriodName;
  from?: string;
  to?: string;
}

export interface ResolvedPeriod extends DateRange {
  /** The named period, or "custom" for a from/to range. */
  period: PeriodName | "custom";
  today: string;
  notes: string[];
}

/**
 * Turns the period fields into inclusive local dates in the snapshot's zone. A range may not start
 * after today; one that ends after today is counted through today, since later days cannot have
 * usage yet.
 */
export function resolvePeriodInput(
  tool: string,
  input: PeriodInput,
  fallback: PeriodName,
  snapshot: Snapshot,
  now: Date,
): ResolvedPeriod {
  const today = todayIn(now, snapshot.timeZone);
  const fail = (problem: string): never => {
    throw new Error(`Invalid input for ${tool}: ${problem}.`);
  };
  if (input.period && (input.from || input.to)) {
    fail(`give either period or from/to, not both (got period "${input.period}" and a date range)`);
  }
  if (!input.from && !input.to) {
    const period = input.period ?? fallback;
    const range = resolvePeriod(period, today, snapshot.weekStart, usageSpan(snapshot.days));
    const notes = range.to > today ? [`Some usage is dated after today (${today}); lifetime includes it.`] : [];
    return { period, ...range, today, notes };
  }
  if (!input.from) return fail(`to "${input.to}" needs a from date too (YYYY-MM-DD, inclusive)`);
  const to = input.to ?? today;
  if (input.from > today) fail(`from ${input.from} is after today (${today} in ${snapshot.timeZone}); no usage yet`);
  if (input.from > to) fail(`from ${input.from} is after to ${to}; from must be on or before to`);
  const notes = to > today ? [`to ${to} is after today; counted through today, ${today}.`] : [];
  return { period: "custom", from: input.from, to: to > today ? today : to, today, notes };
}

// ---------------------------------------------------------------------------------------------
// Output pieces

export interface CostAmount {
  amount: number;
  currency: string;
  /** True when some tokens had no known price: the amount is then a lower bound. */
  partial: boolean;
}

/** Rounded to a millionth: enough for tiny cache-read costs, free of float noise from summing. */
export function costOf(cost: Cost | null): CostAmount | null {
  if (!cost) return null;
  return { amount: Math.round(cost.amount * 1e6) / 1e6, currency: cost.currency, partial: cost.partial };
}

/** Words about the cost that a figure alone would hide. */
export function costNotes(cost: Cost | null, totalTokens: number): string[] {
  if (cost === null && totalTokens > 0)
    return ["No API price is known for these models or dates, so there is no cost estimate."];
  if (cost?.partial) return ["Some tokens have no known API price, so estimatedCost is a lower bound."];
  return [];
}

const WEEKDAYS = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"];

export function weekdayName(date: string): string {
  return WEEKDAYS[weekday(date)];
}

/** "2026-11-25 14:05" in the snapshot's zone, for quoting a time without converting from UTC. */
export function localTime(at: string, timeZone: string): string {
  return formatDateTime(at, timeZone);
}

export interface LocalContext {
  timeZone: string;
  weekStart: WeekStart;
  /** "local": scanned just now; "cache": the scan failed and the last good scan answers instead. */
  source: "local" | "cache";
  /** When the transcripts behind these figures were scanned (ISO instant). */
  updatedAt: string;
}

/** A report with local figures, fresh or cached. */
export type LocalReport = UsageReport & { local: LocalSection };

export function localContext(report: LocalReport): LocalContext {
  const { source, updatedAt, snapshot } = report.local;
  return { timeZone: snapshot.timeZone, weekStart: snapshot.weekStart, source, updatedAt };
}

/** What the AI should know about where local figures came from and what they may miss. */
export function localNotes(report: LocalReport): string[] {
  const { source, updatedAt, snapshot } = report.local;
  const notes: string[] = [];
  if (source === "cache") {
    notes.push(
      `The local scan failed (${sentence(report.localError?.message ?? null)}); these are the figures of the last good scan, ` +
        `at ${localTime(updatedAt, snapshot.timeZone)}, so later activity is missing.`,
    );
  }
  if (noConfigFolder(snapshot)) {
    notes.push(
      `No Claude Code config folder was found (looked in ${configFolderList(snapshot)}); ` +
        "set the MiMo Claude Config Folders preference.",
    );
  }
  notes.push(...snapshot.warnings);
  return notes;
}

/** An error message set inside a sentence of ours, without its own full stop. */
function sentence(error: string | null): string {
  return (error ?? "unknown error").replace(/\.$/, "");
}

export interface Unavailable {
  available: false;
  /** Why there are no figures, in words to pass on. */
  reason: string;
}

/** No snapshot at all: the scan failed and no earlier scan was saved. */
export function unavailable(report: UsageReport): Unavailable {
  return {
    available: false,
    // What to do comes from the one failure table, like the menu's and the HUD's words.
    reason:
      `No local usage could be read: ${sentence(report.localError?.message ?? null)}. ` +
      FAILURES[report.localError?.kind ?? "unexpected"].explanation,
  };
}

export function hasLocal(report: UsageReport): report is LocalReport {
  return report.local !== null;
}

/** Days in an inclusive range. */
export function dayCount(range: DateRange): number {
  return daysBetween(range.from, range.to) + 1;
}
