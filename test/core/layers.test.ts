import fs from "node:fs";
import path from "node:path";

/**
 * The rooms of src/core stand on floors, and an import only ever runs down: the scan reads files
 * and knows nothing of the counting, the ledger counts and knows nothing of what is shown, and
 * what both share (core/types.ts, core/usage-event.ts) imports no room at all. A type-only import
 * counts too: it is where a shared shape was left in the wrong room.
 */

const CORE = path.resolve(__dirname, "../../src/core");

/** Every .ts file under `dir`, as a path relative to src/core. */
function filesUnder(dir: string): string[] {
  return fs
    .readdirSync(path.join(CORE, dir), { recursive: true, encoding: "utf8" })
    .filter((name) => name.endsWith(".ts"))
    .map((name) => path.join(dir, name));
}

/** The src/core files a file imports (static, type-only and dynamic), relative to src/core. */
function importsOf(file: string): string[] {
  const text = fs.readFileSync(path.join(CORE, file), "utf8");
  const specifiers = [...text.matchAll(/(?:from|import)\s*\(?\s*"(\.{1,2}\/[^"]+)"/g)].map((match) => match[1]);
  return specifiers.map((specifier) =>
    path.relative(CORE, path.resolve(path.dirname(path.join(CORE, file)), specifier)),
  );
}

/** The rooms above each floor: what a file of it may never import. */
const ABOVE: Record<string, string[]> = {
  "types.ts": ["scan", "ledger", "views", "chain", "platform", "engine", "settings", "export", "usage-event", "query"],
  "usage-event.ts": ["scan", "ledger", "views", "chain", "platform", "engine", "settings", "export", "query"],
  scan: ["ledger", "views", "chain", "platform", "engine", "settings", "export", "query"],
  ledger: ["views", "chain", "platform", "engine", "settings", "export", "query"],
  "engine.ts": ["chain", "settings", "platform", "export", "query"],
  "settings.ts": ["chain", "platform", "export", "query"],
  views: ["chain", "platform", "devices", "engine", "settings", "export", "query"],
  devices: ["chain", "query"],
  platform: ["chain", "query"],
  chain: ["query"],
};

describe("floors of src/core", () => {
  it.each(Object.entries(ABOVE))("nothing in %s imports a room above it", (room, above) => {
    const files = room.endsWith(".ts") ? [room] : filesUnder(room);
    expect(files.length).toBeGreaterThan(0);
    const upward = files.flatMap((file) =>
      importsOf(file)
        .filter((target) => above.includes(target.split(path.sep)[0].replace(/\.ts$/, "")))
        .map((target) => `${file} -> ${target}`),
    );
    expect(upward).toEqual([]);
  });

  it("reads the imports it checks", () => {
    // The check above would pass on a reader that found no imports at all.
    expect(importsOf("chain/local.ts")).toEqual(expect.arrayContaining(["ledger/files", "scan/claude/discover"]));
    expect(importsOf("scan/clients/read.ts")).toEqual(expect.arrayContaining(["scan/clients/index"]));
  });
});
