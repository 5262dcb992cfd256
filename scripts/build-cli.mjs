// Bundles the command-line entry points so `npm run scan` and `npm run bench` start as plain
// compiled JavaScript instead of compiling TypeScript on every start.
//
//   node scripts/build-cli.mjs            build dist-cli/ now (then run ./dist-cli/scan.js directly)
//   node scripts/build-cli.mjs scan ARGS  build only if a source is newer than the bundle, then run
//                                         dist-cli/scan.js with ARGS in this same process (same for bench)
//
// Running in the same process keeps `npm run scan` one Node start away from the scan: the freshness
// check is a few milliseconds of stat calls, and esbuild is loaded only when something changed.
//
// The scan is two files: dist-cli/scan-bundle.js (src/cli/scan.ts and all it imports) and
// dist-cli/scan.js, a small launcher that starts the bundle from V8's code cache
// (src/cli/code-cache.ts). The cache is made here, by one scan of a tiny corpus in a temporary folder.
import { spawnSync } from "node:child_process";
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import os from "node:os";
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
  await esbuild({ ...options, banner: {}, entryPoints: { "scan-bundle": path.join(root, entries.scan) } });
  await esbuild({ ...options, sourcemap: false, entryPoints: { scan: path.join(root, "src/cli/launch-scan.ts") } });
  const entryPoints = { scan: true };
  if (existsSync(path.join(root, entries.bench))) {
    await esbuild({ ...options, entryPoints: { bench: path.join(root, entries.bench) } });
    entryPoints.bench = true;
  }
  for (const name of Object.keys(entryPoints)) chmodSync(path.join(outdir, `${name}.js`), 0o755);
  makeCodeCache();
}

/**
 * Runs the scan once over a transcript of two lines so that what a scan runs is compiled, and has
 * the launcher keep it as the bundle's code cache. Nothing of this machine is read: the corpus,
 * the home folder and the other clients' folders all point into a temporary folder.
 */
function makeCodeCache() {
  const dir = mkdtempSync(path.join(os.tmpdir(), "mimo-code-cache-"));
  try {
    const project = path.join(dir, "claude", "projects", "-work-app");
    mkdirSync(project, { recursive: true });
    const line = (id, timestamp) =>
      JSON.stringify({
        type: "assistant",
        sessionId: "s1",
        cwd: "/work/app",
        timestamp,
        requestId: `req_${id}`,
        message: {
          id: `msg_${id}`,
          role: "assistant",
          model: "mimo-v2.5-pro",
          content: [{ type: "text", text: "ok" }],
          usage: { input_tokens: 10, output_tokens: 5, cache_read_input_tokens: 100, cache_creation_input_tokens: 1 },
        },
      });
    writeFileSync(
      path.join(project, "s1.jsonl"),
      `${line("a", "2026-01-05T10:00:00Z")}\n${line("b", "2026-01-06T10:00:00Z")}\n`,
    );
    const isolated = ["XDG_DATA_HOME", "OPENCODE_DB", "KILO_DB", "OPENCLAW_STATE_DIR", "CODEX_HOME"];
    const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !isolated.includes(name)));
    const ran = spawnSync(
      process.execPath,
      [path.join(outdir, "scan.js"), "--root", path.join(dir, "claude"), "--json"],
      {
        env: { ...env, HOME: dir, MIMO_WRITE_CODE_CACHE: "1" },
        stdio: ["ignore", "ignore", "inherit"],
        timeout: 60_000,
      },
    );
    if (ran.status !== 0)
      throw new Error(`the scan that makes the code cache failed (${ran.error ?? `exit ${ran.status}`})`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
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
  const built = [...Object.keys(entries), "scan-bundle"].map((name) => path.join(outdir, `${name}.js`));
  // The code cache, made last: a build stopped before it is not current.
  built.push(path.join(outdir, "scan-bundle.js.v8-cache"));
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
