import fsSync, { promises as fs } from "node:fs";
import path from "node:path";
import { errnoCode } from "../io";
import { DigestSchema, type Digest, type SkippedDigest } from "./schema";

/**
 * Reading the other devices' digests from the sync folder. The folder is written by other machines
 * and by sync services, so every file is treated as untrusted: only regular files (no link, no
 * folder, no FIFO), at most MAX_DIGEST_BYTES, that pass the digest schema, whose name says the same
 * device as their content, and that are not dated in the future. Whatever is passed over is named
 * once, with the reason. A digest read here is shown, never written back or added to our state.
 */

export const MAX_DIGEST_BYTES = 5 * 1024 * 1024;
/** Clocks differ a little between machines; a digest further ahead than this is not believed. */
export const FUTURE_TOLERANCE_MS = 5 * 60_000;
/** A folder with more entries than this is read this far: no sync folder of ours holds so many devices. */
export const MAX_ENTRIES = 1000;

/**
 * The device id a file name stands for, or null when the name is no digest's. Besides `<id>.json`,
 * the copies sync services make when two writes cross:
 * - iCloud Drive: `<id> 2.json` (a number after a space);
 * - Dropbox: `<id> (Jane's conflicted copy 2026-11-25).json` (help.dropbox.com/syncing-uploads/conflicted-copy),
 *   and Nextcloud/ownCloud's `<id> (conflicted copy 2026-11-25 101112).json`;
 * - Syncthing: `<id>.sync-conflict-20261125-101112-ABCDEFG.json` (docs.syncthing.net, "Conflicting Changes").
 */
export function deviceIdOfName(name: string): { id: string; copy: boolean } | null {
  const match =
    /^([a-z0-9][a-z0-9-]{7,63})(?:( \d+)|( \([^()]*conflicted copy[^()]*\))|(\.sync-conflict-\d{8}-\d{6}(?:-[A-Za-z0-9]+)?))?\.json$/.exec(
      name,
    );
  if (!match) return null;
  return { id: match[1], copy: match[2] !== undefined || match[3] !== undefined || match[4] !== undefined };
}

export type DigestRead = { ok: true; digest: Digest } | { ok: false; reason: string };

/**
 * One digest file, bounded: opened without following a link and without blocking (a FIFO cannot
 * hang it), its own stat checked before a byte is read.
 */
export async function readDigestFile(file: string, now: Date): Promise<DigestRead> {
  let handle: fs.FileHandle;
  try {
    handle = await fs.open(file, fsSync.constants.O_RDONLY | fsSync.constants.O_NONBLOCK | fsSync.constants.O_NOFOLLOW);
  } catch (error) {
    const code = errnoCode(error);
    if (code === "ELOOP" || code === "EMLINK") return { ok: false, reason: "is a symbolic link" };
    if (code === "EISDIR") return { ok: false, reason: "is a folder" };
    return { ok: false, reason: `could not be read (${code})` };
  }
  let text: string;
  try {
    const stats = await handle.stat();
    if (stats.isDirectory()) return { ok: false, reason: "is a folder" };
    if (!stats.isFile()) return { ok: false, reason: "is not a regular file" };
    if (stats.size > MAX_DIGEST_BYTES)
      return { ok: false, reason: `is ${megabytes(stats.size)}, over the 5 MB a digest may be` };
    const bytes = Buffer.alloc(stats.size);
    let at = 0;
    while (at < bytes.length) {
      const { bytesRead } = await handle.read(bytes, at, bytes.length - at, at);
      if (bytesRead === 0) break;
      at += bytesRead;
    }
    text = bytes.subarray(0, at).toString("utf8");
  } catch (error) {
    return { ok: false, reason: `could not be read (${errnoCode(error)})` };
  } finally {
    await handle.close();
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { ok: false, reason: "is not JSON (cut short or corrupt)" };
  }
  const parsed = DigestSchema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return {
      ok: false,
      reason: `is not a device digest this version reads (${issue.path.join(".") || "top"}: ${issue.message})`,
    };
  }
  if (Date.parse(parsed.data.updatedAt) > now.getTime() + FUTURE_TOLERANCE_MS)
    return { ok: false, reason: `is dated in the future (${parsed.data.updatedAt})` };
  return { ok: true, digest: parsed.data };
}

