import * as z from "zod";
import { CLIENT_NAMES, type OtherClientName } from "./names";

/**
 * What every client reader hands the engine: MiMo usage events in one shape, whatever the client
 * wrote, plus how far it read (a cursor to resume from) and what it passed over, by reason.
 */

export { CLIENT_NAMES, CLIENT_TITLES, type ClientName, type OtherClientName } from "./names";
export const ClientNameSchema = z.enum(CLIENT_NAMES);

/** One API request that ran on MiMo, with its tokens in our four buckets. */
export interface ClientUsageEvent {
  client: OtherClientName;
  /** Identifies the request across re-reads and copies of the same data; the ledger keys on it. */
  key: string;
  sessionId: string;
  /** The working folder, when the client records one. */
  project: string | null;
  model: string;
  /** Epoch milliseconds. */
  timestamp: number;
  /** Input not served from or written to the cache. */
  input: number;
  /** Output including reasoning: both are billed as output. */
  output: number;
  cacheRead: number;
  cacheWrite: number;
}

/** Why a reader passed over a record. */
export const SKIP_REASONS = [
  /** Not a MiMo request (another provider and model). */
  "notMimo",
  /** Not JSON, or not the shape the client writes. */
  "malformed",
  /** A usage record with no tokens at all. */
  "noUsage",
  /** Codex: a token_count that repeats the previous cumulative total. */
  "notAdvanced",
  /** Codex: a token_count with `info: null`. */
  "noInfo",
  /** Codex: a forked or sub-agent rollout's copy of its parent's usage. */
  "inherited",
  /** No model is known for the request. */
  "noModel",
  /** OpenCode/Kilo: a message still being written; it is read again once it is complete. */
  "incomplete",
  /** OpenCode/Kilo legacy JSON already in the database. */
  "inDatabase",
] as const;
export type SkipReasonName = (typeof SKIP_REASONS)[number];
export type SkipCounts = Partial<Record<SkipReasonName, number>>;

export function countSkip(skipped: SkipCounts, reason: SkipReasonName, by = 1): void {
  skipped[reason] = (skipped[reason] ?? 0) + by;
}

export interface ClientReadResult<Cursor> {
  events: ClientUsageEvent[];
  /** Where the next read starts; pass it back unchanged. */
  cursor: Cursor;
  skipped: SkipCounts;
  /** Problems that stopped part of the read (a database that would not open, say), in plain words. */
  problems: string[];
}

/** A token count from a client's JSON: a missing or invalid one counts as 0. */
export function tokens(value: unknown): number {
  return typeof value === "number" && Number.isFinite(value) && value > 0 ? Math.round(value) : 0;
}

/** Epoch milliseconds from a number (ms) or an ISO 8601 string; null when neither. */
export function epochMs(value: unknown): number | null {
  if (typeof value === "number" && Number.isFinite(value) && value > 0) return value;
  if (typeof value === "string" && value.length > 0) {
    const ms = Date.parse(value);
    return Number.isNaN(ms) ? null : ms;
  }
  return null;
}
