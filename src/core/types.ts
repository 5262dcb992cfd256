import * as z from "zod";

/**
 * The shared vocabulary every room speaks: token buckets, the week's first day and what a scan
 * reports of a folder. Kept on the ground floor so scan, ledger, views and platform can all use
 * them without importing one another.
 */

export const tokenCount = z.number().int().nonnegative();

/** The four token buckets MiMo bills. A total that leaves one out is a bug. */
export const BucketsSchema = z.object({
  input: tokenCount,
  output: tokenCount,
  cacheRead: tokenCount,
  cacheWrite: tokenCount,
});
export type Buckets = z.infer<typeof BucketsSchema>;

export const WeekStartSchema = z.enum(["monday", "sunday"]);
export type WeekStart = z.infer<typeof WeekStartSchema>;

export const RootKindSchema = z.enum(["dedicated", "shared"]);
export type RootKind = z.infer<typeof RootKindSchema>;

export const RootReportSchema = z.object({
  path: z.string(),
  kind: RootKindSchema,
  /** False when the folder (or its `projects/` folder) does not exist. */
  exists: z.boolean(),
  files: tokenCount,
});
export type RootReport = z.infer<typeof RootReportSchema>;
