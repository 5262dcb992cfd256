import * as fs from "node:fs";
import { RUN_FOLDER_VARIABLE } from "../helpers/once-per-run";

export default function globalTeardown(): void {
  const folder = process.env[RUN_FOLDER_VARIABLE];
  if (folder) fs.rmSync(folder, { recursive: true, force: true });
}
