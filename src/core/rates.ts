import type { Buckets } from "./views/schema";

/**
 * PLACEHOLDER until the lead's dated rate table lands on main as this same file (same export and
 * signature); at that merge main's version replaces this one. Credits per token from 2026-05-27:
 * mimo-v2.5-pro 2.5 (cache hit) / 300 (miss) / 600 (output), mimo-v2.5 2 / 100 / 200. A cache
 * write is billed as a miss.
 */
const RATES: { model: RegExp; from: string; hit: number; miss: number; output: number }[] = [
  { model: /mimo-v2\.5-pro/, from: "2026-05-27", hit: 2.5, miss: 300, output: 600 },
  { model: /mimo-v2\.5(?!-pro)/, from: "2026-05-27", hit: 2, miss: 100, output: 200 },
];

/** Credits for `tokens` of `model` on local date `date`; null when the model has no rate then. */
export function creditsFor(model: string, date: string, tokens: Buckets): number | null {
  const name = model.toLowerCase();
  const rate = RATES.filter((entry) => entry.model.test(name) && entry.from <= date).at(-1);
  if (!rate) return null;
  return tokens.cacheRead * rate.hit + (tokens.input + tokens.cacheWrite) * rate.miss + tokens.output * rate.output;
}
