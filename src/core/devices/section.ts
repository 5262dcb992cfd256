import path from "node:path";
import { problemOf } from "../chain/failures";
import type { Problem } from "../chain/report-schema";
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

/** At most this many skipped files are named one by one; the rest are counted. */
const SKIPPED_NAMED = 5;

/** The section's troubles as the menu lists them: the folder gone (one line), a failed write, skipped files. */
export function devicesProblems(section: DevicesSection): Problem[] {
  if (!section.available)
    return [problemOf("syncFolderMissing", `${section.syncFolder} is not there; the figures are this Mac's only.`)];
  const problems: Problem[] = [];
  if (section.published.error) problems.push(problemOf("digestNotWritten", section.published.error));
  for (const skipped of section.skipped.slice(0, SKIPPED_NAMED))
    problems.push(
      problemOf(
        "digestSkipped",
        `${skipped.file} ${skipped.reason}; that device's figures are left out until it publishes a good one.`,
        `Skipped ${path.basename(skipped.file)}: ${skipped.reason}`,
      ),
    );
  if (section.skipped.length > SKIPPED_NAMED)
    problems.push(
      problemOf(
        "digestSkipped",
        `${section.skipped.length - SKIPPED_NAMED} more files in ${path.dirname(section.skipped[0].file)} were left out.`,
      ),
    );
  return problems;
}
