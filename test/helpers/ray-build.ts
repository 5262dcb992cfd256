import { execFile } from "node:child_process";
import * as fs from "node:fs";
import path from "node:path";
import { promisify } from "node:util";
import { oncePerRun } from "./once-per-run";

const ROOT = path.resolve(__dirname, "../..");

/**
 * CI builds the extension with `ray build -e dist` before it runs the tests and names the output
 * here, so the bundle tests load that very build instead of making another.
 */
export const PREBUILT_VARIABLE = "MIMO_TEST_EXTENSION_BUILD";

/**
 * The extension as `ray build -e dist` ships it, built once per jest run and shared by every suite
 * that loads the bundles (read them, never write into the folder). React and @raycast/api stay
 * external in Raycast's bundles, so the folder gets a link to the project's node_modules: the
 * bundles then load the same React the tests render with, and jest maps @raycast/api to the double.
 */
export function builtExtension(): Promise<string> {
  return oncePerRun("extension", async (folder) => {
    const prebuilt = process.env[PREBUILT_VARIABLE];
    if (prebuilt) copyBuild(prebuilt, folder);
    else await rayBuild(folder);
    fs.symlinkSync(path.join(ROOT, "node_modules"), path.join(folder, "node_modules"), "dir");
  });
}

/**
 * `--skip-types` (a flag `ray build --help` leaves out) skips only the build's type check, `tsc -p
 * tsconfig.json --noEmit`, which `npm run typecheck` and CI's own build run: the bundles are byte for
 * byte the same, at a third of the CPU.
 */
async function rayBuild(folder: string): Promise<void> {
  try {
    await promisify(execFile)(
      path.join(ROOT, "node_modules", ".bin", "ray"),
      ["build", "-e", "dist", "--skip-types", "--non-interactive", "--exit-on-error", "-o", folder],
      { cwd: ROOT, maxBuffer: 16 * 1024 * 1024 },
    );
  } catch (error) {
    const { stdout = "", stderr = "" } = error as { stdout?: string; stderr?: string };
    throw new Error(`ray build failed:\n${stdout}\n${stderr}`);
  }
}

function copyBuild(prebuilt: string, folder: string): void {
  for (const file of ["package.json", "menu-bar.js", path.join("tools", "get-usage.js")]) {
    if (!fs.existsSync(path.join(prebuilt, file))) {
      throw new Error(`${PREBUILT_VARIABLE}=${prebuilt} is not a ray build output: it has no ${file}`);
    }
  }
  fs.cpSync(prebuilt, folder, { recursive: true });
}
