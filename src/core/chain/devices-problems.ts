import path from "node:path";
import type { DevicesSection } from "../devices/schema";
import { problemOf } from "./failures";
import type { Problem } from "./report-schema";

/** The devices part of the report as the menu lists its troubles; the words are the failure table's. */

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
