import { z } from "zod";
import { SnapshotSchema } from "../views/schema";
import { CreditSampleSchema } from "../platform/credit-history";

/**
 * What the source chain hands to the UI, the CLI and the AI tools: every section says where its
 * data came from, when that data was produced and from when on it counts as stale.
 */

export const PlatformErrorKindSchema = z.enum([
  "noCookie",
  "invalidCookie",
  "loginRequired",
  "expired",
  "network",
  "timeout",
  "unexpectedPayload",
  "refusedBaseUrl",
]);
export type PlatformErrorKind = z.infer<typeof PlatformErrorKindSchema>;

/** A failure a person can read: `message` says what happened; what to do is the kind's (see failures.ts). */
export const PlatformErrorSchema = z.object({ kind: PlatformErrorKindSchema, message: z.string() });
export type PlatformError = z.infer<typeof PlatformErrorSchema>;

/** Ways the local half can fail or fall short, typed like the platform's. */
export const LocalFailureKindSchema = z.enum([
  "invalidModelFilter",
  "scanFailed",
  "noConfigFolder",
  "scanWarning",
  "cacheNotSaved",
  "exportFailed",
  "unexpected",
]);
export type LocalFailureKind = z.infer<typeof LocalFailureKindSchema>;

export const LocalFailureSchema = z.object({ kind: LocalFailureKindSchema, message: z.string() });
export type LocalFailure = z.infer<typeof LocalFailureSchema>;

export const FailureKindSchema = z.enum([...PlatformErrorKindSchema.options, ...LocalFailureKindSchema.options]);
export type FailureKind = z.infer<typeof FailureKindSchema>;

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

export type PlatformResult = { ok: true; value: PlatformSnapshot } | { ok: false; error: PlatformError };

export const SourceSchema = z.enum(["platform", "local", "cache", "estimate"]);
export type Source = z.infer<typeof SourceSchema>;

export const ProblemActionSchema = z.enum(["openPreferences", "openPlatform", "retry", "none"]);
export type ProblemAction = z.infer<typeof ProblemActionSchema>;

/** A failure as the menu shows it; title and action come from the kind's row in failures.ts. */
export const ProblemSchema = z.object({
  kind: FailureKindSchema,
  title: z.string(),
  detail: z.string().optional(),
  /** What the UI offers to fix it. */
  action: ProblemActionSchema,
});
export type Problem = z.infer<typeof ProblemSchema>;

const instant = z.iso.datetime({ offset: true });

export const LocalSectionSchema = z.object({
  source: z.enum(["local", "cache"]),
  updatedAt: instant,
  /** From this instant on the data is stale (decided once, by the chain; see report.ts). */
  staleAt: instant,
  snapshot: SnapshotSchema,
});
export type LocalSection = z.infer<typeof LocalSectionSchema>;

/** What the credit history says about the plan, for the pace and the estimate when the platform fails. */
export const PlanCreditsSchema = z.object({
  /** The last real answer with a quota: what an estimate starts from. */
  lastAnswer: CreditSampleSchema,
  /** Credits per local token, from the latest answer that could be calibrated; null before any. */
  creditsPerToken: z.number().positive().nullable(),
  /** Credits spent per day over the last 7 days of samples, when they span at least a day. */
  creditsPerDay: z.number().nonnegative().nullable(),
});
export type PlanCredits = z.infer<typeof PlanCreditsSchema>;

export const PlanSectionSchema = z.object({
  /**
   * "platform": answered now. "estimate": it failed now, and the quota is estimated from its last
   * answer and local use since. "cache": it failed now and its last answer stands in as it was.
   */
  source: z.enum(["platform", "estimate", "cache"]),
  /** When the platform last answered: the time of `data`. */
  updatedAt: instant,
  staleAt: instant,
  data: PlatformSnapshotSchema,
  credits: PlanCreditsSchema.nullable(),
});
export type PlanSection = z.infer<typeof PlanSectionSchema>;

export const UsageReportSchema = z.object({
  generatedAt: instant,
  local: LocalSectionSchema.nullable(),
  /** Why the local scan failed this time (the section may still hold a cached snapshot). */
  localError: LocalFailureSchema.nullable(),
  plan: PlanSectionSchema.nullable(),
  planError: PlatformErrorSchema.nullable(),
  problems: z.array(ProblemSchema),
});
export type UsageReport = z.infer<typeof UsageReportSchema>;
