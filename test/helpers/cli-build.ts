import { execFile } from "node:child_process";
import path from "node:path";
import { promisify } from "node:util";
import { oncePerRun } from "./once-per-run";

const ROOT = path.resolve(__dirname, "../..");

/**
 * The command-line scan (src/cli/scan.ts and all it imports) as one CommonJS file, bundled once per
 * jest run and shared by the suites that run it as a program. esbuild's own binary does the bundling
 * because its JavaScript API cannot load inside the DOM environment some of those suites use.
 */
export async function builtCli(): Promise<string> {
  const folder = await oncePerRun("cli", async (into) => {
    await promisify(execFile)(
      path.join(ROOT, "node_modules", ".bin", "esbuild"),
      [
        "src/cli/scan.ts",
        "--bundle",
        "--platform=node",
        "--format=cjs",
        "--log-level=error",
        `--outfile=${path.join(into, "scan.js")}`,
      ],
      { cwd: ROOT },
    );
  });
  return path.join(folder, "scan.js");
}
