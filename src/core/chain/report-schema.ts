import { z } from "zod";
import { SnapshotSchema } from "../views/schema";

/**
 * What the source chain hands to the UI, the CLI and the AI tools: every section says where its
 * data came from and when that data was produced.
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

/** A failure a person can read. Never contains the cookie. */
export const PlatformErrorSchema = z.object({ kind: PlatformErrorKindSchema, message: z.string() });
export type PlatformError = z.infer<typeof PlatformErrorSchema>;

export const BalanceSchema = z.object({
  amount: z.number(),
  currency: z.string(),
  cash: z.number().nullable(),
  gift: z.number().nullable(),
});
export type Balance = z.infer<typeof BalanceSchema>;

export const PlanSchema = z.object({
  code: z.string(),
  /** End of the current period as an ISO instant (the platform sends UTC wall time). */
  periodEnd: z.iso.datetime({ offset: true }).nullable(),
  expired: z.boolean(),
});
export type Plan = z.infer<typeof PlanSchema>;

export const QuotaItemSchema = z.object({
  name: z.string(),
  used: z.number().nonnegative(),
  limit: z.number().nonnegative(),
  /** 0..1 */
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

export const SourceSchema = z.enum(["platform", "local", "cache"]);
export type Source = z.infer<typeof SourceSchema>;

export const ProblemSchema = z.object({
  title: z.string(),
  detail: z.string().optional(),
  /** What the UI offers to fix it. */
  action: z.enum(["openPreferences", "openPlatform", "none"]),
});
export type Problem = z.infer<typeof ProblemSchema>;

export const LocalSectionSchema = z.object({
  source: z.enum(["local", "cache"]),
  updatedAt: z.iso.datetime({ offset: true }),
  stale: z.boolean(),
  snapshot: SnapshotSchema,
});
export type LocalSection = z.infer<typeof LocalSectionSchema>;

export const PlanSectionSchema = z.object({
  /** "cache" when the platform failed this time and the last answer it gave is shown instead. */
  source: z.enum(["platform", "cache"]),
  updatedAt: z.iso.datetime({ offset: true }),
  stale: z.boolean(),
  data: PlatformSnapshotSchema,
});
export type PlanSection = z.infer<typeof PlanSectionSchema>;

export const UsageReportSchema = z.object({
  generatedAt: z.iso.datetime({ offset: true }),
  local: LocalSectionSchema.nullable(),
  /** Why the local scan failed this time (the section may still hold a cached snapshot). */
  localError: z.string().nullable(),
  plan: PlanSectionSchema.nullable(),
  planError: PlatformErrorSchema.nullable(),
  problems: z.array(ProblemSchema),
});
export type UsageReport = z.infer<typeof UsageReportSchema>;
