/** @jest-environment ./test/raycast/environment.ts */
import { render, waitFor } from "@testing-library/react";
import { LaunchType, LocalStorage } from "@raycast/api";
import { runAppleScript } from "@raycast/utils";
import RefreshCommand from "../../src/refresh";
import MenuBarCommand from "../../src/menu-bar";
import { ALERT_MEMORY_KEY } from "../../src/raycast/alerts";
import { callsTo, setCommand, setPreferences } from "../raycast/api-double";
import { findMenuItem, isLoading, menuBarExtra } from "../raycast/query";
import { useCommandTestContext } from "../helpers/commands";

// Raycast's AppleScript runner needs macOS; here it records the script instead.
jest.mock("@raycast/utils", () => ({
  ...jest.requireActual<typeof import("@raycast/utils")>("@raycast/utils"),
  runAppleScript: jest.fn(async () => ""),
}));
const appleScript = runAppleScript as jest.MockedFunction<typeof runAppleScript>;

useCommandTestContext(null);

beforeEach(() => {
  appleScript.mockReset();
  appleScript.mockResolvedValue("");
  // This week's corpus is 1,470,000 tokens: 86% of a 1.7M budget.
  setPreferences({ weeklyBudget: "1.7M", alertThresholds: "80,95" });
});

describe("alerts from background refreshes", () => {
  it("posts one notification naming 80% from the refresh command, and nothing the second time", async () => {
    setCommand("refresh", LaunchType.Background);
    await RefreshCommand();
    expect(appleScript.mock.calls.map(([script]) => script)).toEqual([
      expect.stringMatching(
        /^display notification "86% used \(1\.5M of 1\.7M tokens\) · resets \d{4}-\d{2}-\d{2}" with title "MiMo Usage" subtitle "Weekly token budget passed 80%"$/,
      ),
    ]);
    // Checked before the menu bar reloads, so its own check finds the crossing already notified.
    expect(callsTo("launchCommand")).toEqual([[{ name: "menu-bar", type: LaunchType.Background }]]);
    await RefreshCommand();
    expect(appleScript).toHaveBeenCalledTimes(1);
  });

  it("posts from the menu bar's interval refresh, staying loaded until it is done, once across launches", async () => {
    setCommand("menu-bar", LaunchType.Background);
    const first = render(<MenuBarCommand />);
    await waitFor(() => expect(isLoading(menuBarExtra())).toBe(false));
    expect(appleScript).toHaveBeenCalledTimes(1);
    expect(String(appleScript.mock.calls[0][0])).toContain('subtitle "Weekly token budget passed 80%"');
    first.unmount();
    render(<MenuBarCommand />);
    await waitFor(() => expect(isLoading(menuBarExtra())).toBe(false));
    expect(appleScript).toHaveBeenCalledTimes(1);
    expect(findMenuItem(/^Next alert · Budget: 95%/)).toBeTruthy();
  });

  it("does not check when the user opens the menu", async () => {
    setCommand("menu-bar", LaunchType.UserInitiated);
    render(<MenuBarCommand />);
    await waitFor(() => expect(isLoading(menuBarExtra())).toBe(false));
    expect(appleScript).not.toHaveBeenCalled();
  });

  it("keeps refreshing when the notification fails, and posts on the next refresh", async () => {
    appleScript.mockRejectedValueOnce(new Error("Not authorized to send Apple events"));
    setCommand("refresh", LaunchType.Background);
    await expect(RefreshCommand()).resolves.toBeUndefined();
    expect(await LocalStorage.getItem(ALERT_MEMORY_KEY)).toBeUndefined();
    expect(callsTo("updateCommandMetadata")).toHaveLength(1);
    await RefreshCommand();
    expect(appleScript).toHaveBeenCalledTimes(2);
    expect(await LocalStorage.getItem(ALERT_MEMORY_KEY)).toBeDefined();
  });

  it("posts nothing with the thresholds left empty", async () => {
    setPreferences({ weeklyBudget: "1.7M", alertThresholds: "" });
    setCommand("refresh", LaunchType.Background);
    await RefreshCommand();
    expect(appleScript).not.toHaveBeenCalled();
  });
});
