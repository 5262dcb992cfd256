import { writeCodexBarExport } from "../export";
import { errnoCode } from "../io";
import { problemOf } from "./failures";
import type { Problem } from "./report-schema";
import type { Snapshot } from "../views/schema";

/**
 * The report's last local step: CodexBar's cache written from a fresh scan. A file that is not ours
 * is left as it was, and that or any other failure comes back as the problem that names it, so the
 * menu lists it and the command line prints it and exits 1; nothing is thrown. Kept out of
 * report.ts so the command line's plain scan loads it without the plan chain.
 */
export async function exportStep(file: string, snapshot: Snapshot): Promise<Problem | null> {
  try {
    await writeCodexBarExport(file, snapshot);
    return null;
  } catch (error) {
    return problemOf("exportFailed", errnoCode(error));
  }
}
