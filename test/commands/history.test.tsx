/** @jest-environment ./test/raycast/environment.ts */
import { promises as fs } from "node:fs";
import path from "node:path";
import { render, waitFor } from "@testing-library/react";
import { LaunchType } from "@raycast/api";
import HistoryCommand from "../../src/history";
import MenuBarCommand from "../../src/menu-bar";
import SessionsCommand from "../../src/sessions";
import * as reportModule from "../../src/core/chain/report";
import type { UsageReport } from "../../src/core/chain/report-schema";
import { addDays } from "../../src/core/views/calendar";
import { chartPalette } from "../../src/core/views/chart-frame";
import { readChart } from "../helpers/chart-svg";
import { callsTo, setCommand, setEnvironment } from "../raycast/api-double";
import {
  accessoriesOf,
  detailOf,
  dropdown,
  findListItem,
  isLoading,
  list,
  listItems,
  markdownOf,
  menuBarExtra,
  runAction,
  selectItem,
  titleOf,
} from "../raycast/query";
import { COMMAND_NOW, CORPUS_TIMES, localDay, useCommandTestContext } from "../helpers/commands";

const ctx = useCommandTestContext("history");

async function loadedList(): Promise<HTMLElement> {
  await waitFor(() => expect(isLoading(list())).toBe(false));
  return list();
}

describe("history command", () => {
  it("lists every active day of the folder with its exact total, and the days between", async () => {
    render(<HistoryCommand />);
    await loadedList();
    const today = localDay(COMMAND_NOW);
    expect(titleOf(listItems()[0])).toBe(today);
    expect(listItems()).toHaveLength(30);
    const expected: [string, string][] = [
      [localDay(CORPUS_TIMES.today[0]), "470,000 tokens"],
      [localDay(CORPUS_TIMES.week), "1,000,000 tokens"],
      [localDay(CORPUS_TIMES.old), "2,000,000 tokens"],
    ];
    for (const [date, tooltip] of expected) expect(accessoriesOf(findListItem(date))[0].tooltip).toBe(tooltip);
    const idle = listItems().filter((item) => accessoriesOf(item)[0].text === "No use");
    expect(idle).toHaveLength(27);
    const item = findListItem(today);
    selectItem(item);
    const markdown = markdownOf(detailOf(item) as HTMLElement) ?? "";
    expect(markdown).toMatch(/^!\[Daily tokens by token type\]\(data:image\/svg\+xml;base64,/);
    expect(markdown).toContain("| **Total** | **3,470,000** |");
    expect(markdown).toContain("| mimo-v2.5-pro | 2,470,000 | 3 |");
    expect(markdown).toContain("| mimo-v2.5 | 1,000,000 | 1 |");
  });

  it("draws the chart in Raycast's appearance", async () => {
    setEnvironment({ appearance: "light" });
    render(<HistoryCommand />);
    await loadedList();
    const item = findListItem(localDay(COMMAND_NOW));
    selectItem(item);
    const markdown = markdownOf(detailOf(item) as HTMLElement) ?? "";
    const svg = Buffer.from(/base64,([A-Za-z0-9+/=]+)\)/.exec(markdown)?.[1] ?? "", "base64").toString("utf8");
    expect(readChart(svg).titleFill).toBe(chartPalette("light").text);
  });

  it("reads no new bytes when opened after the menu bar", async () => {
    const loads = jest.spyOn(reportModule, "loadUsageReport");
    setCommand("menu-bar", LaunchType.UserInitiated);
    const menu = render(<MenuBarCommand />);
    await waitFor(() => expect(isLoading(menuBarExtra())).toBe(false));
    menu.unmount();
    setCommand("history", LaunchType.UserInitiated);
    render(<HistoryCommand />);
    await loadedList();
    const reports = await Promise.all(loads.mock.results.map((result) => result.value as Promise<UsageReport>));
    expect(reports).toHaveLength(2);
    expect(reports[0].local?.snapshot.stats.bytesRead).toBeGreaterThan(0);
    expect(reports[1].local?.snapshot.stats.bytesRead).toBe(0);
    expect(reports[1].local?.snapshot.lifetime.total).toBe(3_470_000);
    loads.mockRestore();
  });

  it("exports into the Downloads folder of the (sandboxed) home", async () => {
    render(<HistoryCommand />);
    await loadedList();
    runAction(findListItem(localDay(COMMAND_NOW)), "Export CSV to Downloads");
    await waitFor(() => expect(callsTo("showHUD")).toHaveLength(1));
    const today = localDay(COMMAND_NOW);
    const name = `mimo-usage-${addDays(today, -29)}-to-${today}.csv`;
    expect(callsTo("showHUD")[0][0]).toBe(`Exported ${name} to Downloads`);
    const csv = await fs.readFile(path.join(ctx.sandbox.home, "Downloads", name), "utf8");
    expect(csv.trimEnd().split("\r\n")).toHaveLength(31);
  });
});

describe("sessions command opened from the history", () => {
  it("shows the sessions active on the day it was given", async () => {
    setCommand("sessions", LaunchType.UserInitiated);
    const day = localDay(CORPUS_TIMES.week);
    render(<SessionsCommand launchContext={{ day }} />);
    await loadedList();
    expect(listItems().map((item) => titleOf(item))).toEqual(["api"]);
    expect(dropdown().value).toBe("day");
    expect(Array.from(dropdown().options).map((option) => option.text)[0]).toBe(`Active on ${day}`);
  });

  it("draws the session chart in Raycast's appearance", async () => {
    setEnvironment({ appearance: "light" });
    setCommand("sessions", LaunchType.UserInitiated);
    render(<SessionsCommand />);
    await loadedList();
    runAction(findListItem("shop"), "Show Detail");
    const markdown = markdownOf(detailOf(findListItem("shop")) as HTMLElement) ?? "";
    const svg = Buffer.from(/base64,([A-Za-z0-9+/=]+)\)/.exec(markdown)?.[1] ?? "", "base64").toString("utf8");
    expect(readChart(svg).titleFill).toBe(chartPalette("light").text);
  });

  it("ignores a context that is not a date", async () => {
    setCommand("sessions", LaunchType.UserInitiated);
    render(<SessionsCommand launchContext={{ day: "yesterday" }} />);
    await loadedList();
    expect(listItems().map((item) => titleOf(item))).toEqual(["shop", "api", "legacy"]);
  });
});
