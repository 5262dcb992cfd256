import fs from "node:fs";
import path from "node:path";

/**
 * Every figure a screen shows is asked of the query layer (src/core/query/): the commands, their
 * React parts, the AI tools, the command line and the Raycast edge never work a figure out from the
 * snapshot's rows or the platform's lists themselves. They may still import these modules' types.
 */

const SRC = path.resolve(__dirname, "../../src");

/** Modules that work figures out of rows: below the query layer, for it alone to call. */
const FIGURE_MODULES = [
  "core/views/range-totals",
  "core/views/client-split",
  "core/views/snapshot",
  "core/devices/view",
  "core/platform/account-view",
  "core/platform/account-days",
  "core/platform/local-since",
  "core/platform/estimate",
  "core/platform/pace",
  "core/platform/credit-history",
];

/** Every .ts/.tsx file outside src/core, relative to src. */
function screenFiles(): string[] {
  return fs
    .readdirSync(SRC, { recursive: true, encoding: "utf8" })
    .filter((name) => /\.tsx?$/.test(name) && !name.startsWith(`core${path.sep}`) && !name.endsWith(".d.ts"));
}

/** The src modules a file imports for their values (not `import type`, not names all marked `type`). */
function valueImportsOf(file: string): string[] {
  const text = fs.readFileSync(path.join(SRC, file), "utf8");
  const found: string[] = [];
  for (const match of text.matchAll(/import\s+(type\s+)?([^;"]*?)\s+from\s+"(\.{1,2}\/[^"]+)"/g)) {
    const [, typeOnly, names, specifier] = match;
    if (typeOnly) continue;
    // `x`, `* as x`, `{ a, type B }` or `x, { a }`: a default or namespace import is a value import.
    const braces = /\{([^}]*)\}/.exec(names);
    const outside = names
      .replace(/\{[^}]*\}/, "")
      .replace(/,/g, "")
      .trim();
    const items = [
      ...(outside ? ["default"] : []),
      ...(braces?.[1] ?? "")
        .split(",")
        .map((item) => item.trim())
        .filter(Boolean),
    ];
    if (items.every((item) => item.startsWith("type "))) continue;
    found.push(path.relative(SRC, path.resolve(path.dirname(path.join(SRC, file)), specifier)));
  }
  for (const match of text.matchAll(/export\s+\{[^}]*\}\s+from\s+"(\.{1,2}\/[^"]+)"/g))
    found.push(path.relative(SRC, path.resolve(path.dirname(path.join(SRC, file)), match[1])));
  return found;
}

describe("the query layer", () => {
  it("is the only way screens, tools and the command line reach a figure", () => {
    const direct = screenFiles().flatMap((file) =>
      valueImportsOf(file)
        .filter((target) => FIGURE_MODULES.includes(target.split(path.sep).join("/")))
        .map((target) => `${file} -> ${target}`),
    );
    expect(direct).toEqual([]);
  });

  it("reads the imports it checks", () => {
    // The check above would pass on a reader that found no imports at all, or counted type imports.
    expect(valueImportsOf("tools/get-usage.ts")).toEqual(expect.arrayContaining(["core/query/period"]));
    expect(valueImportsOf("tools/get-usage.ts")).not.toContain("core/views/range-totals");
    expect(valueImportsOf("cli/scan.ts")).toEqual(expect.arrayContaining(["core/views/calendar"]));
    expect(screenFiles()).toEqual(
      expect.arrayContaining(["menu-bar.tsx", path.join("components", "menu", "PlanSection.tsx")]),
    );
  });
});
