/** @jest-environment ./test/raycast/environment.ts */
import { promises as fs } from "node:fs";
import os from "node:os";
import path from "node:path";
import { render, waitFor } from "@testing-library/react";
import { LaunchType } from "@raycast/api";
import { HistoryList } from "../../src/components/HistoryList";
import { filterSessions } from "../../src/core/query/sessions";
import type { UsageReport } from "../../src/core/chain/report-schema";
import type { ChartAppearance } from "../../src/core/views/history-chart";
import { chartPalette } from "../../src/core/views/history-chart";
import { callsTo, resetRaycastDouble, setCommand } from "../raycast/api-double";
import {
  accessoriesOf,
  actionsOf,
  detailOf,
  dropdown,
  dropdownOptions,
  emptyView,
  findAction,
  findListItem,
  list,
  listItems,
  markdownOf,
  metadataLabels,
  pickDropdown,
  propsOf,
  runAction,
  sections,
  selectItem,
  shortcutKeys,
  titleOf,
} from "../raycast/query";
import { HISTORY_CORPUS, HISTORY_NOW } from "../helpers/history-corpus";
import { makeReport, type ReportFixture } from "../helpers/report";
import { clientDays, historyClientsReport, type ClientsFixture } from "../helpers/history-clients";
import { formatFull } from "../../src/core/format";
import { readChart } from "../helpers/chart-svg";

let report: UsageReport;
let cleanup: () => Promise<void>;
let exportRoot: string;
const fixtures: ReportFixture[] = [];
let consoleErrors: jest.SpyInstance;

beforeAll(async () => {
  const made = await makeReport({ corpus: HISTORY_CORPUS, now: HISTORY_NOW, platform: null });
  report = made.report;
  cleanup = made.cleanup;
  exportRoot = await fs.mkdtemp(path.join(os.tmpdir(), "mimo-history-export-"));
});

afterAll(async () => {
  await cleanup();
  await fs.rm(exportRoot, { recursive: true, force: true });
  await Promise.all(fixtures.map((fixture) => fixture.cleanup()));
});

beforeEach(() => {
  resetRaycastDouble();
  setCommand("history", LaunchType.UserInitiated);
  consoleErrors = jest.spyOn(console, "error");
});

afterEach(() => {
  expect(consoleErrors).not.toHaveBeenCalled();
  consoleErrors.mockRestore();
});

function renderHistory(
  options: { report?: UsageReport; appearance?: ChartAppearance; exportFolder?: string; isLoading?: boolean } = {},
) {
  const onRefresh = jest.fn();
  const view = render(
    <HistoryList
      report={"report" in options ? options.report : report}
      isLoading={options.isLoading ?? false}
      onRefresh={onRefresh}
      appearance={options.appearance ?? "dark"}
      exportFolder={options.exportFolder ?? path.join(exportRoot, "Downloads")}
    />,
  );
  return { onRefresh, ...view };
}

/** The chart image at the top of the pane: its alt text (what the bars are) and its SVG. */
function imageOf(markdown: string | undefined): { alt: string; svg: string } {
  const match = /^!\[([^\]]+)\]\(data:image\/svg\+xml;base64,([A-Za-z0-9+/=]+)\)/.exec(markdown ?? "");
  if (!match) throw new Error(`No chart in: ${markdown}`);
  return { alt: match[1], svg: Buffer.from(match[2], "base64").toString("utf8") };
}

function svgOf(markdown: string | undefined): string {
  return imageOf(markdown).svg;
}

function detailMarkdown(date: string): string {
  const item = findListItem(date);
  selectItem(item);
  const detail = detailOf(item);
  if (!detail) throw new Error(`No detail for ${date}`);
  return markdownOf(detail) ?? "";
}

