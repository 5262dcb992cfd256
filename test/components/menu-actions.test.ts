import * as raycast from "@raycast/api";
import { copy, openCommand } from "../../src/components/menu/menu-actions";
import { callsTo, resetRaycastDouble } from "../raycast/api-double";

/** Menu rows have no toast to fall back on: their actions must say what failed, never throw. */

beforeEach(() => resetRaycastDouble());
afterEach(() => jest.restoreAllMocks());

const huds = () => callsTo("showHUD").map(([title]) => title);

describe("copy", () => {
  it("copies and says what it copied", async () => {
    await copy("1,234", "Copied the total");
    expect(callsTo("Clipboard.copy")).toEqual([["1,234"]]);
    expect(huds()).toEqual(["Copied the total"]);
  });

  it("says so when the clipboard refuses, without throwing", async () => {
    jest.spyOn(raycast.Clipboard, "copy").mockRejectedValueOnce(new Error("pasteboard busy"));
    await expect(copy("1,234")).resolves.toBeUndefined();
    expect(huds()).toEqual(["Could not copy to the clipboard"]);
  });
});

describe("openCommand", () => {
  it("launches the command the user picked", async () => {
    await openCommand("history");
    expect(callsTo("launchCommand")).toEqual([[{ name: "history", type: raycast.LaunchType.UserInitiated }]]);
    expect(huds()).toEqual([]);
  });

  it("names the command it could not open, without throwing", async () => {
    jest.spyOn(raycast, "launchCommand").mockRejectedValueOnce(new Error("command is disabled"));
    await expect(openCommand("sessions")).resolves.toBeUndefined();
    expect(huds()).toEqual(["Could not open MiMo Sessions: is the command enabled in Raycast?"]);
  });
});
