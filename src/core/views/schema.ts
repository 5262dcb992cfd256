import * as z from "zod";
import { ClientNameSchema } from "../scan/clients/types";
import { BucketsSchema, RootReportSchema, WeekStartSchema, tokenCount } from "../types";

export {
  BucketsSchema,
  RootKindSchema,
  RootReportSchema,
  WeekStartSchema,
  type Buckets,
  type RootKind,
  type RootReport,
  type WeekStart,
} from "../types";

/**
 * Schemas for every value that crosses a boundary (transcript lines, the snapshot the UI and CLI
 * read, the persisted last-good snapshot). Types are inferred from them so the two never drift.
 */

/**
 * Credits at MiMo's rates (see rates.ts) beside the tokens: `credits` sums the rated tokens exactly
 * (fractional, rounded only for display); `uncreditedTokens` are counted but had no known rate. A
 * cost in yuan is derived from these (rates.ts costOf), never stored.
 */
const CreditFieldsSchema = z.object({
  credits: z.number().nonnegative(),
  uncreditedTokens: tokenCount,
});

const FiguresSchema = BucketsSchema.extend(CreditFieldsSchema.shape);

export const WindowTotalsSchema = FiguresSchema.extend({
  total: tokenCount,
  messages: tokenCount,
  sessions: tokenCount,
});
export type WindowTotals = z.infer<typeof WindowTotalsSchema>;

export const DayRowSchema = FiguresSchema.extend({
  /** Local calendar date, YYYY-MM-DD, in the snapshot's time zone. */
  date: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
  total: tokenCount,
  messages: tokenCount,
  /** Tokens per client, present on days another client than Claude Code counted something. */
  clients: z.partialRecord(ClientNameSchema, tokenCount).optional(),
});
export type DayRow = z.infer<typeof DayRowSchema>;

export const ModelRowSchema = FiguresSchema.extend({
  model: z.string(),
  total: tokenCount,
  messages: tokenCount,
});
export type ModelRow = z.infer<typeof ModelRowSchema>;

/** One model's figures on one local date: what the history chart stacks by model. */
export const DayModelRowSchema = FiguresSchema.extend({
  date: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
  model: z.string(),
  total: tokenCount,
  messages: tokenCount,
});
export type DayModelRow = z.infer<typeof DayModelRowSchema>;

/** One client's figures on one local date: what the history shows when filtered to that client. */
export const DayClientRowSchema = DayRowSchema.omit({ clients: true }).extend({ client: ClientNameSchema });
export type DayClientRow = z.infer<typeof DayClientRowSchema>;

/** One client's use of one model on one local date: what a device digest publishes (devices/digest.ts). */
export const DayClientModelRowSchema = DayModelRowSchema.extend({ client: ClientNameSchema });
export type DayClientModelRow = z.infer<typeof DayClientModelRowSchema>;

/**
 * One point of a session's activity: tokens counted from `at` for the session's `seriesStepMs`, and
 * their Credits at MiMo's rates (tokens of a model or date with no rate add none; the session's
 * `uncreditedTokens` says how many there were).
 */
export const SeriesPointSchema = z.object({
  at: z.iso.datetime({ offset: true }),
  total: tokenCount,
  credits: z.number().nonnegative(),
});
export type SeriesPoint = z.infer<typeof SeriesPointSchema>;

export const SessionRecordSchema = FiguresSchema.extend({
  sessionId: z.string(),
  /** The client that wrote the session; absent means Claude Code (and in snapshots from before other clients). */
  client: ClientNameSchema.optional(),
  /** Working directory of the session (`cwd`), or null when no line carried one. */
  project: z.string().nullable(),
  /** The session's main transcript file (sub-agent files belong to it too). */
  file: z.string().nullable(),
  /** Claude Code's summary line for the session, when it wrote one. */
  summary: z.string().nullable(),
  firstAt: z.iso.datetime({ offset: true }),
  lastAt: z.iso.datetime({ offset: true }),
  models: z.array(z.string()),
  messages: tokenCount,
  total: tokenCount,
  series: z.array(SeriesPointSchema),
  /** What each series point covers: one slot, or several merged so a long session keeps few points. */
  seriesStepMs: z.number().int().positive(),
});
export type SessionRecord = z.infer<typeof SessionRecordSchema>;

