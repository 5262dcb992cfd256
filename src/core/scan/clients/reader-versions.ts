import type { OtherClientName } from "./names";

/**
 * Each other client's reader version, kept in the state beside what the reader counted. Bump a
 * client's number when its reader would now make something else of data it has already read (other
 * tokens or buckets, another session, another key, a request it now passes over): the next refresh
 * takes back all that client counted and reads its data again from the start, while Claude Code's
 * transcripts and the other clients keep what they have (see ledger/apply-clients.ts). A state saved
 * before versions were kept holds none, so its clients are read again once.
 *
 * OpenCode and Kilo share one reader (opencode/reader.ts): bump both.
 * Kept free of zod and of the readers, so that checking it loads nothing.
 */
export const READER_VERSIONS: Record<OtherClientName, number> = {
  // 1: session_message (OpenCode 2), output without the repeated reasoning before #21047.
  opencode: 1,
  kilo: 1,
  // 1: event_zstd rows, session_transcript_archives, `.deleted.*.zst` logs.
  openclaw: 1,
  // 1: source as string or object, forks filed under their own session, cache writes, `.jsonl.zst`.
  codex: 1,
};
