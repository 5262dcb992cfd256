import * as z from "zod";
import {
  isLocalDate,
  PERIOD_NAMES,
  resolvePeriod,
  todayIn,
  usageSpan,
  type DateRange,
  type PeriodName,
} from "../core/views/calendar";
import type { Snapshot } from "../core/views/schema";

/**
 * Reading what Raycast AI sends the tools. Bad input throws a plain Error whose message says what to
 * send instead, so the AI can correct its call; every problem of one call is named at once.
 */

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
