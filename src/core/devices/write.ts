import fsSync, { promises as fs } from "node:fs";
import os from "node:os";
import path from "node:path";
import { randomHex } from "../hashing";
import { errnoCode, isErrno, writeAtomically, writeOwnFile } from "../io";
import type { Snapshot } from "../views/schema";
import { buildDigest, digestFingerprint } from "./digest";
import { readDigestFile } from "./read";
import { DeviceFileSchema, DIGEST_FORMAT, type DeviceFile, type Digest } from "./schema";

/**
 * Publishing this device's digest into the sync folder: one file per device, `devices/<id>.json`,
 * written whole (a temporary file beside it, then a rename), only when the figures changed and at
 * most once a minute, so a sync service is not kept busy by a menu bar that refreshes every few
 * minutes. The sync folder itself is never created: a folder that is not there (an unmounted share,
 * iCloud Drive turned off) means the figures fall back to this Mac's own.
 */

export interface DevicesConfig {
  /** The folder the user's sync service keeps alike across machines (absolute). */
  syncFolder: string;
  /** The name other devices show; empty means this machine's host name. */
  deviceName: string;
  /** Where the device id is kept: Raycast's support folder, or the CLI's state folder. */
  idFolder: string;
  /** Whether the digest carries the session list (ids and figures, never folders). */
  shareSessions: boolean;
  /** This machine's host name; the system's when not given (tests name each simulated machine). */
  host?: string;
}

export const DEVICES_SUBFOLDER = "devices";
export const DEVICE_FILE = "mimo-usage-device.json";
/** A changed digest waits at least this long after the last write. */
export const MIN_WRITE_INTERVAL_MS = 60_000;
/** An unchanged digest is written again after this long, so a device that is idle is not taken for gone. */
export const HEARTBEAT_MS = 6 * 3_600_000;

export function devicesFolder(syncFolder: string): string {
  return path.join(syncFolder, DEVICES_SUBFOLDER);
}

export function digestFile(syncFolder: string, id: string): string {
  return path.join(devicesFolder(syncFolder), `${id}.json`);
}

/** The Mac's (or server's) own name: the host name without the `.local` mDNS suffix. */
export function defaultDeviceName(hostname: string = os.hostname()): string {
  const name = hostname.replace(/\.local\.?$/i, "").trim();
  return name || "This device";
}

export function deviceNameOf(config: DevicesConfig): string {
  return config.deviceName.trim().replace(/\s+/g, " ").slice(0, 100) || defaultDeviceName(hostOf(config));
}

export function hostOf(config: DevicesConfig): string {
  return config.host ?? os.hostname();
}

/** Whether the sync folder is there as a folder (a link to one is fine: iCloud Drive's often is). */
export async function syncFolderPresent(syncFolder: string): Promise<boolean> {
  const stats = await fs.stat(syncFolder).catch(() => null);
  return stats?.isDirectory() ?? false;
}

export type DeviceFileResult = { ok: true; file: DeviceFile } | { ok: false; error: string };

/**
 * This device's id, made on first use and kept in `idFolder`, with its install value (see
 * DeviceFile.install): made anew when the file was made on another host. A file of that name that
 * is not ours is left as it was, and nothing is published.
 */
export async function loadDeviceFile(idFolder: string, host: string): Promise<DeviceFileResult> {
  const file = path.join(idFolder, DEVICE_FILE);
  let text: string | null = null;
  try {
    const stats = await fs.lstat(file);
    if (!stats.isFile()) return { ok: false, error: `${file} is not a regular file, so it was left alone` };
    if (stats.size > 64 * 1024) return { ok: false, error: `${file} is not MiMo Usage's device file` };
    text = await fs.readFile(file, "utf8");
  } catch (error) {
    if (!isErrno(error, "ENOENT")) return { ok: false, error: `${file}: ${errnoCode(error)}` };
  }
  if (text !== null) {
    const parsed = DeviceFileSchema.safeParse(parseJson(text));
    if (!parsed.success)
      return { ok: false, error: `${file} is not MiMo Usage's device file, so it was left as it was` };
    if (parsed.data.install && parsed.data.host === host) return { ok: true, file: parsed.data };
    // Kept in memory if it cannot be saved: the next write of the file (after a publish) keeps it.
    const placed: DeviceFile = { ...parsed.data, install: randomHex(8), host };
    await saveDeviceFile(idFolder, placed).catch(() => undefined);
    return { ok: true, file: placed };
  }
  const made: DeviceFile = { version: 1, id: randomHex(16), written: null, install: randomHex(8), host };
  try {
    await saveDeviceFile(idFolder, made);
  } catch (error) {
    return { ok: false, error: `the device id could not be kept in ${idFolder}: ${errnoCode(error)}` };
  }
  return { ok: true, file: made };
}

