import * as z from "zod";
import type { PeriodName } from "../core/views/calendar";
import type { UsageFigures } from "../core/views/range-totals";
import { dailyUsage, periodUsage, type PeriodUsage } from "../core/query/period";
import type { UsageReport } from "../core/chain/report-schema";
import type { WeekStart } from "../core/views/schema";
import { CLIENT_TITLES } from "../core/scan/clients/names";
import { parseInput, periodFields, resolvePeriodInput } from "./input";
import {
  costAmount,
  creditNotes,
  creditsAmount,
  dayCount,
  hasLocal,
  localContext,
  localNotes,
  unavailable,
  weekdayName,
  type CostAmount,
  type LocalReport,
  type Unavailable,
} from "./answer";
import { loadLocalReport } from "../raycast/edge";
import type { AccountPeriod } from "../core/platform/account-view";
import { FAILURES } from "../core/chain/failures";
import { devicesAnswer, type DevicesAnswer } from "./devices-answer";

type Input = {
  /**
   * A named period in the user's local calendar: "today", "yesterday", "this-week", "last-week",
   * "this-month", "last-month" or "lifetime" (everything counted). Current periods end today. Leave
   * it out when giving from/to; when nothing is given, "today" is used.
   */
  period?: "today" | "yesterday" | "this-week" | "last-week" | "this-month" | "last-month" | "lifetime";
  /** First day of a custom range, local date YYYY-MM-DD, inclusive. Use with `to`, or alone for "since". */
  from?: string;
  /** Last day of a custom range, local date YYYY-MM-DD, inclusive. Defaults to today when only `from` is given. */
  to?: string;
};

/** Per-day rows are listed for ranges up to a month; longer ones get totals and the busiest day. */
export const DAILY_ROWS_MAX = 31;

export interface TokenFigures {
  inputTokens: number;
  outputTokens: number;
  cacheReadTokens: number;
  cacheWriteTokens: number;
  /** input + output + cache read + cache write. */
  totalTokens: number;
  /** Assistant messages counted. */
  messages: number;
  /**
   * MiMo Credits these tokens spend at MiMo's dated per-model rates (cache hit, cache miss, output);
   * 1 CNY of list price = 100,000,000 Credits. A lower bound when uncreditedTokens > 0.
   */
  credits: number;
  /** Tokens of a model or date with no known MiMo rate: counted above, not in credits or cost. */
  uncreditedTokens: number;
  /** At Xiaomi's MiMo API list prices (credits / 100,000,000 CNY); null when no token had a known rate. */
  estimatedCost: CostAmount | null;
}

export interface DailyUsage extends TokenFigures {
  date: string;
  weekday: string;
}

export interface UsageAnswer extends TokenFigures, DevicesAnswer {
  available: true;
  /** The named period asked for, or "custom" for a from/to range. */
  period: PeriodName | "custom";
  /** First local date counted, inclusive. */
  from: string;
  /** Last local date counted, inclusive. */
  to: string;
  /** Calendar days from `from` to `to`. */
  days: number;
  /** Days with at least one message. */
  activeDays: number;
  /** Distinct sessions with messages in the range. */
  sessions: number;
  /**
   * Total tokens of the range per client (Claude Code, OpenCode, Kilo, OpenClaw, Codex), largest
   * first; absent when only Claude Code is read.
   */
  byClient?: { client: string; totalTokens: number }[];
  /**
   * The whole account, every device and client of the plan, from the MiMo platform's daily list
   * (source "platform", as of `asOf`), next to this Mac's figures and never added to them:
   * totalTokens and credits (at MiMo's rates) of the account, and elsewhereTokens / elsewhereCredits,
   * the account minus this Mac. Absent when the kept list does not cover the period (see notes).
   */
  account?: AccountPeriod;
  /** The day with the most tokens; on a tie, the latest. */
  busiestDay: { date: string; weekday: string; totalTokens: number; credits: number } | null;
  /** One row per date of the range, zeros included; null for ranges longer than 31 days. */
  daily: DailyUsage[] | null;
  timeZone: string;
  weekStart: WeekStart;
  source: "local" | "cache";
  updatedAt: string;
  /** Caveats to pass on with the figures. */
  notes: string[];
}

