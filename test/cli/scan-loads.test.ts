import path from "node:path";
import { build, type Metafile } from "esbuild";

/**
 * What a plain `scan --json` evaluates before it reads a byte: every module the command line
 * reaches through static imports. zod is not among them (evaluating it and building its first
 * schemas cost a fresh process tens of milliseconds, a tenth of a cold scan's margin against
 * ccusage); the platform, the devices and the other clients' readers load it only when asked.
 */

const ROOT = path.resolve(__dirname, "../..");
let inputs: Metafile["inputs"];

beforeAll(async () => {
  const result = await build({
    entryPoints: [path.join(ROOT, "src/cli/scan.ts")],
    bundle: true,
    platform: "node",
    format: "cjs",
    write: false,
    metafile: true,
    outdir: path.join(ROOT, "dist-cli-test"),
    logLevel: "silent",
  });
  inputs = result.metafile.inputs;
});

/** Every input reached from the command line's entry, following the kinds of import given. */
function reached(kinds: readonly string[]): string[] {
  const seen = new Set<string>();
  const queue = ["src/cli/scan.ts"];
  while (queue.length > 0) {
    const file = queue.pop() as string;
    if (seen.has(file)) continue;
    seen.add(file);
    for (const imported of inputs[file]?.imports ?? [])
      if (!imported.external && kinds.includes(imported.kind)) queue.push(imported.path);
  }
  return [...seen];
}

const isZod = (file: string) => /node_modules\/zod\//.test(file);

describe("the command line's scan path", () => {
  it("evaluates no zod before it scans", () => {
    const eager = reached(["import-statement", "require-call"]);
    expect(eager).toEqual(expect.arrayContaining(["src/core/chain/local.ts", "src/core/rates.ts"]));
    expect(eager.filter(isZod)).toEqual([]);
  });

  it("loads zod with the platform, the devices and the other clients", () => {
    // The check above would pass on a walk that followed nothing: the lazy imports do reach zod.
    const all = reached(["import-statement", "require-call", "dynamic-import"]);
    expect(all.filter(isZod).length).toBeGreaterThan(0);
    expect(all).toEqual(expect.arrayContaining(["src/cli/devices.ts", "src/cli/platform.ts"]));
  });
});