describe("HistoryList beside the platform's daily list", () => {
  it("tells this Mac, all devices and elsewhere for a day the list covers, model by model in the detail", async () => {
    // A day this Mac did not use at all: everything the account spent on it was spent elsewhere.
    const row = {
      date: "2026-11-22",
      model: "mimo-v2.5-pro",
      hit: 0,
      miss: 1_000_000,
      output: 0,
      total: 1_000_000,
      requests: null,
    };
    const asOf = HISTORY_NOW.toISOString();
    const made = await makeReport({
      corpus: HISTORY_CORPUS,
      now: HISTORY_NOW,
      accountList: {
        ok: true,
        answers: [
          { month: { year: 2026, month: 10 }, asOf, rows: [] },
          { month: { year: 2026, month: 11 }, asOf, rows: [row] },
        ],
      },
    });
    fixtures.push(made);
    renderHistory({ report: made.report });
    const item = findListItem("2026-11-22");
    expect(accessoriesOf(item)[0].tooltip).toBe(
      "No MiMo messages on this Mac · all devices 1,000,000, elsewhere 1,000,000",
    );
    selectItem(item);
    const labels = metadataLabels(detailOf(item) as HTMLElement);
    expect(labels).toEqual(
      expect.arrayContaining([
        { title: "All Devices", text: "1M tokens · 300M Credits" },
        { title: "Elsewhere", text: "1M tokens · 300M Credits" },
        { title: "mimo-v2.5-pro", text: "1M tokens · 300M Credits · elsewhere 1M" },
      ]),
    );
    // The chart stacks what was used elsewhere on top of this Mac's bars: the 2026-11-22 bar is all of it.
    const chart = readChart(svgOf(markdownOf(detailOf(item) as HTMLElement)));
    expect(chart.legend).toContain("Elsewhere");
    expect(svgOf(markdownOf(detailOf(item) as HTMLElement))).toMatch(
      /<g data-date="2026-11-22" data-total="0" data-value="1000000">/,
    );
    expect(Math.max(...chart.valueLabels.map((label) => label.value))).toBe(1_000_000);
    // A day the list has no row for while this Mac counted use (not billed yet): the account's 0 is shown as
    // it is, and nothing is said to be used elsewhere.
    expect(accessoriesOf(findListItem("2026-11-24"))[0].tooltip).toBe(
      "12,800 tokens on this Mac · all devices 0, elsewhere 0",
    );
  });
});

describe("HistoryList with other devices in the sync folder", () => {
  it("shows another device's own days when picked, and this Mac's again", () => {
    const studio = {
      id: "studio-1234abcd",
      name: "Studio",
      updatedAt: HISTORY_NOW.toISOString(),
      stale: false,
      timeZone: "UTC",
      days: [
        {
          date: "2026-11-23",
          input: 5_000,
          output: 0,
          cacheRead: 0,
          cacheWrite: 0,
          total: 5_000,
          messages: 2,
          credits: 500_000,
          uncreditedTokens: 0,
        },
      ],
      lifetime: {
        input: 5_000,
        output: 0,
        cacheRead: 0,
        cacheWrite: 0,
        total: 5_000,
        messages: 2,
        credits: 500_000,
        uncreditedTokens: 0,
      },
      hours: [],
      file: "/sync/devices/studio-1234abcd.json",
    };
    const withDevices: UsageReport = {
      ...report,
      devices: {
        syncFolder: "/sync",
        thisDevice: { id: "macbook-1234abcd", name: "MacBook" },
        available: true,
        published: { written: false, at: null, error: null },
        others: [studio],
        skipped: [],
      },
    };
    renderHistory({ report: withDevices });
    expect(accessoriesOf(findListItem("2026-11-24"))[0].tooltip).toBe("12,800 tokens");
    runAction(findListItem("2026-11-24"), "Show Studio");
    expect(accessoriesOf(findListItem("2026-11-23"))[0]).toMatchObject({ text: "5K", tooltip: "5,000 tokens" });
    expect(accessoriesOf(findListItem("2026-11-24"))[0].text).toBe("No use");
    expect(document.querySelector('[data-raycast="List"]')?.getAttribute("data-navigation-title")).toBe(
      "MiMo Usage History · Studio",
    );
    runAction(findListItem("2026-11-24"), "Show This Mac");
    expect(accessoriesOf(findListItem("2026-11-24"))[0].tooltip).toBe("12,800 tokens");
    // ⌘M steps through token type, model and device: by device, This Mac and Studio are stacked per day.
    runAction(findListItem("2026-11-24"), "Chart by Model");
    runAction(findListItem("2026-11-24"), "Chart by Device");
    const item = findListItem("2026-11-23");
    selectItem(item);
    const markdown = markdownOf(detailOf(item) as HTMLElement);
    expect(imageOf(markdown).alt).toBe("Daily tokens by device");
    expect(readChart(svgOf(markdown)).legend).toEqual(["This Mac", "Studio"]);
    // Studio's 5,000 tokens stand on this Mac's 1,100 of 2026-11-23.
    expect(svgOf(markdown)).toMatch(/<g data-date="2026-11-23" data-total="1100" data-value="6100">/);
    expect(findAction(item, "Chart by Token Type")).toBeTruthy();
  });
});

