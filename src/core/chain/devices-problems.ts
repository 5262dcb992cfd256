import path from "node:path";
import type { DevicesSection } from "../devices/schema";
import { problemOf } from "./failures";
import type { Problem } from "./report-schema";

/** The devices part of the report as the menu lists its troubles; the words are the failure table's. */

/** At most this many skipped files are named one by one; the rest are counted. */
const SKIPPED_NAMED = 5;

/**
 * The section's troubles as the menu lists them: a new device id (for a day), the folder gone (one
 * line), a failed write, skipped files: each new one by name, the ones named before in one line.
 */
export function devicesProblems(section: DevicesSection): Problem[] {
  const renewed = section.renewed ? [renewedProblem(section)] : [];
  if (!section.available)
    return [
      ...renewed,
      problemOf("syncFolderMissing", `${section.syncFolder} is not there; the figures are this Mac's only.`),
    ];
  const problems: Problem[] = [...renewed];
  if (section.published.error) problems.push(problemOf("digestNotWritten", section.published.error));
  const fresh = section.skipped.filter((skipped) => !skipped.namedBefore);
  for (const skipped of fresh.slice(0, SKIPPED_NAMED))
    problems.push(
      problemOf(
        "digestSkipped",
        `${skipped.file} ${skipped.reason}; that device's figures are left out until it publishes a good one.`,
        `Skipped ${path.basename(skipped.file)}: ${skipped.reason}`,
      ),
    );
  if (fresh.length > SKIPPED_NAMED)
    problems.push(
      problemOf(
        "digestSkipped",
        `${fresh.length - SKIPPED_NAMED} more files in ${path.dirname(fresh[0].file)} were left out.`,
      ),
    );
  const known = section.skipped.filter((skipped) => skipped.namedBefore);
  if (known.length > 0) {
    const files = known.length === 1 ? "1 file" : `${known.length} files`;
    problems.push(
      problemOf(
        "digestSkipped",
        `${files} in ${path.dirname(known[0].file)} ${known.length === 1 ? "is" : "are"} still left out, as named before; a file is named again when it changes.`,
        `Still skipped: ${files} named before`,
      ),
    );
  }
  return problems;
}

function renewedProblem(section: DevicesSection): Problem {
  const { from = "", at = "" } = section.renewed ?? {};
  return problemOf(
    "deviceIdRenewed",
    `Another machine was publishing into ${section.syncFolder} under this Mac's device id ${from} (MiMo Usage's support folder was copied between the two). Since ${at} this Mac publishes as ${section.thisDevice.id}; the other machine keeps ${from}, and each shows the other as its own device.`,
  );
}
