import * as z from "zod";
import { CreditSampleSchema } from "./credit-history";

/** What the MiMo platform answers, parsed: the shapes every part of the plan chain passes on. */

export const PlatformErrorKindSchema = z.enum([
  "noCookie",
  "invalidCookie",
  "loginRequired",
  "expired",
  "network",
  "timeout",
  "unexpectedPayload",
  "refusedBaseUrl",
  /** The cookie lacks api-platform_ph, so the account's daily list cannot be asked (the rest works). */
  "accountNoPh",
]);
export type PlatformErrorKind = z.infer<typeof PlatformErrorKindSchema>;

/** A failure a person can read: `message` says what happened; what to do is the kind's (see failures.ts). */
export const PlatformErrorSchema = z.object({ kind: PlatformErrorKindSchema, message: z.string() });
export type PlatformError = z.infer<typeof PlatformErrorSchema>;

export const BalanceSchema = z.object({
  amount: z.number(),
  currency: z.string(),
  /** Null when the platform left the part out or sent something that is no number ("", "unknown"). */
  cash: z.number().nullable(),
  gift: z.number().nullable(),
});
export type Balance = z.infer<typeof BalanceSchema>;

export const PlanSchema = z.object({
  code: z.string(),
  /** The plan's display name ("Max"), when the platform sends one (answers saved before had none). */
  name: z.string().nullish(),
  /** End of the current period as an ISO instant (the platform sends UTC wall time). */
  periodEnd: z.iso.datetime({ offset: true }).nullable(),
  expired: z.boolean(),
});
export type Plan = z.infer<typeof PlanSchema>;

/**
 * One plan quota. MiMo names the items `*_total_token`, but their numbers are Credits: models spend
 * credits at different rates per token, so these never mix with local token counts.
 */
export const QuotaItemSchema = z.object({
  name: z.string(),
  /** Credits used in the period. */
  used: z.number().nonnegative(),
  /** Credits the period allows. */
  limit: z.number().nonnegative(),
  /** Share used, as a ratio: 1.05 is 105%. */
  fraction: z.number(),
});
export type QuotaItem = z.infer<typeof QuotaItemSchema>;

export const QuotaSchema = z.object({
  /** month_total_token from monthUsage, or plan_total_token from usage; the figure the plan bar shows. */
  primary: QuotaItemSchema.nullable(),
  items: z.array(QuotaItemSchema),
});
export type Quota = z.infer<typeof QuotaSchema>;

export const PlatformSnapshotSchema = z.object({
  fetchedAt: z.iso.datetime({ offset: true }),
  balance: BalanceSchema,
  plan: PlanSchema.nullable(),
  planError: PlatformErrorSchema.nullable(),
  quota: QuotaSchema.nullable(),
  quotaError: PlatformErrorSchema.nullable(),
});
export type PlatformSnapshot = z.infer<typeof PlatformSnapshotSchema>;

/** A platform step's answer: its value, or a failure a person can read. */
export type Outcome<T> = { ok: true; value: T } | { ok: false; error: PlatformError };

export type PlatformResult = Outcome<PlatformSnapshot>;

/** What the credit history says about the plan, for the pace and the estimate when the platform fails. */
export const PlanCreditsSchema = z.object({
  /** The last real answer with a quota: what an estimate starts from. */
  lastAnswer: CreditSampleSchema,
  /** Credits spent per day over the last 7 days of samples, when they span at least a day. */
  creditsPerDay: z.number().nonnegative().nullable(),
});
export type PlanCredits = z.infer<typeof PlanCreditsSchema>;
