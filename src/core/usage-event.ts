/**
 * What a read of a transcript hands the ledger, and how each usage line is keyed. Both sides meet
 * here, below them: the scan writes events in this layout and the ledger counts them, so neither
 * imports the other.
 */

export interface DedupKey {
  hi: number;
  lo: number;
}

/** Two independent 32-bit string hashes (FNV-1a and a Murmur3-style mix) make one 64-bit key. */
export function hashKey(text: string): DedupKey {
  let a = 0x811c9dc5;
  let b = 0x9747b28c ^ text.length;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193);
    let k = Math.imul(c, 0xcc9e2d51);
    k = (k << 15) | (k >>> 17);
    b ^= Math.imul(k, 0x1b873593);
    b = (b << 13) | (b >>> 19);
    b = (Math.imul(b, 5) + 0xe6546b64) | 0;
  }
  b ^= b >>> 16;
  b = Math.imul(b, 0x85ebca6b);
  b ^= b >>> 13;
  b = Math.imul(b, 0xc2b2ae35);
  b ^= b >>> 16;
  return { hi: a >>> 0, lo: b >>> 0 };
}

export interface KeyedLine {
  messageId?: string;
  requestId?: string;
  sessionId?: string;
}

/**
 * One API response is written as several lines sharing message.id + requestId, and resumed sessions
 * replay lines into new files, so those pairs identify a response across all files. Lines with a
 * message id but no request id fall back to the session. Lines with neither are counted as they
 * are; they get a key from their own bytes and file so re-reading a file never counts them twice.
 */
export function keyFor(line: KeyedLine, file: string, rawLine: () => string): DedupKey {
  if (line.messageId && line.requestId) return hashKey(`r\u0000${line.messageId}\u0000${line.requestId}`);
  if (line.messageId && line.sessionId) return hashKey(`s\u0000${line.messageId}\u0000${line.sessionId}`);
  return hashKey(`l\u0000${file}\u0000${rawLine()}`);
}

/** Why a transcript line was passed over. */
export type SkipReason = "malformed" | "invalidUtf8" | "invalid" | "apiError" | "synthetic" | "otherModel";

export interface FileScan {
  /** Offset just past the last complete line: where the next read starts. */
  end: number;
  bytesRead: number;
  /** The ends hash at `end` (see endsHashOf), or "" for an empty file or a headless job. */
  ends: string;
  /** `eventCount` records of EVENT_STRIDE numbers; see the field offsets below. */
  events: Float64Array<ArrayBuffer>;
  eventCount: number;
  /** Strings the events refer to by index. */
  strings: string[];
  /** Lines passed over, by reason, in the order the reasons first occurred. */
  skipped: Partial<Record<SkipReason, number>>;
}

export const EVENT_USAGE = 1;
export const EVENT_SUMMARY = 2;
/** Field offsets within an event. A summary uses only KIND and TEXT. */
export const EV = {
  KIND: 0,
  TEXT: 1,
  KEY_HI: 1,
  KEY_LO: 2,
  AT: 3,
  INPUT: 4,
  OUTPUT: 5,
  CACHE_READ: 6,
  CACHE_WRITE: 7,
  /** The line's own sessionId, or -1 when it has none and the file's session applies. */
  SESSION: 8,
  MODEL: 9,
  /** The line's cwd, or -1. */
  CWD: 10,
} as const;
export const EVENT_STRIDE = 11;
