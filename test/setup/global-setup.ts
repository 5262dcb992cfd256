import * as fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { RUN_FOLDER_VARIABLE } from "../helpers/once-per-run";

/**
 * One folder per `jest` run for what suites share (test/helpers/once-per-run.ts). Set in the
 * environment here, before any worker starts, so every worker inherits it.
 */
export default function globalSetup(): void {
  process.env[RUN_FOLDER_VARIABLE] = fs.mkdtempSync(path.join(os.tmpdir(), "mimo-test-run-"));
}
