import type { Snapshot } from "../views/schema";
import { readOtherDigests } from "./read";
import type { DevicesSection } from "./schema";
import { distinctNames, otherDeviceOf } from "./view";
import {
  deviceNameOf,
  devicesFolder,
  loadDeviceFile,
  publishDigest,
  syncFolderPresent,
  type DevicesConfig,
  type PublishResult,
} from "./write";

export type { DevicesConfig } from "./write";

/**
 * The devices part of a refresh: publish this device's digest (from a fresh scan only: a cached
 * snapshot is older than what this device last published), then read every other device's. Nothing
 * here throws; what went wrong is in the section, in words.
 */
export async function loadDevicesSection(
  config: DevicesConfig,
  local: { snapshot: Snapshot; fresh: boolean } | null,
  now: Date,
): Promise<DevicesSection> {
  const device = await loadDeviceFile(config.idFolder);
  const thisDevice = { id: device.ok ? device.file.id : "unknown-device", name: deviceNameOf(config) };
  const base = { syncFolder: config.syncFolder, thisDevice };
  if (!(await syncFolderPresent(config.syncFolder))) {
    return {
      ...base,
      available: false,
      published: { written: false, at: device.ok ? (device.file.written?.at ?? null) : null, error: null },
      others: [],
      skipped: [],
    };
  }
  let published: PublishResult = { written: false, at: null, error: device.ok ? null : device.error };
  if (device.ok) {
    published = { written: false, at: device.file.written?.at ?? null, error: null };
    if (local?.fresh) published = await publishDigest(config, device.file, local.snapshot, now);
  }
  const read = await readOtherDigests(devicesFolder(config.syncFolder), device.ok ? device.file.id : null, now);
  const others = distinctNames(
    read.digests.map(({ digest, file }) => otherDeviceOf(digest, file, now)),
    thisDevice.name,
  );
  return { ...base, available: true, published, others, skipped: read.skipped };
}
