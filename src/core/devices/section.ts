import { promises as fs } from "node:fs";
import { errnoCode } from "../io";
import type { Snapshot } from "../views/schema";
import { readOtherDigests, type OwnDevice, type ReadDigests } from "./read";
import type { DeviceFile, DevicesSection, Digest, FileStamp, SkippedDigest } from "./schema";
import { distinctNames, otherDeviceOf } from "./view";
import {
  deviceNameOf,
  devicesFolder,
  hostOf,
  loadDeviceFile,
  publishDigest,
  renewedDevice,
  saveDeviceFile,
  syncFolderPresent,
  type DevicesConfig,
  type PublishResult,
} from "./write";

export type { DevicesConfig } from "./write";

/** How long the report says that this device took a new id. */
export const RENEWED_SHOWN_MS = 24 * 3_600_000;

/**
 * The devices part of a refresh: read every other device's digest, then publish this device's (from
 * a fresh scan only: a cached snapshot is older than what this device last published). Before
 * publishing, the digests under this device's own id are checked for another machine's: a support
 * folder copied to another machine brings the device id with it, and both would then write one
 * file, each hiding the other. Nothing here throws; what went wrong is in the section, in words.
 */
export async function loadDevicesSection(
  config: DevicesConfig,
  local: { snapshot: Snapshot; fresh: boolean } | null,
  now: Date,
): Promise<DevicesSection> {
  const loaded = await loadDeviceFile(config.idFolder, hostOf(config));
  let device = loaded.ok ? loaded.file : null;
  const name = deviceNameOf(config);
  const section = (rest: Omit<DevicesSection, "syncFolder" | "thisDevice" | "renewed">): DevicesSection => ({
    syncFolder: config.syncFolder,
    thisDevice: { id: device?.id ?? "unknown-device", name },
    ...rest,
    ...renewedOf(device, now),
  });
  if (!(await syncFolderPresent(config.syncFolder)))
    return section({
      available: false,
      published: { written: false, at: device?.written?.at ?? null, error: null },
      others: [],
      skipped: [],
    });

  const folder = devicesFolder(config.syncFolder);
  let read = await readOtherDigests(folder, selfOf(device), now);
  let published: Omit<PublishResult, "device"> = { written: false, at: null, error: loaded.ok ? null : loaded.error };
  let force = false;
  if (device) {
    const current = device;
    published = { written: false, at: current.written?.at ?? null, error: null };
    const other = read.own.find((digest) => publishedElsewhere(digest, current));
    if (other && leaves(current, other)) {
      const renewed = renewedDevice(current, now);
      try {
        await saveDeviceFile(config.idFolder, renewed);
        device = renewed;
        // The old id is the other machine's now: its digests are read as another device's.
        read = await readOtherDigests(folder, selfOf(device), now);
      } catch (error) {
        // Publishing under an id that is not kept would make a new device on every refresh.
        published.error = `another machine publishes under this device's id, and the new id could not be kept in ${config.idFolder} (${errnoCode(error)})`;
        device = null;
      }
    }
    // Either way this device writes its own digest now, so the other machine finds it and the two part.
    force = other !== undefined;
  }
  if (device && local?.fresh) {
    const result = await publishDigest(config, device, local.snapshot, now, force);
    device = result.device;
    published = { written: result.written, at: result.at, error: result.error };
  }
  const others = distinctNames(
    read.digests.map(({ digest, file }) => otherDeviceOf(digest, file, now)),
    name,
  );
  const skipped = await markNamed(read, device, config.idFolder);
  return section({ available: true, published, others, skipped });
}

function selfOf(device: DeviceFile | null): OwnDevice {
  return { id: device?.id ?? null, left: device?.left ?? [] };
}

/**
 * A digest under our id that this machine did not write: another install value, and newer than our
 * last write (copies of what we wrote before a host change carry our former value, but never a later
 * time). A digest without an install value was written before it existed and cannot be told apart.
 */
function publishedElsewhere(digest: Digest, device: DeviceFile): boolean {
  if (digest.install === undefined || digest.install === device.install) return false;
  return device.written === null || Date.parse(digest.updatedAt) > Date.parse(device.written.at);
}

/**
 * Which of the two machines takes a new id: the one with the greater install value. Each decides
 * alone, and both decide alike, so exactly one leaves and the other keeps the old id and its file.
 */
function leaves(device: DeviceFile, other: Digest): boolean {
  return (device.install ?? "") > (other.install ?? "");
}

function renewedOf(device: DeviceFile | null, now: Date): Pick<DevicesSection, "renewed"> {
  const renewed = device?.renewed;
  if (!renewed || now.getTime() - Date.parse(renewed.at) > RENEWED_SHOWN_MS) return {};
  return { renewed: { from: renewed.from, at: renewed.at } };
}

/**
 * Marks each skipped file that an earlier refresh named and that has not changed since (same mtime
 * and size), and keeps this refresh's list in the device file, so each is named once, not on every
 * refresh. A file that changes is named again; one that is gone is forgotten.
 */
async function markNamed(read: ReadDigests, device: DeviceFile | null, idFolder: string): Promise<SkippedDigest[]> {
  if (!device || (read.skipped.length === 0 && (device.reported ?? []).length === 0)) return read.skipped;
  const stamps = await Promise.all(read.skipped.map((skipped) => stampOf(skipped.file)));
  const before = device.reported ?? [];
  const known = (stamp: FileStamp) => before.some((b) => sameStamp(b, stamp));
  const marked = read.skipped.map((skipped, i) => (known(stamps[i]) ? { ...skipped, namedBefore: true } : skipped));
  const changed = stamps.length !== before.length || !stamps.every(known);
  if (changed) await saveDeviceFile(idFolder, { ...device, reported: stamps.slice(0, 1000) }).catch(() => undefined);
  return marked;
}

async function stampOf(file: string): Promise<FileStamp> {
  const stats = await fs.lstat(file).catch(() => null);
  return { file, mtimeMs: stats?.mtimeMs ?? 0, size: stats?.size ?? -1 };
}

function sameStamp(a: FileStamp, b: FileStamp): boolean {
  return a.file === b.file && a.mtimeMs === b.mtimeMs && a.size === b.size;
}
