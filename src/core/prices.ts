import type { Buckets, Cost } from "./views/schema";

/**
 * Estimated cost, per million tokens, from Xiaomi's published MiMo API price list (the V2.5 series
 * prices effective 2026-05-27, Beijing time, in CNY, as announced by Xiaomi MiMo in its developer
 * newsletter and on platform.xiaomimimo.com). Token-plan users pay a flat fee; this is what the same
 * usage would cost at API rates. Cache writes are billed as uncached input. Models or dates the
 * table does not cover get no price: no cost is better than a wrong one.
 */
export const PRICE_CURRENCY = "CNY";
export const PRICE_SOURCE = "Xiaomi MiMo API price list, effective 2026-05-27";

interface PriceEntry {
  /** Matched against the lower-cased model name. */
  model: RegExp;
  /** First local date (inclusive) the prices apply to. */
  from: string;
  perMillion: Buckets;
}

const TABLE: PriceEntry[] = [
  {
    model: /mimo-v2\.5-pro/,
    from: "2026-05-27",
    perMillion: { input: 3, output: 6, cacheRead: 0.025, cacheWrite: 3 },
  },
  {
    model: /mimo-v2\.5(?!-pro)/,
    from: "2026-05-27",
    perMillion: { input: 1, output: 2, cacheRead: 0.02, cacheWrite: 1 },
  },
];

/** The prices in force for `model` on local date `date`, or null when unknown. */
export function priceFor(model: string, date: string): Buckets | null {
  const name = model.toLowerCase();
  let best: PriceEntry | null = null;
  for (const entry of TABLE) {
    if (entry.model.test(name) && entry.from <= date && (!best || entry.from > best.from)) best = entry;
  }
  return best?.perMillion ?? null;
}

/** Adds up cost as it goes, remembering whether any tokens had no price. */
export class CostTally {
  private amount = 0;
  private priced = false;
  private unpriced = false;

  add(model: string, date: string, tokens: Buckets): void {
    this.addPriced(priceFor(model, date), tokens);
  }

  /** As `add`, with the price already looked up (a snapshot adds each cell to several tallies). */
  addPriced(price: Buckets | null, tokens: Buckets): void {
    const total = tokens.input + tokens.output + tokens.cacheRead + tokens.cacheWrite;
    if (!price) {
      if (total > 0) this.unpriced = true;
      return;
    }
    this.priced = true;
    this.amount +=
      (tokens.input * price.input +
        tokens.output * price.output +
        tokens.cacheRead * price.cacheRead +
        tokens.cacheWrite * price.cacheWrite) /
      1e6;
  }

  result(): Cost | null {
    if (!this.priced) return null;
    return { amount: this.amount, currency: PRICE_CURRENCY, partial: this.unpriced };
  }
}