/**
 * A new id for this device, because another machine publishes under its current one: the old id
 * and this install are remembered, so this device's own digests left under it are not read as
 * another device's.
 */
export function renewedDevice(device: DeviceFile, now: Date): DeviceFile {
  const left = [...(device.left ?? []), ...(device.install ? [{ id: device.id, install: device.install }] : [])];
  return {
    ...device,
    id: randomHex(16),
    install: randomHex(8),
    written: null,
    left: left.slice(-16),
    renewed: { at: now.toISOString(), from: device.id },
  };
}

export async function saveDeviceFile(idFolder: string, device: DeviceFile): Promise<void> {
  await writeOwnFile(path.join(idFolder, DEVICE_FILE), [Buffer.from(JSON.stringify(device), "utf8")], {
    bytes: 20,
    isOurs: (head) => head.toString("utf8").startsWith('{"version":1,"id":"'),
    what: "MiMo Usage's device file",
  });
}

export interface PublishResult {
  written: boolean;
  at: string | null;
  error: string | null;
  /** The device file as saved with this write (unchanged when nothing was written). */
  device: DeviceFile;
}

/**
 * Writes this device's digest when it changed (and a minute has passed since the last write) or has
 * not been written for HEARTBEAT_MS, or at once with `force` (another machine's digest is in our
 * file). The caller has checked that the sync folder is there.
 */
export async function publishDigest(
  config: DevicesConfig,
  device: DeviceFile,
  snapshot: Snapshot,
  now: Date,
  force = false,
): Promise<PublishResult> {
  const target = digestFile(config.syncFolder, device.id);
  const lastAt = device.written?.at ?? null;
  const unwritten = (error: string | null) => ({ written: false, at: lastAt, error, device });
  try {
    const previous =
      config.shareSessions && snapshot.sessions.length === 0 ? await ownPreviousDigest(target, now) : null;
    const digest = buildDigest(
      snapshot,
      { id: device.id, name: deviceNameOf(config), install: device.install },
      { shareSessions: config.shareSessions, previousSessions: previous?.sessions },
    );
    const fingerprint = digestFingerprint(digest);
    const present = await targetState(target);
    if (present === "refused") return unwritten(`${target} is not a regular file of ours, so it was left alone`);
    const sinceLast = lastAt === null ? Infinity : now.getTime() - Date.parse(lastAt);
    const same = device.written?.fingerprint === fingerprint && device.written.file === target && present === "ours";
    if (!force && same && sinceLast < HEARTBEAT_MS) return unwritten(null);
    if (!force && !same && sinceLast < MIN_WRITE_INTERVAL_MS && present === "ours") return unwritten(null);
    await fs.mkdir(devicesFolder(config.syncFolder)).catch((error: unknown) => {
      if (!isErrno(error, "EEXIST")) throw error;
    });
    await writeAtomically(target, [Buffer.from(JSON.stringify(digest), "utf8")]);
    const at = now.toISOString();
    const saved: DeviceFile = { ...device, written: { at, fingerprint, file: target } };
    await saveDeviceFile(config.idFolder, saved);
    return { written: true, at, error: null, device: saved };
  } catch (error) {
    return unwritten(`the digest was not written to ${target}: ${errnoCode(error)}`);
  }
}

/** "missing", "ours" (a regular file that starts as a digest does), or "refused" for anything else. */
async function targetState(target: string): Promise<"missing" | "ours" | "refused"> {
  let stats: fsSync.Stats;
  try {
    stats = await fs.lstat(target);
  } catch (error) {
    if (isErrno(error, "ENOENT")) return "missing";
    throw error;
  }
  if (!stats.isFile()) return "refused";
  const handle = await fs.open(target, fsSync.constants.O_RDONLY | fsSync.constants.O_NONBLOCK);
  try {
    const head = Buffer.alloc(Math.min(64, stats.size));
    await handle.read(head, 0, head.length, 0);
    return head.toString("utf8").startsWith(`{"format":"${DIGEST_FORMAT}"`) ? "ours" : "refused";
  } finally {
    await handle.close();
  }
}

async function ownPreviousDigest(target: string, now: Date): Promise<Digest | null> {
  const read = await readDigestFile(target, now);
  return read.ok ? read.digest : null;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return null;
  }
}
