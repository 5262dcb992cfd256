import { inRange, localDate, usageSpan, type DateRange } from "./calendar";
import type { Buckets, DayRow, SessionRecord, Snapshot } from "./schema";
import { sumCredits, type CreditFigures } from "../rates";

/**
 * A snapshot's figures summed over a date range. Tokens, messages and cost come from `days`, which
 * the engine already splits by local date, so they are exact for any range. Distinct sessions are
 * not additive across days, so they are counted from each session's activity series instead (see
 * `sessionInRange`).
 */

/** Token, Credit and message figures, as days, bars and per-model shares carry them. */
export interface UsageFigures extends Buckets, CreditFigures {
  total: number;
  messages: number;
}

export interface RangeTotals extends UsageFigures {
  /** Days of the range with at least one counted message. */
  activeDays: number;
}

export function zeroUsage(): UsageFigures {
  return { input: 0, output: 0, cacheRead: 0, cacheWrite: 0, total: 0, messages: 0, credits: 0, uncreditedTokens: 0 };
}

/** Adds a row's figures into a running total (a bar, a share, a range); Credits stay exact (rates.ts). */
export function addUsage(into: UsageFigures, row: UsageFigures): void {
  into.input += row.input;
  into.output += row.output;
  into.cacheRead += row.cacheRead;
  into.cacheWrite += row.cacheWrite;
  into.total += row.total;
  into.messages += row.messages;
  const credits = sumCredits([into, row]);
  into.credits = credits.credits;
  into.uncreditedTokens = credits.uncreditedTokens;
}

export function sumDays(days: DayRow[], range: DateRange): RangeTotals {
  const rows = days.filter((day) => inRange(day.date, range));
  const totals = zeroUsage();
  for (const row of rows) addUsage(totals, row);
  const activeDays = rows.filter((row) => row.messages > 0).length;
  return { ...totals, activeDays };
}

/**
 * Whether a session had counted messages in the range:
 * - "in": certainly (a series point known to hold activity falls on a date of the range);
 * - "maybe": only a merged point straddling the range's edge could hold it;
 * - "out": certainly not.
 * `tokens` adds the points whose start falls in the range, which is exact unless `approximate`.
 */
export interface SessionRangeActivity {
  presence: "in" | "maybe" | "out";
  tokens: number;
  /** True when a merged point straddles the range's edge, so `tokens` may be off by part of it. */
  approximate: boolean;
}

/**
 * Each series point holds the tokens of the slots (`slotMs` long) from its `at` up to the session's
 * `seriesStepMs` on. Slots are dated by their start, as the snapshot dates them, and every UTC offset
 * in use is a multiple of a slot, so an unmerged point's date is exactly its messages' own. A merged
 * point is known to hold activity only when it is the first (it starts on a counted slot); it can
 * reach no further than the next point or the session's last message.
 */
export function sessionInRange(
  session: SessionRecord,
  range: DateRange,
  timeZone: string,
  slotMs: number,
): SessionRangeActivity {
  const { series, seriesStepMs: step } = session;
  const merged = step > slotMs;
  const lastAt = Date.parse(session.lastAt);
  let presence: SessionRangeActivity["presence"] = "out";
  let tokens = 0;
  let approximate = false;
  series.forEach((point, i) => {
    const at = Date.parse(point.at);
    const start = localDate(at, timeZone);
    if (inRange(start, range)) tokens += point.total;
    const nextAt = i + 1 < series.length ? Date.parse(series[i + 1].at) : Infinity;
    const lastSlotAt = Math.min(at + step - slotMs, nextAt - slotMs, Math.max(lastAt, at));
    const end = merged ? localDate(lastSlotAt, timeZone) : start;
    const surelyActive = !merged || i === 0;
    const fullyIn = inRange(start, range) && inRange(end, range);
    const touches = start <= range.to && end >= range.from;
    if ((surelyActive && inRange(start, range)) || fullyIn) presence = "in";
    else if (touches && presence === "out") presence = "maybe";
    if (touches && !fullyIn) approximate = true;
  });
  return { presence, tokens, approximate };
}

export interface SessionCount {
  /** Sessions with counted messages in the range, including the `uncertain` ones. */
  count: number;
  /** Long sessions counted although only a merged chart point at the range's edge says they were active. */
  uncertain: number;
}

/**
 * Distinct sessions active in the range. Ranges the snapshot already counted (today, this week up to
 * its day, everything) take its exact figure; others are counted from the series, where only long
 * sessions with a merged point straddling the range's edge can be uncertain, and those are counted.
 */
export function sessionsInRange(snapshot: Snapshot, range: DateRange): SessionCount {
  const { days, windows } = snapshot;
  const span = usageSpan(days);
  if (!span || !days.some((day) => day.messages > 0 && inRange(day.date, range))) return { count: 0, uncertain: 0 };
  const exact = (sessions: number): SessionCount => ({ count: sessions, uncertain: 0 });
  if (range.from <= span.from && range.to >= span.to) return exact(snapshot.lifetime.sessions);
  if (range.from === windows.today && range.to === windows.today) return exact(snapshot.today.sessions);
  if (range.from === windows.weekFrom && range.to === windows.today) return exact(snapshot.week.sessions);

  let count = 0;
  let uncertain = 0;
  for (const session of snapshot.sessions) {
    const { presence } = sessionInRange(session, range, snapshot.timeZone, snapshot.slotMs);
    if (presence === "out") continue;
    count++;
    if (presence === "maybe") uncertain++;
  }
  return { count, uncertain };
}
