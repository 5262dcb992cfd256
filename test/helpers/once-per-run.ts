import * as fs from "node:fs";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";

/** Set by test/setup/global-setup.ts to a folder that lives exactly as long as one `jest` run. */
export const RUN_FOLDER_VARIABLE = "MIMO_TEST_RUN_DIR";

const POLL_MS = 100;

/**
 * Makes `name` once per jest run and hands every later caller, in any worker, the same folder.
 * Suites that each built the same thing (the extension with `ray build`, the CLI with esbuild)
 * spent most of their time doing it again. The folder is filled by `make` under another name first
 * and renamed into place, so a caller never sees half of it; the first caller to claim the name
 * does the work while the others wait for the rename (or for the failure, which they throw too).
 * What it holds is shared: callers read it and never write into it.
 */
export async function oncePerRun(name: string, make: (folder: string) => Promise<void>): Promise<string> {
  const runFolder = process.env[RUN_FOLDER_VARIABLE];
  if (!runFolder) throw new Error(`${RUN_FOLDER_VARIABLE} is not set: run the tests through jest.config.js`);
  const done = path.join(runFolder, name);
  const claim = `${done}.claim`;
  const failure = `${done}.failed`;
  try {
    fs.mkdirSync(claim);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    for (;;) {
      if (fs.existsSync(done)) return done;
      if (fs.existsSync(failure)) throw new Error(fs.readFileSync(failure, "utf8"));
      await sleep(POLL_MS);
    }
  }
  // A sibling, so that paths relative to the folder (the bundles' source maps) hold after the rename.
  const partial = `${done}.partial`;
  try {
    fs.mkdirSync(partial);
    await make(partial);
    fs.renameSync(partial, done);
    return done;
  } catch (error) {
    fs.writeFileSync(failure, error instanceof Error ? error.message : String(error));
    throw error;
  }
}
