// Bundles the command-line entry points so `npm run scan` and `npm run bench` start as plain
// compiled JavaScript instead of compiling TypeScript on every start.
import { build } from "esbuild";
import { existsSync } from "node:fs";

const common = { bundle: true, platform: "node", target: "node20", format: "cjs", logLevel: "warning" };

// The scan worker runs from source text (see src/core/scan/pool.ts), so it is bundled first and
// handed to the scan as a constant. Minified, because every worker compiles it on start.
const worker = await build({ ...common, entryPoints: ["src/core/scan/worker.ts"], minify: true, write: false });
const workerSource = worker.outputFiles[0].text;

const entryPoints = { scan: "src/cli/scan.ts" };
if (existsSync("bench/run.ts")) entryPoints.bench = "bench/run.ts";

await build({
  ...common,
  entryPoints,
  outdir: "dist-cli",
  // Minified code compiles faster, and compiling the bundle is most of the scan's start.
  minify: true,
  sourcemap: true,
  define: { MIMO_SCAN_WORKER_SOURCE: JSON.stringify(workerSource) },
});
