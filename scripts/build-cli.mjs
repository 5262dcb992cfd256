// Bundles the command-line entry points so `npm run scan` and `npm run bench` start as plain
// compiled JavaScript instead of compiling TypeScript on every start.
import { build } from "esbuild";
import { existsSync } from "node:fs";

const entryPoints = { scan: "src/cli/scan.ts" };
if (existsSync("bench/run.ts")) entryPoints.bench = "bench/run.ts";

await build({
  entryPoints,
  outdir: "dist-cli",
  bundle: true,
  platform: "node",
  target: "node20",
  format: "cjs",
  sourcemap: true,
  logLevel: "warning",
});