export interface ReadDigests {
  /** The newest digest of each other device, with the file it came from. */
  digests: { digest: Digest; file: string }[];
  /**
   * The digests under this device's own id (its file and copies of it). Never shown: this device's
   * figures come from its own scan. They tell whether another machine publishes under the same id.
   */
  own: Digest[];
  skipped: SkippedDigest[];
}

/** This device as the folder may hold it: its id, and ids it left with the install it had then. */
export interface OwnDevice {
  id: string | null;
  left: readonly { id: string; install: string }[];
}

/**
 * Every other device's newest digest in `folder`. A conflict copy counts as its device's; the newest
 * `updatedAt` wins, and on a tie the plain file. A digest this device left under an id it gave up
 * is its own, not another device's, and is passed over without a word.
 */
export async function readOtherDigests(folder: string, self: OwnDevice, now: Date): Promise<ReadDigests> {
  let entries: fsSync.Dirent[];
  try {
    entries = await fs.readdir(folder, { withFileTypes: true });
  } catch (error) {
    const code = errnoCode(error);
    // No devices/ folder yet: no device has published.
    return code === "ENOENT"
      ? { digests: [], own: [], skipped: [] }
      : { digests: [], own: [], skipped: [{ file: folder, reason: `could not be listed (${code})` }] };
  }
  const skipped: SkippedDigest[] = [];
  const own: Digest[] = [];
  const newest = new Map<string, { digest: Digest; file: string; copy: boolean }>();
  const named = entries
    .filter((entry) => !entry.name.startsWith(".") && !entry.name.endsWith(".tmp"))
    .sort((a, b) => (a.name < b.name ? -1 : 1));
  if (named.length > MAX_ENTRIES)
    skipped.push({ file: folder, reason: `holds ${named.length} entries; the first ${MAX_ENTRIES} were read` });
  for (const entry of named.slice(0, MAX_ENTRIES)) {
    const file = path.join(folder, entry.name);
    const name = deviceIdOfName(entry.name);
    if (!name) {
      if (entry.name.endsWith(".json")) skipped.push({ file, reason: "is not named as a device digest" });
      continue;
    }
    if (name.id === self.id) {
      if (!entry.isFile()) continue;
      const read = await readDigestFile(file, now);
      if (read.ok && read.digest.deviceId === name.id) own.push(read.digest);
      continue;
    }
    if (entry.isSymbolicLink()) {
      skipped.push({ file, reason: "is a symbolic link" });
      continue;
    }
    if (entry.isDirectory()) {
      skipped.push({ file, reason: "is a folder" });
      continue;
    }
    const read = await readDigestFile(file, now);
    if (!read.ok) {
      skipped.push({ file, reason: read.reason });
      continue;
    }
    if (read.digest.deviceId !== name.id) {
      skipped.push({ file, reason: `holds the digest of another device (${read.digest.deviceId})` });
      continue;
    }
    const { install } = read.digest;
    if (self.left.some((left) => left.id === name.id && left.install === install)) continue;
    const best = newest.get(name.id);
    if (!best || isNewer(read.digest, name.copy, best.digest, best.copy))
      newest.set(name.id, { digest: read.digest, file, copy: name.copy });
  }
  return { digests: [...newest.values()].map(({ digest, file }) => ({ digest, file })), own, skipped };
}

function isNewer(digest: Digest, copy: boolean, than: Digest, thanCopy: boolean): boolean {
  const a = Date.parse(digest.updatedAt);
  const b = Date.parse(than.updatedAt);
  return a > b || (a === b && !copy && thanCopy);
}

function megabytes(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}
