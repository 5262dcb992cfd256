import type { Buckets } from "./types";
import type { Cost, Rate } from "./rate-schema";

export type { Cost, Rate } from "./rate-schema";

/**
 * The one dated rate table: how many Credits MiMo charges for a token of each kind. A MiMo token plan
 * spends Credits at the API list price, and 1 CNY of list price is 100,000,000 Credits, so a rate of
 * ¥3 per million tokens is 300 Credits per token. Every Credit and every yuan the extension shows is
 * derived from this table; nothing else converts tokens.
 *
 * Sources:
 * - V2.5 series since 2026-05-27 (Beijing time): Xiaomi MiMo's price announcement of 2026-05-26/27
 *   (developer newsletter; platform.xiaomimimo.com pricing page), reported by 36Kr
 *   (eu.36kr.com/en/p/3828341593641605): V2.5-Pro ¥0.025 / ¥3 / ¥6 and V2.5 ¥0.02 / ¥1 / ¥2 per
 *   million cache-hit input / cache-miss input / output tokens.
 * - The Credits conversion (1 CNY = 100,000,000 Credits) and its cross-check: one account's day of
 *   15.42M hit, 259.8K miss and 59.6K output tokens on V2.5-Pro comes to 152.25M Credits here, and the
 *   console showed 152.28M.
 *
 * Bucket mapping: a cache read is a hit; plain input and cache writes are misses (MiMo bills a cache
 * write as uncached input); output includes reasoning. A model or date the table does not cover is
 * unrated: its tokens are counted and shown as such, never given a guessed rate.
 */

export const CREDITS_PER_CNY = 100_000_000;
export const COST_CURRENCY = "CNY";
export const RATE_SOURCE = "Xiaomi MiMo API list prices, effective 2026-05-27 (1 CNY = 100,000,000 Credits)";

interface RateEntry {
  /** Matched against the lower-cased model name. */
  model: RegExp;
  /** First local date (inclusive) the rate applies to. */
  from: string;
  rate: Rate;
}

/**
 * Not rated, on purpose: anything before 2026-05-27 (Credits were then a different unit, a flat
 * multiplier per token with context-length tiers a transcript does not record), variants with their
 * own price (`-pro-ultraspeed`, `-tts`, `-asr`), the retired V2 ids, and models released after this
 * table (V2.6). A name is matched whole after any provider prefix ("xiaomi/mimo-v2.5").
 */
const RATE_TABLE: readonly RateEntry[] = [
  { model: /(?:^|[/:])mimo-v2\.5-pro$/, from: "2026-05-27", rate: { hit: 2.5, miss: 300, output: 600 } },
  { model: /(?:^|[/:])mimo-v2\.5$/, from: "2026-05-27", rate: { hit: 2, miss: 100, output: 200 } },
];

/**
 * Tallies run in tenths of a Credit, as integers: every rate is a whole number of tenths (the list
 * prices have at most three decimals per million tokens), so sums stay exact far past any plan's size
 * and fractional rates such as 2.5 never drift.
 */
const TENTHS = 10;

interface TenthsRate {
  hit: number;
  miss: number;
  output: number;
}

const TENTHS_TABLE = RATE_TABLE.map((entry) => ({
  ...entry,
  tenths: {
    hit: Math.round(entry.rate.hit * TENTHS),
    miss: Math.round(entry.rate.miss * TENTHS),
    output: Math.round(entry.rate.output * TENTHS),
  },
}));

function entryFor(model: string, date: string): (typeof TENTHS_TABLE)[number] | null {
  const name = model.toLowerCase();
  let best: (typeof TENTHS_TABLE)[number] | null = null;
  for (const entry of TENTHS_TABLE) {
    if (entry.model.test(name) && entry.from <= date && (!best || entry.from > best.from)) best = entry;
  }
  return best;
}

/** The rate in force for `model` on local date `date`, or null when the model or date is unrated. */
export function rateFor(model: string, date: string): Rate | null {
  return entryFor(model, date)?.rate ?? null;
}

/** As `rateFor`, in the tenths the tallies add; null when unrated. */
export function tenthsRateFor(model: string, date: string): TenthsRate | null {
  return entryFor(model, date)?.tenths ?? null;
}

/** Tenths of a Credit for `tokens` at `rate`. */
export function tenthsOf(rate: TenthsRate, tokens: Buckets): number {
  return tenthsOfCounts(rate, tokens.input, tokens.output, tokens.cacheRead, tokens.cacheWrite);
}

/** As `tenthsOf`, from the four counts: a loop over columns of counts makes no object per row. */
export function tenthsOfCounts(
  rate: TenthsRate,
  input: number,
  output: number,
  cacheRead: number,
  cacheWrite: number,
): number {
  return cacheRead * rate.hit + (input + cacheWrite) * rate.miss + output * rate.output;
}

export function creditsOfTenths(tenths: number): number {
  return tenths / TENTHS;
}

/** Credits for `tokens` of `model` on local date `date`; null when unrated. */
export function creditsFor(model: string, date: string, tokens: Buckets): number | null {
  const rate = tenthsRateFor(model, date);
  return rate ? creditsOfTenths(tenthsOf(rate, tokens)) : null;
}

/**
 * Credits for each kind of token of `model` on local date `date`, the same mapping as `tenthsOf` (a
 * cache write bills as a miss): what a chart stacks by token type. Null when unrated.
 */
export function creditsByBucket(model: string, date: string, tokens: Buckets): Buckets | null {
  const rate = tenthsRateFor(model, date);
  if (!rate) return null;
  return {
    input: creditsOfTenths(tokens.input * rate.miss),
    output: creditsOfTenths(tokens.output * rate.output),
    cacheRead: creditsOfTenths(tokens.cacheRead * rate.hit),
    cacheWrite: creditsOfTenths(tokens.cacheWrite * rate.miss),
  };
}

/** Credits and the tokens that had no rate: what every figure carries beside its tokens. */
export interface CreditFigures {
  credits: number;
  /** Tokens of a model or date with no known rate: counted, never converted. */
  uncreditedTokens: number;
}

/** Adds rated and unrated tokens as they come, exactly. */
export class CreditTally implements CreditFigures {
  private tenths = 0;
  uncreditedTokens = 0;

  add(rate: TenthsRate | null, tokens: Buckets): void {
    if (rate) this.tenths += tenthsOf(rate, tokens);
    else this.uncreditedTokens += tokens.input + tokens.output + tokens.cacheRead + tokens.cacheWrite;
  }

  /** Adds figures already tallied (days into a range, devices into a total). */
  addFigures(figures: CreditFigures): void {
    this.tenths += Math.round(figures.credits * TENTHS);
    this.uncreditedTokens += figures.uncreditedTokens;
  }

  get credits(): number {
    return creditsOfTenths(this.tenths);
  }

  figures(): CreditFigures {
    return { credits: this.credits, uncreditedTokens: this.uncreditedTokens };
  }
}

/** Sums credit figures exactly. */
export function sumCredits(rows: readonly CreditFigures[]): CreditFigures {
  const tally = new CreditTally();
  for (const row of rows) tally.addFigures(row);
  return tally.figures();
}

/**
 * What the tokens would cost at API list price, derived from their Credits. Null when none of them
 * had a rate (no cost is better than a wrong one).
 */
export function costOf(figures: CreditFigures & { total: number }): Cost | null {
  if (figures.total <= 0 || figures.uncreditedTokens >= figures.total) return null;
  return {
    amount: figures.credits / CREDITS_PER_CNY,
    currency: COST_CURRENCY,
    partial: figures.uncreditedTokens > 0,
  };
}
