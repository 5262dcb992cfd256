import * as fs from "node:fs";
import path from "node:path";
import { intervalMs, REFRESH_INTERVAL_MS } from "../../src/raycast/edge";
import { MENU_BAR_FIGURES } from "../../src/core/query/summary";

describe("the refresh interval", () => {
  it.each([
    ["90s", 90_000],
    ["5m", 300_000],
    ["1h", 3_600_000],
    ["1d", 86_400_000],
    ["5", null],
    ["m5", null],
    ["", null],
    [undefined, null],
  ])("reads the manifest interval %j as %j ms", (text, expected) => expect(intervalMs(text)).toBe(expected));

  it("is the menu bar command's interval in the manifest", () => {
    const manifest = JSON.parse(fs.readFileSync(path.join(__dirname, "..", "..", "package.json"), "utf8")) as {
      commands: { name: string; interval?: string }[];
    };
    const menuBar = manifest.commands.find((command) => command.name === "menu-bar");
    expect(menuBar?.interval).toMatch(/^\d+[smhd]$/);
    expect(REFRESH_INTERVAL_MS).toBe(intervalMs(menuBar?.interval));
  });
});

describe("the Menu Bar Figure preference", () => {
  it("offers exactly the figures the title can show, in the same order", () => {
    const manifest = JSON.parse(fs.readFileSync(path.join(__dirname, "..", "..", "package.json"), "utf8")) as {
      preferences: { name: string; data?: { value: string }[] }[];
    };
    const preference = manifest.preferences.find((p) => p.name === "menuBarFigure");
    expect(preference?.data?.map((option) => option.value)).toEqual([...MENU_BAR_FIGURES]);
  });
});
