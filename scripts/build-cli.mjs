// Bundles the command-line entry points so `npm run scan` and `npm run bench` start as plain
// compiled JavaScript instead of compiling TypeScript on every start.
//
//   node scripts/build-cli.mjs            build dist-cli/ now (then run ./dist-cli/scan.js directly)
//   node scripts/build-cli.mjs scan ARGS  build only if a source is newer than the bundle, then run
//                                         dist-cli/scan.js with ARGS in this same process (same for bench)
//
// Running in the same process keeps `npm run scan` one Node start away from the scan: the freshness
// check is a few milliseconds of stat calls, and esbuild is loaded only when something changed.
import { chmodSync, existsSync, readdirSync, statSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const outdir = path.join(root, "dist-cli");
const entries = { scan: "src/cli/scan.ts", bench: "bench/run.ts" };

async function build() {
  const { build: esbuild } = await import("esbuild");
  const common = { bundle: true, platform: "node", target: "node20", format: "cjs", logLevel: "warning" };
  const options = {
    ...common,
    outdir,
    // Minified code compiles faster, and compiling the bundle is most of the scan's start.
    minify: true,
    sourcemap: true,
    // `dist-cli/scan.js` runs as a command of its own, without npm's half second in front of it.
    banner: { js: "#!/usr/bin/env node" },
  };
  // The scan worker and the line reader come embedded in src/core/scan/ (scripts/build-embedded.mjs).
  await esbuild({ ...options, entryPoints: { scan: path.join(root, entries.scan) } });
  const entryPoints = { scan: true };
  if (existsSync(path.join(root, entries.bench))) {
    await esbuild({ ...options, entryPoints: { bench: path.join(root, entries.bench) } });
    entryPoints.bench = true;
  }
  for (const name of Object.keys(entryPoints)) chmodSync(path.join(outdir, `${name}.js`), 0o755);
}

/** Newest modification time of the files a bundle is built from. */
function newestSource() {
  let newest = 0;
  const visit = (dir) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) visit(full);
      else if (/\.(ts|tsx|mjs|json)$/.test(entry.name)) newest = Math.max(newest, statSync(full).mtimeMs);
    }
  };
  for (const dir of ["src", "bench"]) if (existsSync(path.join(root, dir))) visit(path.join(root, dir));
  for (const file of ["scripts/build-cli.mjs", "package.json", "package-lock.json"]) {
    if (existsSync(path.join(root, file))) newest = Math.max(newest, statSync(path.join(root, file)).mtimeMs);
  }
  return newest;
}

function isCurrent() {
  const built = Object.keys(entries).map((name) => path.join(outdir, `${name}.js`));
  if (!built.every(existsSync)) return false;
  return Math.min(...built.map((file) => statSync(file).mtimeMs)) >= newestSource();
}

const [command, ...args] = process.argv.slice(2);
if (command === undefined) await build();
else if (command in entries) {
  if (!isCurrent()) await build();
  // The bundle reads its arguments from process.argv, as it does when started directly.
  process.argv = [process.argv[0], path.join(outdir, `${command}.js`), ...args];
  createRequire(import.meta.url)(path.join(outdir, `${command}.js`));
} else {
  process.stderr.write(`build-cli: unknown command ${command}; expected scan or bench\n`);
  process.exitCode = 2;
}
