import { execFile } from "node:child_process";
import { promises as fs } from "node:fs";
import path from "node:path";
import { promisify } from "node:util";
import { build } from "esbuild";
import { codeCachePathFor, fingerprint } from "../../src/cli/code-cache";
import { assistant, tempDir, writeTranscript } from "../helpers/transcripts";

const run = promisify(execFile);
let dir: string;

beforeAll(async () => {
  dir = await tempDir("mimo-code-cache-");
});
afterAll(async () => {
  await fs.rm(dir, { recursive: true, force: true });
});

/** A bundle whose exports say what it ran with: a sum it computes, a built-in module, its own path. */
function bundleSource(factor: number): string {
  return [
    "#!/usr/bin/env node",
    '"use strict";',
    'const os = require("node:os");',
    `function sum(n) { let s = 0; for (let i = 1; i <= n; i++) s += i * ${factor}; return s; }`,
    "module.exports = { sum: sum(100), eol: os.EOL, file: __filename, dir: __dirname, self: this === module.exports };",
    "",
  ].join("\n");
}

async function writeBundle(name: string, source: string): Promise<string> {
  const file = path.join(dir, name);
  await fs.writeFile(file, source);
  return file;
}

/**
 * runBundle in a process of its own, as the launcher runs it: within one process V8 answers a second
 * compile of the same source from memory, and the cache on disk would never be looked at.
 */
let harness: string;
async function runInProcess(bundle: string, save = false): Promise<{ cache: string; exports: unknown }> {
  const { stdout } = await run(process.execPath, [harness, bundle, save ? "save" : ""], { timeout: 20_000 });
  return JSON.parse(stdout) as { cache: string; exports: unknown };
}

describe("runBundle", () => {
  beforeAll(async () => {
    harness = path.join(dir, "harness.js");
    await build({
      stdin: {
        contents: [
          `import { runBundle } from ${JSON.stringify(path.join(__dirname, "../../src/cli/code-cache"))};`,
          "const loaded = runBundle(process.argv[2]);",
          'if (process.argv[3] === "save") loaded.saveCache();',
          "process.stdout.write(JSON.stringify({ cache: loaded.cache, exports: loaded.exports }));",
        ].join("\n"),
        loader: "ts",
        resolveDir: __dirname,
      },
      outfile: harness,
      bundle: true,
      platform: "node",
      format: "cjs",
      logLevel: "silent",
    });
  });

  it("runs a CommonJS bundle with a #! line, then again from the cache it saved", async () => {
    const file = await writeBundle("a.js", bundleSource(1));
    const first = await runInProcess(file, true);
    expect(first).toEqual({ cache: "absent", exports: { sum: 5050, eol: "\n", file, dir, self: true } });
    expect((await fs.stat(codeCachePathFor(file))).size).toBeGreaterThan(100);
    expect(await runInProcess(file)).toEqual({ ...first, cache: "used" });
  });

  it("does not use a cache made for another bundle of the same length", async () => {
    const file = await writeBundle("b.js", bundleSource(1));
    await runInProcess(file, true);
    // Same length, other code: V8 alone would take the cache, as it compares only lengths.
    await fs.writeFile(file, bundleSource(2));
    expect(await runInProcess(file)).toMatchObject({ cache: "stale", exports: { sum: 10100 } });
  });

  it("runs all the same over a damaged cache", async () => {
    const file = await writeBundle("c.js", bundleSource(3));
    const cacheFile = codeCachePathFor(file);
    await fs.writeFile(cacheFile, "not a cache at all");
    expect(await runInProcess(file)).toMatchObject({ cache: "stale", exports: { sum: 15150 } });

    // The right head (as a cache of this very bundle has) over bytes V8 cannot use.
    await runInProcess(file, true);
    const good = await fs.readFile(cacheFile);
    const head = 28; // the cache's own first line (16 bytes) and the bundle's fingerprint (12)
    await fs.writeFile(cacheFile, Buffer.concat([good.subarray(0, head), Buffer.alloc(good.length - head, 7)]));
    expect(await runInProcess(file)).toMatchObject({ cache: "rejected", exports: { sum: 15150 } });
  });

  it("replaces its cache whole, leaving no temporary file", async () => {
    const file = await writeBundle("d.js", bundleSource(4));
    await runInProcess(file, true);
    await runInProcess(file, true);
    expect((await fs.readdir(dir)).filter((name) => name.startsWith("d.js"))).toEqual(["d.js", "d.js.v8-cache"]);
  });
});

describe("fingerprint", () => {
  it("tells apart bundles that differ in one byte anywhere, or only in length", () => {
    const base = Buffer.from(bundleSource(1));
    const seen = new Set([fingerprint(base).toString("hex")]);
    for (const at of [0, 1, 2, 3, 100, base.length - 2, base.length - 1]) {
      const changed = Buffer.from(base);
      changed[at] ^= 1;
      seen.add(fingerprint(changed).toString("hex"));
    }
    seen.add(fingerprint(Buffer.concat([base, Buffer.from(" ")])).toString("hex"));
    seen.add(fingerprint(Buffer.concat([base, Buffer.alloc(4)])).toString("hex"));
    expect(seen.size).toBe(10);
    expect(fingerprint(Buffer.from(base))).toEqual(fingerprint(base));
  });
});

describe("the scan's launcher", () => {
  it("makes the cache when told to, and prints the same snapshot from it", async () => {
    const out = path.join(dir, "dist");
    const common = { bundle: true, platform: "node", format: "cjs", logLevel: "silent" } as const;
    await build({
      ...common,
      entryPoints: [path.join(__dirname, "../../src/cli/scan.ts")],
      outfile: path.join(out, "scan-bundle.js"),
    });
    await build({
      ...common,
      entryPoints: [path.join(__dirname, "../../src/cli/launch-scan.ts")],
      outfile: path.join(out, "scan.js"),
    });
    const root = path.join(dir, "root");
    await writeTranscript(root, "s1.jsonl", [
      assistant({ id: "a", req: "a", ts: "2026-11-20T10:00:00Z", input: 10, output: 5, cacheRead: 100, cacheWrite: 1 }),
    ]);
    const scan = (env: Record<string, string>) =>
      run(
        process.execPath,
        [
          path.join(out, "scan.js"),
          "--root",
          root,
          "--client",
          "claude-code",
          "--tz",
          "UTC",
          "--now",
          "2026-11-25T12:00:00Z",
          "--json",
        ],
        {
          env: { ...process.env, HOME: dir, ...env },
          timeout: 20_000,
        },
      );
    // Everything but the moment of the run and its timings.
    const strip = (json: string) => {
      const snapshot = JSON.parse(json) as Record<string, unknown>;
      delete snapshot.updatedAt;
      delete snapshot.stats;
      return snapshot;
    };

    const plain = await scan({});
    await expect(fs.stat(codeCachePathFor(path.join(out, "scan-bundle.js")))).rejects.toThrow();
    const making = await scan({ MIMO_WRITE_CODE_CACHE: "1" });
    expect((await fs.stat(codeCachePathFor(path.join(out, "scan-bundle.js")))).size).toBeGreaterThan(1000);
    const fromCache = await scan({});
    expect(strip(making.stdout)).toEqual(strip(plain.stdout));
    expect(strip(fromCache.stdout)).toEqual(strip(plain.stdout));
    expect(strip(plain.stdout)).toMatchObject({ lifetime: { input: 10, output: 5, messages: 1 } });
  });
});
