import * as z from "zod";

/**
 * The shapes of a rate and of a cost, apart from rates.ts so that the table and its arithmetic load
 * without zod: the command line's scan reaches rates.ts on every run and validates nothing with
 * these, and evaluating zod with its first schemas costs a fresh process tens of milliseconds.
 */

/** Credits per token of each kind MiMo bills. */
export const RateSchema = z.object({
  hit: z.number().nonnegative(),
  miss: z.number().nonnegative(),
  output: z.number().nonnegative(),
});
export type Rate = z.infer<typeof RateSchema>;

export const CostSchema = z.object({
  amount: z.number().nonnegative(),
  currency: z.string(),
  /** True when some tokens had no rate: the amount is then a lower bound. */
  partial: z.boolean(),
});
export type Cost = z.infer<typeof CostSchema>;