/** A client as the scan found it: where it keeps its data, whether it is there, whether it was read. */
export const ClientReportSchema = z.object({
  name: ClientNameSchema,
  path: z.string(),
  found: z.boolean(),
  read: z.boolean(),
});
export type ClientReport = z.infer<typeof ClientReportSchema>;

/** A client's share of each window. */
export const ClientTotalsSchema = ClientReportSchema.extend({
  today: WindowTotalsSchema,
  week: WindowTotalsSchema,
  lifetime: WindowTotalsSchema,
});
export type ClientTotals = z.infer<typeof ClientTotalsSchema>;

export const ScanStatsSchema = z.object({
  filesSeen: tokenCount,
  filesRead: tokenCount,
  bytesRead: tokenCount,
  durationMs: z.number().nonnegative(),
  /** Lines or files passed over, by reason (malformed, invalidUtf8, apiError, synthetic, …). */
  skipped: z.record(z.string(), tokenCount),
});
export type ScanStats = z.infer<typeof ScanStatsSchema>;

/** One UTC hour's figures, for "since an instant" (a plan's reset, its last answer). */
export const HourRowSchema = z.object({
  /** Start of the hour, milliseconds since the epoch. */
  at: z.number().int(),
  total: tokenCount,
  credits: z.number().nonnegative(),
  uncreditedTokens: tokenCount,
});
export type HourRow = z.infer<typeof HourRowSchema>;

export const SnapshotSchema = z.object({
  /** 2 added Credits to every figure; a saved snapshot of 1 is not shown (the next scan rewrites it). */
  version: z.literal(2),
  /** When the transcripts were actually scanned: the data's own time, not when it was read. */
  updatedAt: z.iso.datetime({ offset: true }),
  timeZone: z.string(),
  weekStart: WeekStartSchema,
  /** The finest time step the figures are kept in; activity times are known to this step. */
  slotMs: z.number().int().positive(),
  roots: z.array(RootReportSchema),
  today: WindowTotalsSchema,
  week: WindowTotalsSchema,
  lifetime: WindowTotalsSchema,
  /** Windows as local dates, inclusive: [from, to]. */
  windows: z.object({
    today: z.string(),
    weekFrom: z.string(),
    lifetimeFrom: z.string().nullable(),
  }),
  /** The part of lifetime kept from transcripts that have since been deleted. */
  vanished: z.object({ files: tokenCount, messages: tokenCount, total: tokenCount }),
  lastActivity: z.iso.datetime({ offset: true }).nullable(),
  days: z.array(DayRowSchema),
  models: z.array(ModelRowSchema),
  /** Per date and model, oldest date first; snapshots saved before it existed read as empty. */
  dayModels: z.array(DayModelRowSchema).default([]),
  /**
   * Per date and client, oldest date first; empty while only Claude Code counted anything (and in
   * snapshots saved before it existed).
   */
  dayClients: z.array(DayClientRowSchema).default([]),
  /**
   * Per date, client and model, oldest date first; empty while only Claude Code counted anything (its
   * rows are then `dayModels`), so one-client snapshots do not grow.
   */
  dayClientModels: z.array(DayClientModelRowSchema).default([]),
  /** Per UTC hour with use, oldest first, over the last HOURS_KEPT_DAYS days (a plan period and more). */
  hours: z.array(HourRowSchema),
  sessions: z.array(SessionRecordSchema),
  /** Every client, Claude Code first, with its share of today, the week and lifetime. */
  clients: z.array(ClientTotalsSchema).default([]),
  stats: ScanStatsSchema,
  /** Things that went wrong but did not stop the scan (e.g. the state could not be saved). */
  warnings: z.array(z.string()),
});
export type Snapshot = z.infer<typeof SnapshotSchema>;
