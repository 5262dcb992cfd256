import { creditsFor } from "../rates";
import { addDays, inRange, localDate, type DateRange } from "../views/calendar";
import { accountCoverage, type AccountDays, type AccountRow, type Coverage } from "./account-days";
import type { Buckets, DayModelRow } from "../views/schema";
import { formatCredits, formatFull } from "../format";

/**
 * The whole account beside this Mac, for a range of local dates. The account's figures are the
 * platform's daily list (every device and client of the plan); "elsewhere" is the account minus
 * what this Mac counted, day by day and model by model, never below zero. Tokens become Credits only
 * through the dated rate table. Pure: the caller decides that the rows cover the range.
 */

export interface AccountModelFigures {
  /** The model as the platform names it. */
  model: string;
  totalTokens: number;
  /** Null when the model has no rate on the range's days. */
  credits: number | null;
  elsewhereTokens: number;
  elsewhereCredits: number | null;
}

export interface AccountFigures {
  totalTokens: number;
  /** Credits at MiMo's rates; null when no model of the range has a rate. */
  credits: number | null;
  /** True when some tokens had no rate, so `credits` leaves them out. */
  creditsPartial: boolean;
  /** Account minus this Mac, per day and model, clamped at zero. */
  elsewhereTokens: number;
  elsewhereCredits: number | null;
  /** Largest first. */
  byModel: AccountModelFigures[];
  /** Days and models where this Mac counted more than the account (counted as nothing elsewhere). */
  overcounted: { date: string; model: string; tokens: number }[];
  /** Models with tokens but no rate. */
  unrated: string[];
}

/** The same model named by a transcript ("xiaomi/MiMo-V2.5-Pro[1m]") and by the platform ("mimo-v2.5-pro"). */
export function modelKey(name: string): string {
  return (name.toLowerCase().split("/").pop() ?? "").replace(/\[[^\]]*\]$/, "").trim();
}

/** A platform row in the local buckets: a hit is a cache read, a miss is input. */
export function accountBuckets(row: Pick<AccountRow, "hit" | "miss" | "output">): Buckets {
  return { input: row.miss, output: row.output, cacheRead: row.hit, cacheWrite: 0 };
}

interface Cell {
  date: string;
  key: string;
  model: string;
  accountTokens: number;
  accountCredits: number | null;
  localTokens: number;
  localCredits: number | null;
}

export function accountFigures(
  localRows: readonly DayModelRow[],
  accountRows: readonly AccountRow[],
  range: DateRange,
): AccountFigures {
  const cells = new Map<string, Cell>();
  const unrated = new Set<string>();
  const cellOf = (date: string, model: string): Cell => {
    const key = modelKey(model);
    const id = `${date}\u0000${key}`;
    let cell = cells.get(id);
    if (!cell) {
      cell = { date, key, model, accountTokens: 0, accountCredits: 0, localTokens: 0, localCredits: 0 };
      cells.set(id, cell);
    }
    return cell;
  };
  for (const row of accountRows) {
    if (!inRange(row.date, range)) continue;
    const cell = cellOf(row.date, row.model);
    // The platform's spelling names the model wherever both sides have it.
    cell.model = row.model;
    cell.accountTokens += row.total;
    const credits = creditsFor(row.model, row.date, accountBuckets(row));
    if (credits === null && row.total > 0) unrated.add(row.model);
    cell.accountCredits = credits === null || cell.accountCredits === null ? null : cell.accountCredits + credits;
  }
  for (const row of localRows) {
    if (!inRange(row.date, range)) continue;
    const cell = cellOf(row.date, row.model);
    cell.localTokens += row.total;
    // Rated under the name both sides share, so "MiMo-V2.5-Pro[1m]" costs what "mimo-v2.5-pro" does.
    const credits = creditsFor(modelKey(row.model), row.date, row);
    cell.localCredits = credits === null || cell.localCredits === null ? null : cell.localCredits + credits;
  }

  const byModel = new Map<string, AccountModelFigures>();
  const overcounted: AccountFigures["overcounted"] = [];
  for (const cell of [...cells.values()].sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0))) {
    const figures = byModel.get(cell.key) ?? {
      model: cell.model,
      totalTokens: 0,
      credits: 0,
      elsewhereTokens: 0,
      elsewhereCredits: 0,
    };
    if (cell.accountTokens > 0) figures.model = cell.model;
    figures.totalTokens += cell.accountTokens;
    figures.credits = sumOrNull(figures.credits, cell.accountTokens > 0 ? cell.accountCredits : 0);
    figures.elsewhereTokens += Math.max(0, cell.accountTokens - cell.localTokens);
    const elsewhereCredits =
      cell.accountCredits === null || cell.localCredits === null
        ? null
        : Math.max(0, cell.accountCredits - cell.localCredits);
    figures.elsewhereCredits = sumOrNull(figures.elsewhereCredits, cell.accountTokens > 0 ? elsewhereCredits : 0);
    if (cell.localTokens > cell.accountTokens) {
      overcounted.push({ date: cell.date, model: cell.model, tokens: cell.localTokens - cell.accountTokens });
    }
    byModel.set(cell.key, figures);
  }
  const models = [...byModel.values()].filter((m) => m.totalTokens > 0).sort((a, b) => b.totalTokens - a.totalTokens);
  const rated = models.filter((m) => m.credits !== null);
  return {
    totalTokens: sum(models.map((m) => m.totalTokens)),
    credits: rated.length > 0 ? sum(rated.map((m) => m.credits ?? 0)) : null,
    creditsPartial: rated.length > 0 && rated.length < models.length,
    elsewhereTokens: sum(models.map((m) => m.elsewhereTokens)),
    elsewhereCredits: rated.length > 0 ? sum(rated.map((m) => m.elsewhereCredits ?? 0)) : null,
    byModel: models,
    overcounted,
    unrated: [...unrated].sort(),
  };
}

