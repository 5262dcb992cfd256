import * as fs from "node:fs";
import path from "node:path";
import * as RaycastApi from "@raycast/api";
import { environment, LaunchType, Toast } from "@raycast/api";
import RefreshCommand from "../../src/refresh";
import { LAST_SNAPSHOT_FILE } from "../../src/core/settings";
import { callsTo, raycastCalls, setCommand, setPreferences, toasts } from "../raycast/api-double";
import { useCommandTestContext } from "../helpers/commands";
import { usePlatformStandIn } from "../core/platform/fixtures/server";
import * as fx from "../core/platform/fixtures/fixtures";

const ctx = useCommandTestContext(null, { failureToastsAllowed: true });

const MENU_BAR_LAUNCH = [{ name: "menu-bar", type: LaunchType.Background }];

describe("refresh command, user-initiated", () => {
  beforeEach(() => setCommand("refresh", LaunchType.UserInitiated));

  it("rescans, updates its subtitle, reloads the menu bar and says today's and the week's tokens", async () => {
    await RefreshCommand();
    expect(callsTo("updateCommandMetadata")).toEqual([[{ subtitle: "Today 470K · Week 1.5M" }]]);
    expect(callsTo("launchCommand")).toEqual([MENU_BAR_LAUNCH]);
    expect(callsTo("showHUD")).toEqual([["MiMo: today 470K · week 1.5M"]]);
    expect(raycastCalls.map(({ fn }) => fn)).toEqual(["updateCommandMetadata", "launchCommand", "showHUD"]);
    expect(toasts()).toEqual([]);
    // The scan's snapshot is saved in Raycast's support folder for the next launch.
    expect(fs.existsSync(path.join(environment.supportPath, LAST_SNAPSHOT_FILE))).toBe(true);
  });

  it("adds the first problem to the HUD", async () => {
    setPreferences({ mimoConfigDirs: path.join(ctx.sandbox.dir, "missing") });
    await RefreshCommand();
    expect(callsTo("showHUD")).toEqual([["MiMo: today 0 · week 0 · No Claude config folder found"]]);
    expect(callsTo("updateCommandMetadata")).toEqual([[{ subtitle: "Today 0 · Week 0" }]]);
  });

  it("shows a failure toast for a broken setup", async () => {
    setPreferences({ modelFilter: "(" });
    await RefreshCommand();
    expect(callsTo("showHUD")).toEqual([]);
    const failures = toasts().filter((toast) => toast.style === Toast.Style.Failure);
    expect(failures.map(({ title, message }) => ({ title, message }))).toEqual([
      {
        title: "Model filter is not a valid pattern: fix it in preferences",
        message: 'The model filter "(" is not a valid regular expression.',
      },
    ]);
    expect(callsTo("updateCommandMetadata")).toEqual([[{ subtitle: "No MiMo usage found yet" }]]);
    expect(callsTo("launchCommand")).toEqual([MENU_BAR_LAUNCH]);
  });

  it("still reports when the menu bar command is turned off", async () => {
    const launch = jest.spyOn(RaycastApi, "launchCommand").mockRejectedValueOnce(new Error("Command is disabled"));
    try {
      await expect(RefreshCommand()).resolves.toBeUndefined();
      expect(launch).toHaveBeenCalledWith(MENU_BAR_LAUNCH[0]);
      expect(callsTo("showHUD")).toEqual([["MiMo: today 470K · week 1.5M"]]);
    } finally {
      launch.mockRestore();
    }
  });
});

describe("refresh command in the background", () => {
  beforeEach(() => setCommand("refresh", LaunchType.Background));

  it("updates its subtitle and the menu bar without a HUD or toast", async () => {
    await RefreshCommand();
    expect(callsTo("updateCommandMetadata")).toEqual([[{ subtitle: "Today 470K · Week 1.5M" }]]);
    expect(callsTo("launchCommand")).toEqual([MENU_BAR_LAUNCH]);
    expect(callsTo("showHUD")).toEqual([]);
    expect(toasts()).toEqual([]);
  });

  it("stays silent about a broken setup", async () => {
    setPreferences({ modelFilter: "(" });
    await RefreshCommand();
    expect(callsTo("showHUD")).toEqual([]);
    expect(toasts()).toEqual([]);
    expect(callsTo("updateCommandMetadata")).toEqual([[{ subtitle: "No MiMo usage found yet" }]]);
  });
});

describe("refresh command with the platform connected", () => {
  const server = usePlatformStandIn();
  beforeEach(() => setCommand("refresh", LaunchType.UserInitiated));

  it("says the plan's Credits in the HUD and subtitle, and the failure's title once the cookie lapses", async () => {
    server.reset({
      balance: fx.liveBalance(),
      "tokenPlan/detail": fx.liveMaxDetail(),
      "tokenPlan/usage": fx.liveMaxUsage(),
    });
    setPreferences({ cookie: "api-platform_serviceToken=refresh-token; userId=5" });
    await RefreshCommand();
    expect(callsTo("showHUD")).toEqual([["MiMo: today 470K · week 1.5M · plan 10% of 82B Credits"]]);
    expect(callsTo("updateCommandMetadata")).toEqual([[{ subtitle: "Today 470K · Week 1.5M · Plan 10% used" }]]);

    server.reset(fx.everywhere({ status: 401, body: { code: 401 } }));
    await RefreshCommand();
    expect(callsTo("showHUD")[1]).toEqual([
      "MiMo: today 470K · week 1.5M · plan ≈10% of 82B Credits · Platform: login required — set the cookie in preferences",
    ]);
  });
});