// Raycast builds the AI's view of the tool from the literal `Input` type above (with its comments),
// so that type stays written out; `satisfies` holds the parser to it, so the two cannot drift.
const InputSchema = z.strictObject(periodFields) satisfies z.ZodType<Input>;

/**
 * Exact MiMo token usage for a period, counted from the user's Claude Code transcripts and other MiMo
 * clients' logs on this Mac: tokens by bucket, messages, sessions, tokens per client, estimated API
 * cost and, for ranges up to a month, one row per day; beside them, when the platform's daily list
 * covers the period, the whole account (all devices), its Credits and what was used elsewhere. Use it for "how much did I use today / this week / last month / between two dates".
 */
export default async function tool(input: Input): Promise<UsageAnswer | Unavailable> {
  return getUsage(input, await loadLocalReport(), new Date());
}

export function getUsage(input: unknown, report: UsageReport, now: Date): UsageAnswer | Unavailable {
  const fields = parseInput("get-usage", InputSchema, input);
  if (!hasLocal(report)) return unavailable(report);
  const snapshot = report.local.snapshot;
  const resolved = resolvePeriodInput("get-usage", fields, "today", snapshot, now);
  const range = { from: resolved.from, to: resolved.to };

  const usage = periodUsage(report, range);
  const { totals, sessions, busiest } = usage;

  const account = accountOf(report, usage);
  const devices = devicesAnswer(report, usage);
  const notes = [...resolved.notes, ...localNotes(report), ...creditNotes(totals), ...account.notes, ...devices.notes];
  if (sessions.uncertain > 0) {
    notes.push(
      `The sessions figure may be up to ${sessions.uncertain} too high: long sessions active around the range's edge are counted.`,
    );
  }

  return {
    available: true,
    period: resolved.period,
    from: range.from,
    to: range.to,
    days: dayCount(range),
    activeDays: totals.activeDays,
    ...figures(totals),
    sessions: sessions.count,
    ...(usage.clients.length > 0
      ? { byClient: usage.clients.map(({ client, total }) => ({ client: CLIENT_TITLES[client], totalTokens: total })) }
      : {}),
    ...(account.account ? { account: account.account } : {}),
    busiestDay: busiest && {
      date: busiest.date,
      weekday: weekdayName(busiest.date),
      totalTokens: busiest.total,
      credits: creditsAmount(busiest),
    },
    daily:
      dayCount(range) > DAILY_ROWS_MAX
        ? null
        : dailyUsage(snapshot, range).map((day) => ({
            date: day.date,
            weekday: weekdayName(day.date),
            ...figures(day.figures),
          })),
    ...devices.answer,
    ...localContext(report),
    notes,
  };
}

/** The account's figures for the range when the kept rows cover it, and what to say when not. */
function accountOf(report: LocalReport, usage: PeriodUsage): { account: AccountPeriod | null; notes: string[] } {
  if (report.accountError?.kind === "accountNoPh") return { account: null, notes: [FAILURES.accountNoPh.explanation] };
  const answer = usage.account;
  if (!answer) return { account: null, notes: [] };
  return answer.covered ? { account: answer.account, notes: answer.notes } : { account: null, notes: answer.notes };
}

function figures(t: UsageFigures): TokenFigures {
  return {
    inputTokens: t.input,
    outputTokens: t.output,
    cacheReadTokens: t.cacheRead,
    cacheWriteTokens: t.cacheWrite,
    totalTokens: t.total,
    messages: t.messages,
    credits: creditsAmount(t),
    uncreditedTokens: t.uncreditedTokens,
    estimatedCost: costAmount(t),
  };
}