describe("HistoryList", () => {
  it("offers the ranges, Last 30 Days first time, and lists its days newest first in week sections", () => {
    renderHistory();
    expect(dropdownOptions()).toEqual([
      { title: "Last 7 Days", value: "last-7" },
      { title: "Last 30 Days", value: "last-30" },
      { title: "Last 90 Days", value: "last-90" },
      { title: "This Month", value: "this-month" },
      { title: "Last Month", value: "last-month" },
      { title: "All Time", value: "all" },
    ]);
    expect(dropdown().value).toBe("last-30");
    expect(propsOf(dropdown()).storeValue).toBe(true);
    expect(listItems()).toHaveLength(30);
    const shown = sections();
    expect(shown.map((section) => section.title)).toEqual([
      "Week of 2026-11-23",
      "Week of 2026-11-16",
      "Week of 2026-11-09",
      "Week of 2026-11-02",
      "Week of 2026-10-26",
    ]);
    expect(shown[0].items).toEqual(["2026-11-25", "2026-11-24", "2026-11-23"]);
    expect(shown[4].items).toEqual([
      "2026-11-01",
      "2026-10-31",
      "2026-10-30",
      "2026-10-29",
      "2026-10-28",
      "2026-10-27",
    ]);
  });

  it("shows each day's exact total and marks days without use", () => {
    renderHistory();
    const busy = findListItem("2026-11-24");
    expect(propsOf(busy).subtitle).toBe("Tuesday");
    expect(propsOf(findListItem("2026-11-25")).subtitle).toBe("Today");
    expect(accessoriesOf(busy)).toEqual([{ text: "12.8K", tooltip: "12,800 tokens" }]);
    expect(accessoriesOf(findListItem("2026-11-20"))).toEqual([
      { text: "No use", tooltip: "No MiMo messages on this day" },
    ]);
  });

  it("shows messages, sessions and cost beside the total once the detail is hidden", () => {
    renderHistory();
    runAction(findListItem("2026-11-24"), "Hide Detail");
    expect(propsOf(list()).isShowingDetail).toBe(false);
    const accessories = accessoriesOf(findListItem("2026-11-24"));
    expect(accessories.slice(0, 3)).toEqual([
      { text: "12.8K", tooltip: "12,800 tokens" },
      { text: "2 msgs", tooltip: "2 messages" },
      { text: "2 sessions" },
    ]);
    expect(String(accessories[3].text)).toMatch(/^(≥ )?[\d.]+[KMB]? Credits$/);
    expect(String(accessories[3].tooltip)).toMatch(/Credits at MiMo's rates · est\. (≥ )?¥\d/);
  });

  it("switches range and keeps the choice for the next launch", () => {
    const first = renderHistory();
    pickDropdown("last-7");
    expect(listItems().map((item) => titleOf(item))).toEqual([
      "2026-11-25",
      "2026-11-24",
      "2026-11-23",
      "2026-11-22",
      "2026-11-21",
      "2026-11-20",
      "2026-11-19",
    ]);
    first.unmount();
    renderHistory();
    expect(dropdown().value).toBe("last-7");
    expect(listItems()).toHaveLength(7);
    pickDropdown("last-90");
    expect(sections().map((section) => section.title)).toEqual([
      "November 2026",
      "October 2026",
      "September 2026",
      "August 2026",
    ]);
    pickDropdown("last-month");
    expect(listItems()).toHaveLength(31);
  });

  it("details the range: chart, exact bucket totals, models, top projects and the busiest day", () => {
    renderHistory();
    pickDropdown("last-7");
    const markdown = detailMarkdown("2026-11-24");
    expect(markdown).toContain("**2026-11-19 – 2026-11-25** · 18.3K tokens · 4 messages · 3 active days");
    for (const line of [
      "| Input | 17,000 |",
      "| Output | 500 |",
      "| Cache read | 500 |",
      "| Cache write | 300 |",
      "| **Total** | **18,300** |",
      "| mimo-v2.5-pro | 11,400 | 2 |",
      "| mimo-v2-flash | 4,400 | 1 |",
      "| mimo-v2.5 | 2,500 | 1 |",
      "| beta | 10,300 | 1 |",
      "| gamma | 4,400 | 1 |",
      "| alpha | 3,600 | 1 |",
      "Busiest day: **Tuesday 2026-11-24** with 12,800 tokens",
    ])
      expect(markdown).toContain(line);
    const { alt, svg } = imageOf(markdown);
    expect(alt).toBe("Daily tokens by token type");
    expect(readChart(svg).title).toBe("Daily tokens by token type · 2026-11-19 – 2026-11-25");
    expect(readChart(svg).valueLabels.map((label) => label.value)).toEqual([0, 12_800, 6_400]);
    expect([...svg.matchAll(/<g data-date="([\d-]+)" data-total="(\d+)"/g)].map((m) => [m[1], Number(m[2])])).toEqual([
      ["2026-11-19", 0],
      ["2026-11-20", 0],
      ["2026-11-21", 0],
      ["2026-11-22", 0],
      ["2026-11-23", 1100],
      ["2026-11-24", 12_800],
      ["2026-11-25", 4400],
    ]);
    const detail = detailOf(findListItem("2026-11-24"));
    expect(metadataLabels(detail as HTMLElement)).toEqual([
      { title: "Day", text: "Tuesday 2026-11-24" },
      { title: "Total Tokens", text: "12.8K (12,800)" },
      { title: "Input", text: "12,000" },
      { title: "Output", text: "0" },
      { title: "Cache Read", text: "500" },
      { title: "Cache Write", text: "300" },
      { title: "Credits", text: "3.29M Credits (3,291,000)" },
      { title: "Estimated Cost", text: "¥0.03" },
      { title: "Messages", text: "2" },
      { title: "Sessions", text: "2" },
    ]);
  });

  it("toggles the chart between buckets and models", () => {
    renderHistory();
    pickDropdown("last-7");
    expect(svgOf(detailMarkdown("2026-11-24"))).toContain(">Cache read</text>");
    runAction(findListItem("2026-11-24"), "Chart by Model");
    const svg = svgOf(detailMarkdown("2026-11-24"));
    expect(svg).toContain(">mimo-v2-flash</text>");
    expect(svg).not.toContain(">Cache read</text>");
    expect(findAction(findListItem("2026-11-24"), "Chart by Token Type")).toBeTruthy();
  });

  it("switches the chart to Credits and back with cmd+u", () => {
    renderHistory();
    pickDropdown("last-7");
    const item = findListItem("2026-11-24");
    expect(shortcutKeys(findAction(item, "Chart in Credits"))).toBe("cmd+u");
    runAction(item, "Chart in Credits");
    const { alt, svg } = imageOf(detailMarkdown("2026-11-24"));
    expect(alt).toBe("Daily Credits by token type");
    const chart = readChart(svg);
    // 2026-11-24 costs 3,291,000 Credits; 2026-11-25's mimo-v2-flash has no rate.
    expect(chart.valueLabels.map((label) => label.text)).toEqual(["0", "3.29M", "1.65M"]);
    expect(chart.note).toBe("4.4K tokens with no rate left out");
    runAction(findListItem("2026-11-24"), "Chart by Model");
    expect(readChart(svgOf(detailMarkdown("2026-11-24"))).title).toMatch(/^Daily Credits by model/);
    runAction(findListItem("2026-11-24"), "Chart in Tokens");
    expect(imageOf(detailMarkdown("2026-11-24")).alt).toBe("Daily tokens by model");
    runAction(findListItem("2026-11-24"), "Hide Detail");
    expect(actionsOf(findListItem("2026-11-24")).map((action) => titleOf(action))).not.toContain("Chart in Credits");
  });

  it("draws the chart in the light or dark appearance", () => {
    for (const appearance of ["light", "dark"] as const) {
      const view = renderHistory({ appearance });
      const svg = svgOf(detailMarkdown("2026-11-24"));
      expect(svg).toContain(`fill="${chartPalette(appearance).text}"`);
      expect(svg).toContain(`fill="${chartPalette(appearance).series[0]}"`);
      view.unmount();
    }
  });

  it("copies the range as CSV and as a Markdown table", async () => {
    renderHistory();
    pickDropdown("last-7");
    const item = findListItem("2026-11-20");
    expect(shortcutKeys(findAction(item, "Copy as CSV"))).toBe("cmd+shift+c");
    runAction(item, "Copy as CSV");
    runAction(item, "Copy as Markdown Table");
    await waitFor(() => expect(callsTo("Clipboard.copy")).toHaveLength(2));
    const [[csv], [markdown]] = callsTo("Clipboard.copy");
    const lines = String(csv).trimEnd().split("\r\n");
    expect(lines).toHaveLength(8);
    expect(lines[0]).toMatch(/^date,input_tokens,/);
    expect(lines[1]).toBe("2026-11-19,0,0,0,0,0,0,0,0,0,,,");
    expect(lines[6]).toMatch(/^2026-11-24,12000,0,500,300,12800,2,2,/);
    const rows = String(markdown).split("\n");
    expect(rows).toHaveLength(9);
    expect(rows[7]).toMatch(/^\| 2026-11-24 \| 12000 \| 0 \| 500 \| 300 \| 12800 \| 2 \| 2 \| /);
  });

  it("exports the CSV to a new file in the folder, naming it in a HUD, and never replaces a file", async () => {
    const folder = path.join(exportRoot, "export-test");
    renderHistory({ exportFolder: folder });
    pickDropdown("last-7");
    const item = findListItem("2026-11-25");
    expect(shortcutKeys(findAction(item, "Export CSV to Downloads"))).toBe("cmd+s");
    runAction(item, "Export CSV to Downloads");
    await waitFor(() => expect(callsTo("showHUD")).toHaveLength(1));
    expect(callsTo("showHUD")[0][0]).toBe("Exported mimo-usage-2026-11-19-to-2026-11-25.csv to export-test");
    const first = path.join(folder, "mimo-usage-2026-11-19-to-2026-11-25.csv");
    const text = await fs.readFile(first, "utf8");
    expect(text.split("\r\n")[7]).toMatch(/^2026-11-25,4000,400,0,0,4400,1,1,/);
    runAction(item, "Export CSV to Downloads");
    await waitFor(() => expect(callsTo("showHUD")).toHaveLength(2));
    expect(callsTo("showHUD")[1][0]).toBe("Exported mimo-usage-2026-11-19-to-2026-11-25 (2).csv to export-test");
    expect(await fs.readFile(first, "utf8")).toBe(text);
    expect(await fs.readFile(path.join(folder, "mimo-usage-2026-11-19-to-2026-11-25 (2).csv"), "utf8")).toBe(text);
  });

  it("opens MiMo Sessions on the day, only for days with use", async () => {
    renderHistory();
    runAction(findListItem("2026-11-24"), "Open Sessions of This Day");
    await waitFor(() =>
      expect(callsTo("launchCommand")).toEqual([
        [{ name: "sessions", type: LaunchType.UserInitiated, context: { day: "2026-11-24" } }],
      ]),
    );
    expect(() => findAction(findListItem("2026-11-20"), "Open Sessions of This Day")).toThrow();
  });

  it("refreshes with cmd+r", () => {
    const { onRefresh } = renderHistory();
    const item = findListItem("2026-11-24");
    expect(shortcutKeys(findAction(item, "Refresh"))).toBe("cmd+r");
    runAction(item, "Refresh");
    expect(onRefresh).toHaveBeenCalledTimes(1);
  });

  it("says what to do when there is no usage or no folder", async () => {
    const empty = await makeReport({ corpus: [], platform: null });
    fixtures.push(empty);
    renderHistory({ report: empty.report });
    expect(listItems()).toEqual([]);
    expect(titleOf(emptyView() as HTMLElement)).toBe("No Claude folder found");
  });
});

describe("the sessions list's day filter", () => {
  it("keeps the sessions active on the day, a session across midnight on both days", () => {
    const snapshot = report.local?.snapshot;
    if (!snapshot) throw new Error("the corpus did not scan");
    const ids = (day: string) => filterSessions(snapshot.sessions, snapshot, "day", day).map((s) => s.sessionId);
    expect(ids("2026-11-23")).toEqual(["long"]);
    expect(ids("2026-11-24")).toEqual(["b", "long"]);
    expect(ids("2026-11-22")).toEqual([]);
  });
});

describe("the history by client", () => {
  let fixture: ClientsFixture;
  const expected = clientDays();
  const clientActions = () =>
    actionsOf(findListItem("2026-11-22"))
      .filter((action) => titleOf(action.closest('[data-raycast="ActionPanel.Section"]') ?? action) === "Client")
      .map((action) => titleOf(action));
  const totalOf = (days: Record<string, { input: number; output: number; cacheRead: number; cacheWrite: number }>) =>
    Object.values(days).reduce((n, d) => n + d.input + d.output + d.cacheRead + d.cacheWrite, 0);
  const dayLabels = (date: string) =>
    Object.fromEntries(
      metadataLabels(detailOf(findListItem(date)) as HTMLElement)
        .filter((label) => ["Input", "Output", "Cache Read", "Cache Write"].includes(label.title))
        .map((label) => [label.title, label.text]),
    );

  beforeAll(async () => {
    fixture = await historyClientsReport();
  });
  afterAll(() => fixture.cleanup());

  it("offers All Clients and each client that counted tokens, only when there is more than one", () => {
    const { unmount } = renderHistory({ report: fixture.report });
    expect(clientActions()).toEqual(["Show All Clients", "Show Claude Code", "Show OpenCode", "Show Codex"]);
    unmount();
    renderHistory({ report: fixture.claudeOnly });
    expect(clientActions()).toEqual([]);
    expect(actionsOf(findListItem("2026-11-22")).map((action) => titleOf(action))).toContain("Chart by Model");
  });

  it("shows one client's exact days, names it in the title, and goes back to all clients", () => {
    renderHistory({ report: fixture.report });
    const allTotal = detailMarkdown("2026-11-22");
    const sum = totalOf(expected["claude-code"]) + totalOf(expected.opencode) + totalOf(expected.codex);
    expect(allTotal).toContain(`| **Total** | **${formatFull(sum)}** |`);
    runAction(findListItem("2026-11-22"), "Show OpenCode");
    const titles = sections().map((section) => section.title);
    expect(titles).toContain("Week of 2026-11-16 · OpenCode");
    expect(titles.every((title) => title?.endsWith(" · OpenCode"))).toBe(true);
    for (const [date, day] of Object.entries(expected.opencode)) {
      selectItem(findListItem(date));
      expect(dayLabels(date)).toEqual({
        Input: formatFull(day.input),
        Output: formatFull(day.output),
        "Cache Read": formatFull(day.cacheRead),
        "Cache Write": formatFull(day.cacheWrite),
      });
    }
    const markdown = detailMarkdown("2026-11-22");
    expect(markdown).toContain(`| **Total** | **${formatFull(totalOf(expected.opencode))}** |`);
    expect(markdown).toContain("Models are not split by client");
    expect(markdown).not.toContain("| Model |");
    expect(actionsOf(findListItem("2026-11-22")).map((action) => titleOf(action))).not.toContain("Chart by Model");
    // One client's days are not split by model, so its Credits are one series.
    runAction(findListItem("2026-11-22"), "Chart in Credits");
    expect(readChart(svgOf(detailMarkdown("2026-11-22"))).legend).toEqual(["Credits"]);
    runAction(findListItem("2026-11-22"), "Chart in Tokens");
    runAction(findListItem("2026-11-22"), "Show All Clients");
    expect(sections().map((section) => section.title)).toContain("Week of 2026-11-16");
    expect(detailMarkdown("2026-11-22")).toContain(`| **Total** | **${formatFull(sum)}** |`);
  });
});
