import * as z from "zod";

/**
 * One transcript line that may carry usage. Only the fields we read are declared; the rest of the
 * (large) line is ignored. Token counts that are missing are 0; negative or non-numeric ones make
 * the line invalid.
 */
const usageNumber = z.number().int().nonnegative().optional().default(0);

export const UsageLineSchema = z.object({
  type: z.literal("assistant"),
  timestamp: z.iso.datetime({ offset: true }),
  sessionId: z.string().optional(),
  cwd: z.string().optional(),
  /** null counts as absent. */
  requestId: z
    .string()
    .nullish()
    .transform((id) => id ?? undefined),
  isApiErrorMessage: z.boolean().optional(),
  message: z.object({
    id: z.string().optional(),
    model: z.string().optional(),
    usage: z.object({
      input_tokens: usageNumber,
      output_tokens: usageNumber,
      cache_read_input_tokens: usageNumber.nullable(),
      cache_creation_input_tokens: usageNumber.nullable(),
    }),
  }),
});
export type UsageLine = z.infer<typeof UsageLineSchema>;
