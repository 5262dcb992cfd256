import * as z from "zod";
import { JsonlPositionSchema } from "../jsonl";

/**
 * OpenClaw's session events as the reader takes them, and the reader's cursor.
 * A field the reader uses must have its type; anything else may be missing, added or of any type.
 */

const SessionStateSchema = z.object({
  model: z.string().nullable(),
  provider: z.string().nullable(),
  project: z.string().nullable(),
});
export type SessionState = z.infer<typeof SessionStateSchema>;

export const FileCursorSchema = JsonlPositionSchema.extend({ state: SessionStateSchema });
export const DatabaseCursorSchema = z.object({
  rowid: z.number().int(),
  sessions: z.record(z.string(), SessionStateSchema),
  /** The database's stamp at the last read: while it matches, nothing new was committed. */
  stamp: z.string().default(""),
  /** Archives read, as `<session>\u0000<generation>`: each is written once and never changes. */
  archives: z.array(z.string()).default([]),
  /** Bytes of the database when its tables held no row; -1 when they did. */
  emptySize: z.number().default(-1),
});

export const OpenClawCursorSchema = z.object({
  files: z.record(z.string(), FileCursorSchema),
  databases: z.record(z.string(), DatabaseCursorSchema),
});
export type OpenClawCursor = z.infer<typeof OpenClawCursorSchema>;

const ModelSourceSchema = z
  .object({ provider: z.string(), modelId: z.string(), model: z.string() })
  .partial()
  .catch({});

const UsageSchema = z
  .object({
    input: z.unknown(),
    output: z.unknown(),
    cacheRead: z.unknown(),
    cacheWrite: z.unknown(),
    totalTokens: z.unknown(),
  })
  .partial();

export const EventSchema = z.object({
  type: z.string(),
  id: z.string().optional().catch(undefined),
  customType: z.string().optional().catch(undefined),
  timestamp: z.unknown().optional(),
  cwd: z.string().optional().catch(undefined),
  provider: z.string().optional().catch(undefined),
  modelId: z.string().optional().catch(undefined),
  model: z.string().optional().catch(undefined),
  data: ModelSourceSchema.optional(),
  message: z
    .object({
      role: z.string().optional(),
      provider: z.string().optional(),
      model: z.string().optional(),
      modelId: z.string().optional(),
      timestamp: z.unknown().optional(),
      usage: UsageSchema.optional(),
    })
    .optional()
    .catch(undefined),
});
export type Event = z.infer<typeof EventSchema>;