function sumOrNull(total: number | null, add: number | null): number | null {
  return total === null || add === null ? null : total + add;
}

function sum(values: number[]): number {
  return values.reduce((a, b) => a + b, 0);
}

/** The caveats an answer passes on with the account's figures. */
export function accountNotes(figures: AccountFigures): string[] {
  const notes: string[] = [];
  if (figures.overcounted.length > 0) {
    const days = figures.overcounted
      .slice(0, 3)
      .map((o) => `${o.date} ${o.model} +${formatFull(o.tokens)}`)
      .join(", ");
    const more = figures.overcounted.length > 3 ? ` and ${figures.overcounted.length - 3} more` : "";
    notes.push(
      `This Mac counted more than the account on some days (${days}${more} tokens), e.g. use not yet billed; ` +
        "elsewhere counts those days and models as zero.",
    );
  }
  if (figures.unrated.length > 0) {
    notes.push(
      `No Credits rate is known for ${figures.unrated.join(", ")}, so the account's Credits leave those tokens out.`,
    );
  }
  return notes;
}

// ---------------------------------------------------------------------------------------------
// The rate check

/** Credits from the rows may miss the plan's figure by this share (a day not yet billed, rounding). */
export const RATE_TOLERANCE = 0.05;

export type RateCheck =
  | { ok: true }
  | { ok: false; fromRows: { low: number; high: number }; planUsed: number; message: string }
  | { ok: null; reason: "unrated" | "noUse" };

/**
 * The plan's period Credits computed from the rows, against the plan's own `used`. The period starts
 * inside a day the rows hold whole, so the rows give a range: without and with that day. A plan
 * figure outside the range, give or take RATE_TOLERANCE, means the rate table is out of date.
 */
export function rateCheck(
  rows: readonly AccountRow[],
  plan: { used: number; periodStart: number },
  timeZone: string,
  today: string,
): RateCheck {
  const startDate = localDate(plan.periodStart, timeZone);
  const after = accountFigures([], rows, { from: addDays(startDate, 1), to: today });
  const first = accountFigures([], rows, { from: startDate, to: startDate });
  if (after.unrated.length > 0 || first.unrated.length > 0) return { ok: null, reason: "unrated" };
  const low = after.credits ?? 0;
  const high = low + (first.credits ?? 0);
  if (high === 0 && plan.used === 0) return { ok: null, reason: "noUse" };
  if (plan.used >= low * (1 - RATE_TOLERANCE) && plan.used <= high * (1 + RATE_TOLERANCE)) return { ok: true };
  const rows_ = low === high ? formatCredits(low) : `${formatCredits(low)}–${formatCredits(high)}`;
  return {
    ok: false,
    fromRows: { low, high },
    planUsed: plan.used,
    message:
      `The account's daily list gives ${rows_} Credits for this plan period at MiMo's rates, ` +
      `but the plan says ${formatCredits(plan.used)} used.`,
  };
}

// ---------------------------------------------------------------------------------------------
// A period's answer

export interface AccountPeriod {
  totalTokens: number;
  credits: number | null;
  elsewhereTokens: number;
  elsewhereCredits: number | null;
  byModel: AccountModelFigures[];
  /** When the platform answered the rows this relies on (its oldest month). */
  asOf: string;
  source: "platform";
}

export type AccountForRange =
  { covered: true; account: AccountPeriod; notes: string[] } | { covered: false; notes: string[] };

const NOT_COVERED: Record<Exclude<Coverage, { covered: true }>["reason"], string> = {
  notKept: "the platform's daily list is kept for the last 90 days only",
  notAnswered: "the platform's daily list has not been read for every month of this period",
  answeredBefore: "the platform's daily list was last read before the end of this period",
  otherZone: "the platform's daily list was read in another time zone, so its days do not line up with these",
};

/**
 * The account's figures for a range of this Mac's days, when the kept rows cover it; otherwise the
 * reason in words. `timeZone` is the zone of the local days.
 */
export function accountForRange(
  days: AccountDays,
  localRows: readonly DayModelRow[],
  range: DateRange,
  timeZone: string,
): AccountForRange {
  const coverage = accountCoverage(days, range, timeZone);
  if (!coverage.covered) {
    const when = coverage.asOf ? ` (last read ${coverage.asOf})` : "";
    return {
      covered: false,
      notes: [`No all-devices figures for this period: ${NOT_COVERED[coverage.reason]}${when}.`],
    };
  }
  const figures = accountFigures(localRows, days.rows, range);
  return {
    covered: true,
    account: {
      totalTokens: figures.totalTokens,
      credits: figures.credits,
      elsewhereTokens: figures.elsewhereTokens,
      elsewhereCredits: figures.elsewhereCredits,
      byModel: figures.byModel,
      asOf: coverage.asOf,
      source: "platform",
    },
    notes: accountNotes(figures),
  };
}
