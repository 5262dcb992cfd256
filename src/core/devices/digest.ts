import { createHash } from "../hashing";
import type { Snapshot } from "../views/schema";
import { DIGEST_FORMAT, DIGEST_VERSION, type Digest, type DigestRow, type DigestSession } from "./schema";

/**
 * This device's digest, from its snapshot: per local day × client × model the four token buckets,
 * Credits and messages, the hourly rows the plan estimate reads, and lifetime. Nothing else of the
 * snapshot leaves the Mac: no folder, no transcript path, no summary; session ids only when shared.
 */

export interface DigestIdentity {
  id: string;
  name: string;
  /** This machine's install value (see DeviceFile.install). */
  install?: string;
}

export function buildDigest(
  snapshot: Snapshot,
  device: DigestIdentity,
  options: { shareSessions: boolean; previousSessions?: DigestSession[] },
): Digest {
  const digest: Digest = {
    format: DIGEST_FORMAT,
    version: DIGEST_VERSION,
    deviceId: device.id,
    deviceName: device.name,
    ...(device.install ? { install: device.install } : {}),
    updatedAt: snapshot.updatedAt,
    timeZone: snapshot.timeZone,
    days: digestRows(snapshot),
    hours: snapshot.hours.map(({ at, total, credits, uncreditedTokens }) => ({ at, total, credits, uncreditedTokens })),
    lifetime: {
      input: snapshot.lifetime.input,
      output: snapshot.lifetime.output,
      cacheRead: snapshot.lifetime.cacheRead,
      cacheWrite: snapshot.lifetime.cacheWrite,
      credits: snapshot.lifetime.credits,
      uncreditedTokens: snapshot.lifetime.uncreditedTokens,
      messages: snapshot.lifetime.messages,
      sessions: snapshot.lifetime.sessions,
    },
  };
  if (options.shareSessions) digest.sessions = sharedSessions(snapshot, options.previousSessions);
  return digest;
}

/**
 * The day × client × model rows. While Claude Code is the only client that counted anything the
 * snapshot keeps no such split (its day × model rows are it), so those rows are Claude Code's.
 */
function digestRows(snapshot: Snapshot): DigestRow[] {
  const rows =
    snapshot.dayClientModels.length > 0
      ? snapshot.dayClientModels
      : snapshot.dayModels.map((row) => ({ ...row, client: "claude-code" as const }));
  return rows.map((row) => ({
    date: row.date,
    client: row.client,
    model: row.model,
    input: row.input,
    output: row.output,
    cacheRead: row.cacheRead,
    cacheWrite: row.cacheWrite,
    credits: row.credits,
    uncreditedTokens: row.uncreditedTokens,
    messages: row.messages,
  }));
}

/**
 * The menu bar's snapshot carries no sessions (it never builds them), so a refresh there keeps the
 * list the last full refresh shared instead of publishing an empty one and then the full one again.
 */
function sharedSessions(snapshot: Snapshot, previous: DigestSession[] | undefined): DigestSession[] {
  if (snapshot.sessions.length === 0 && snapshot.lifetime.sessions > 0) return previous ?? [];
  return snapshot.sessions.map((s) => ({
    sessionId: s.sessionId,
    client: s.client ?? "claude-code",
    firstAt: s.firstAt,
    lastAt: s.lastAt,
    models: s.models,
    total: s.total,
    credits: s.credits,
  }));
}

/** What decides whether the digest changed: everything but its own time. */
export function digestFingerprint(digest: Digest): string {
  return createHash("sha256")
    .update(JSON.stringify({ ...digest, updatedAt: null }))
    .digest("hex");
}
