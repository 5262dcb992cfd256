import * as z from "zod";
import { PlanSettingSchema } from "../platform/plan-setting";
import { SnapshotSchema } from "../views/schema";
import { AccountDaysSchema } from "../platform/account-days";
import { DevicesSectionSchema } from "../devices/schema";
import {
  PlanCreditsSchema,
  PlatformErrorKindSchema,
  PlatformErrorSchema,
  PlatformSnapshotSchema,
} from "../platform/schema";

/**
 * What the source chain hands to the UI, the CLI and the AI tools: every section says where its
 * data came from, when that data was produced and from when on it counts as stale.
 */

/** Ways the local half can fail or fall short, typed like the platform's. */
export const LocalFailureKindSchema = z.enum([
  "invalidModelFilter",
  "invalidPlanSetting",
  "scanFailed",
  "noConfigFolder",
  "scanWarning",
  "cacheNotSaved",
  "exportFailed",
  "syncFolderMissing",
  "digestSkipped",
  "digestNotWritten",
  "deviceIdRenewed",
  "fileRefused",
  "unknownClient",
  "unexpected",
]);
export type LocalFailureKind = z.infer<typeof LocalFailureKindSchema>;

export const LocalFailureSchema = z.object({ kind: LocalFailureKindSchema, message: z.string() });
export type LocalFailure = z.infer<typeof LocalFailureSchema>;

/**
 * What goes wrong with the account's daily list (all devices) while the plan itself may be fine: each
 * is one line of its own in Status, and none removes the plan or the local figures.
 */
export const AccountProblemKindSchema = z.enum([
  "accountLogin",
  "accountUnavailable",
  "accountPayload",
  "rateMismatch",
]);
export type AccountProblemKind = z.infer<typeof AccountProblemKindSchema>;

export const FailureKindSchema = z.enum([
  ...PlatformErrorKindSchema.options,
  ...LocalFailureKindSchema.options,
  ...AccountProblemKindSchema.options,
]);
export type FailureKind = z.infer<typeof FailureKindSchema>;

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

export const AccountSectionSchema = z.object({
  /** The figures are the platform's own list, for every device and client of the account. */
  source: z.literal("platform"),
  /** True when the list answered during this refresh; false when these are the rows kept before. */
  fresh: z.boolean(),
  /** When the newest month of the rows was answered. */
  asOf: instant,
  days: AccountDaysSchema,
  /**
   * Set when, at this answer, the plan period's Credits from the rows and the plan's own figure
   * disagree by more than a few percent: the rate table is then out of date. Both figures, in words.
   */
  rateWarning: z.string().nullable(),
});
export type AccountSection = z.infer<typeof AccountSectionSchema>;

export const UsageReportSchema = z.object({
  generatedAt: instant,
  local: LocalSectionSchema.nullable(),
  /** Why the local scan failed this time (the section may still hold a cached snapshot). */
  localError: LocalFailureSchema.nullable(),
  plan: PlanSectionSchema.nullable(),
  planError: PlatformErrorSchema.nullable(),
  /** The plan named in preferences: shown, against this Mac's Credits, only while `plan` is null. */
  planSetting: PlanSettingSchema.nullable().default(null),
  /** The account's daily list (all devices); absent in reports made before it existed. */
  account: AccountSectionSchema.nullish(),
  /** Why the list was not read this time (the section may still hold kept rows). */
  accountError: PlatformErrorSchema.nullish(),
  /** Other devices through the sync folder; absent or null while no sync folder is set. */
  devices: DevicesSectionSchema.nullable().optional(),
  /**
   * Set only on the report handed out while the platform is still being asked (see report.ts): the
   * local figures are this refresh's, and `plan` is the platform's last answer (or the estimate from
   * it) until the answer of this refresh comes in.
   */
  planPending: z.literal(true).optional(),
  problems: z.array(ProblemSchema),
});
export type UsageReport = z.infer<typeof UsageReportSchema>;

/** A report with local figures, fresh or cached. */
export type LocalReport = UsageReport & { local: LocalSection };

// The platform's own shapes are defined in platform/schema.ts; the report carries them.
export {
  PlatformErrorKindSchema,
  PlatformErrorSchema,
  BalanceSchema,
  PlanSchema,
  QuotaItemSchema,
  QuotaSchema,
  PlatformSnapshotSchema,
  PlanCreditsSchema,
} from "../platform/schema";
export type {
  PlatformErrorKind,
  PlatformError,
  Balance,
  Plan,
  QuotaItem,
  Quota,
  PlatformSnapshot,
  PlatformResult,
  PlanCredits,
} from "../platform/schema";
