import * as z from "zod";
import { JsonlPositionSchema } from "../jsonl";

/**
 * Codex rollout lines as the reader takes them, and the reader's cursor.
 * A field the reader uses must have its type; anything else may be missing, added or of any type.
 */

/** The running total as [input, cachedInput, output, reasoningOutput, total, cacheWriteInput]. */
const TotalSchema = z.array(z.number()).length(6);

const FileCursorSchema = JsonlPositionSchema.extend({
  sessionId: z.string().nullable(),
  /** Whether the rollout's own session_meta was read: later ones are copies of a parent's. */
  named: z.boolean(),
  project: z.string().nullable(),
  provider: z.string().nullable(),
  model: z.string().nullable(),
  total: TotalSchema.nullable(),
});
export type FileCursor = z.infer<typeof FileCursorSchema>;

export const CodexCursorSchema = z.object({ files: z.record(z.string(), FileCursorSchema) });
export type CodexCursor = z.infer<typeof CodexCursorSchema>;

const Count = z.number().nullish();
const Text = z.string().nullish();

const UsageSchema = z.object({
  input_tokens: Count,
  cached_input_tokens: Count,
  cache_write_input_tokens: Count,
  output_tokens: Count,
  reasoning_output_tokens: Count,
  total_tokens: Count,
});
export type Usage = z.infer<typeof UsageSchema>;

export const LineSchema = z.discriminatedUnion("type", [
  z.object({
    type: z.literal("session_meta"),
    payload: z.object({
      id: Text,
      cwd: Text,
      model_provider: Text,
      forked_from_id: Text,
      parent_thread_id: Text,
      // A string ("cli", "vscode", "exec", "mcp") or an object ({"subagent": …}, {"custom": …}):
      // only a thread-spawn's parent id is taken from it, whatever else it holds.
      source: z.unknown().optional(),
    }),
  }),
  z.object({
    type: z.literal("turn_context"),
    payload: z.object({ model: Text, cwd: Text }),
  }),
  z.object({
    type: z.literal("event_msg"),
    timestamp: z.string(),
    payload: z.object({
      type: z.string(),
      info: z.object({ total_token_usage: UsageSchema.nullish(), last_token_usage: UsageSchema.nullish() }).nullish(),
    }),
  }),
]);
export type Line = z.infer<typeof LineSchema>;
