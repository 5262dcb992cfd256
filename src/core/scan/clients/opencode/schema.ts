import * as z from "zod";

/**
 * OpenCode's and Kilo's rows and legacy JSON as the reader takes them, and the reader's cursor.
 * A field the reader uses must have its type; anything else may be missing, added or of any type.
 */

export const DatabaseCursorSchema = z.object({
  /** The last step part read, by (time_created, id). */
  stepAt: z.number(),
  stepId: z.string(),
  /**
   * The last message, by (time_created, id), up to which every message is settled: counted, skipped,
   * or known to have steps. Messages after it are read again next time.
   */
  settledAt: z.number(),
  settledId: z.string(),
  /** The database's stamp after a read that left no message waiting; "" forces the next read. */
  stamp: z.string().default(""),
  /** OpenCode 2's `session_message`: settled up to this (time_created, id), as messages above. */
  v2At: z.number().default(-1),
  v2Id: z.string().default(""),
  /** Bytes of the database when none of the tables read held a row; -1 when they did. */
  emptySize: z.number().default(-1),
});

export const OpenCodeCursorSchema = z.object({
  databases: z.record(z.string(), DatabaseCursorSchema),
  /** Legacy JSON files modified after this time (ms) are read. */
  legacyMtime: z.number(),
});
export type OpenCodeCursor = z.infer<typeof OpenCodeCursorSchema>;

const Count = z.number().nullable().optional();
const Text = z.string().nullable().optional();

export const StepRowSchema = z.object({
  id: z.string(),
  sessionId: z.string(),
  at: z.number(),
  total: Count,
  input: Count,
  output: Count,
  reasoning: Count,
  cacheRead: Count,
  cacheWrite: Count,
  model: Text,
  provider: Text,
  project: Text,
});

const Time = z.union([z.number(), z.string()]).nullable().optional();

/** A message row carries the same figures as a step, with its own times instead of the step's. */
export const MessageRowSchema = StepRowSchema.omit({ at: true }).extend({
  rowCreated: z.number(),
  created: Time,
  completed: Time,
  failed: Time,
});

export type TokenFields = Pick<
  z.infer<typeof StepRowSchema>,
  "total" | "input" | "output" | "reasoning" | "cacheRead" | "cacheWrite"
>;

export type DatabaseCursor = z.infer<typeof DatabaseCursorSchema>;

export const LegacyTokensSchema = z
  .object({
    total: z.unknown(),
    input: z.unknown(),
    output: z.unknown(),
    reasoning: z.unknown(),
    cache: z.object({ read: z.unknown(), write: z.unknown() }).partial().optional(),
  })
  .partial();

export const LegacyMessageSchema = z.object({
  id: z.string(),
  sessionID: z.string(),
  role: z.string(),
  modelID: z.string().optional(),
  providerID: z.string().optional(),
  time: z.object({ created: z.unknown(), completed: z.unknown() }).partial().optional(),
  error: z.unknown().optional(),
  tokens: LegacyTokensSchema.optional(),
});

export const LegacyPartSchema = z.object({ id: z.string(), type: z.string(), tokens: LegacyTokensSchema.optional() });

export const LegacySessionSchema = z.object({ id: z.string(), directory: z.string().optional() });
