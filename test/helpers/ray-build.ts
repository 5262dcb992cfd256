import { execFile } from "node:child_process";
import * as fs from "node:fs";
import path from "node:path";
import { promisify } from "node:util";

const ROOT = path.resolve(__dirname, "../..");

/**
 * Builds the extension with `ray build -e dist` into `buildDir`, as it ships. React and
 * @raycast/api stay external in Raycast's bundles, so the build folder gets a link to the project's
 * node_modules: the bundles then load the same React the tests render with, and jest maps
 * @raycast/api to the test double.
 */
export async function rayBuild(buildDir: string): Promise<void> {
  try {
    await promisify(execFile)(
      path.join(ROOT, "node_modules", ".bin", "ray"),
      ["build", "-e", "dist", "--non-interactive", "--exit-on-error", "-o", buildDir],
      { cwd: ROOT, maxBuffer: 16 * 1024 * 1024 },
    );
  } catch (error) {
    const { stdout = "", stderr = "" } = error as { stdout?: string; stderr?: string };
    throw new Error(`ray build failed:\n${stdout}\n${stderr}`);
  }
  fs.symlinkSync(path.join(ROOT, "node_modules"), path.join(buildDir, "node_modules"), "dir");
}
