/** @jest-environment ./test/raycast/environment.ts */
import { promises as fs } from "node:fs";
import path from "node:path";
import { render, waitFor } from "@testing-library/react";
import { Keyboard } from "@raycast/api";
import { SessionList } from "../../src/components/SessionList";
import { LAST_SNAPSHOT_FILE } from "../../src/core/settings";
import type { UsageReport } from "../../src/core/chain/report-schema";
import type { SessionRecord, Snapshot } from "../../src/core/views/schema";
import { callsTo } from "../raycast/api-double";
import {
  accessoriesOf,
  actionsOf,
  detailOf,
  dropdownOptions,
  emptyView,
  findAction,
  findAll,
  findListItem,
  isLoading,
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
  shortcutOf,
  titleOf,
  typeSearch,
} from "../raycast/query";
import { assistant } from "../helpers/transcripts";
import { rescan } from "../helpers/report";
import { useReportFixtures } from "../helpers/ui-reports";
import { readChart } from "../helpers/chart-svg";
import { chartPalette, type ChartAppearance } from "../../src/core/views/chart-frame";

const reports = useReportFixtures();

function renderList(report: UsageReport | undefined, isLoadingNow = false, appearance: ChartAppearance = "dark") {
  const onRefresh = jest.fn();
  const view = render(
    <SessionList report={report} isLoading={isLoadingNow} onRefresh={onRefresh} appearance={appearance} />,
  );
  return { onRefresh, ...view };
}

function snapshotOf(report: UsageReport): Snapshot {
  if (!report.local) throw new Error("The report has no local section");
  return report.local.snapshot;
}

function withSessions(report: UsageReport, sessions: SessionRecord[]): UsageReport {
  if (!report.local) throw new Error("The report has no local section");
  return { ...report, local: { ...report.local, snapshot: { ...report.local.snapshot, sessions } } };
}

function visibleTitles(): string[] {
  return listItems().map((item) => titleOf(item) ?? "");
}

function fileOf(report: UsageReport, sessionId: string): string {
  const session = snapshotOf(report).sessions.find((candidate) => candidate.sessionId === sessionId);
  if (!session?.file) throw new Error(`No transcript for ${sessionId}`);
  return session.file;
}

/** The alt text and SVG of the `data:image/svg+xml;base64,…` markdown image. */
function imageOf(markdown: string): { alt: string; svg: string } {
  const match = /^!\[([^\]]*)\]\(data:image\/svg\+xml;base64,([A-Za-z0-9+/=]+)\)$/.exec(markdown);
  if (!match) throw new Error(`No SVG data URL image in: ${markdown}`);
  return { alt: match[1], svg: Buffer.from(match[2], "base64").toString("utf8") };
}

function chartOf(name: string): { alt: string; svg: string } {
  const detail = detailOf(findListItem(name));
  if (!detail) throw new Error("No detail shown");
  return imageOf(markdownOf(detail) ?? "");
}

describe("SessionList items", () => {
  it("groups sessions newest first under Today, Yesterday and then dates", () => {
    renderList(reports.base.report);
    expect(sections()).toEqual([
      { title: "Today", items: ["webapp"] },
      { title: "Yesterday", items: ["cli"] },
      { title: "2026-11-10", items: ["old"] },
    ]);
    expect(findAll("List.Section").map((section) => propsOf(section).subtitle)).toEqual(["1", "1", "1"]);
    expect(isLoading(list())).toBe(false);
    expect(propsOf(list()).isShowingDetail).toBe(false);
    expect(emptyView()).toBeNull();
  });

  it("titles items by project folder, with the summary or the session ID, tokens, model and date", () => {
    renderList(reports.base.report);
    const webapp = findListItem("webapp");
    expect(propsOf(webapp).subtitle).toBe("Fix the login flow");
    expect(accessoriesOf(webapp)).toEqual([
      { text: "1.2M", tooltip: "1,240,000 tokens" },
      { tag: "mimo-v2.5-pro" },
      { date: "2026-11-25T10:30:00.000Z", tooltip: "Last activity 2026-11-25T10:30:00.000Z" },
    ]);
    const cli = findListItem("cli");
    expect(propsOf(cli).subtitle).toBe("b2");
    expect(accessoriesOf(cli)).toEqual([
      { text: "40K", tooltip: "40,000 tokens" },
      { tag: "mimo-v2.5" },
      { date: "2026-11-24T08:00:00.000Z", tooltip: "Last activity 2026-11-24T08:00:00.000Z" },
    ]);
    expect(propsOf(findListItem("old")).subtitle).toBe("c3");
  });

  it("tags a session that used several models with the first and a count", async () => {
    const made = await reports.fixture();
    const line = assistant({
      id: "5",
      req: "5",
      session: "a1",
      ts: "2026-11-25T11:00:00Z",
      input: 1_000,
      model: "mimo-v2.5",
      cwd: "/Users/me/work/webapp",
    });
    await fs.appendFile(path.join(made.root, "projects", "-Users-me-work-webapp", "a1.jsonl"), `${line}\n`);
    renderList(await rescan(made));
    expect(accessoriesOf(findListItem("webapp"))[1]).toEqual({ tag: "mimo-v2.5 +1" });
  });

  it("names sessions without a working directory and leaves out file actions for deleted transcripts", () => {
    const [a1, b2, c3] = snapshotOf(reports.base.report).sessions;
    renderList(withSessions(reports.base.report, [a1, b2, { ...c3, project: null, file: null }]));
    const orphan = findListItem("Unknown project");
    expect(actionsOf(orphan).map(titleOf)).toEqual([
      "Show Detail",
      "Copy Session ID",
      "Copy Resume Command",
      "Refresh",
    ]);
    selectItem(orphan);
    runAction(orphan, "Show Detail");
    const detail = detailOf(findListItem("Unknown project"));
    if (!detail) throw new Error("No detail shown");
    expect(metadataLabels(detail)).toEqual(
      expect.arrayContaining([
        { title: "Project", text: "Unknown" },
        { title: "Transcript", text: "Deleted by Claude Code" },
      ]),
    );
  });

  it("keeps a session whose transcript Claude Code deleted, without file actions", async () => {
    const made = await reports.fixture();
    await fs.rm(path.join(made.root, "projects", "-Users-me-work-cli", "b2.jsonl"));
    renderList(await rescan(made));
    const cli = findListItem("cli");
    expect(accessoriesOf(cli)[0]).toEqual({ text: "40K", tooltip: "40,000 tokens" });
    expect(actionsOf(cli).map(titleOf)).toEqual(["Show Detail", "Copy Session ID", "Copy Resume Command", "Refresh"]);
    selectItem(cli);
    runAction(cli, "Show Detail");
    const detail = detailOf(findListItem("cli"));
    if (!detail) throw new Error("No detail shown");
    expect(metadataLabels(detail).at(-1)).toEqual({ title: "Transcript", text: "Deleted by Claude Code" });
  });
});

describe("SessionList filters", () => {
  it("filters by Today, This Week or All Sessions from the dropdown", () => {
    renderList(reports.base.report);
    expect(dropdownOptions()).toEqual([
      { title: "All Sessions", value: "all" },
      { title: "This Week", value: "week" },
      { title: "Today", value: "today" },
    ]);
    pickDropdown("today");
    expect(sections()).toEqual([{ title: "Today", items: ["webapp"] }]);
    pickDropdown("week");
    expect(sections()).toEqual([
      { title: "Today", items: ["webapp"] },
      { title: "Yesterday", items: ["cli"] },
    ]);
    pickDropdown("all");
    expect(visibleTitles()).toEqual(["webapp", "cli", "old"]);
  });

  it.each([
    ["cli", ["cli"]],
    ["work/old", ["old"]],
    ["c3", ["old"]],
    ["a1", ["webapp"]],
    ["mimo-v2.5-pro", ["webapp", "old"]],
    ["mimo-v2.5", ["webapp", "cli", "old"]],
    ["login", ["webapp"]],
  ])("finds %p by project, session ID, model or summary", (text, expected) => {
    renderList(reports.base.report);
    typeSearch(text);
    expect(visibleTitles()).toEqual(expected);
  });

  it("says no session matches a search that finds nothing", () => {
    renderList(reports.base.report);
    typeSearch("nothing-like-this");
    expect(visibleTitles()).toEqual([]);
    const empty = emptyView();
    expect(empty && titleOf(empty)).toBe("No matching sessions");
    expect(empty && propsOf(empty).description).toBe("Try another search.");
  });

  it("combines the dropdown with the search", () => {
    renderList(reports.base.report);
    pickDropdown("week");
    typeSearch("mimo-v2.5-pro");
    expect(visibleTitles()).toEqual(["webapp"]);
  });
});

describe("SessionList detail and actions", () => {
  it("gives every action of a session its own shortcut, each meaning what it says", () => {
    renderList(reports.base.report);
    const webapp = findListItem("webapp");
    const keys = actionsOf(webapp)
      .map(shortcutKeys)
      .filter((key): key is string => key !== undefined);
    expect(new Set(keys).size).toBe(keys.length);
    expect(shortcutOf(findAction(webapp, "Copy Resume Command"))).not.toEqual(Keyboard.Shortcut.Common.CopyName);
    expect(shortcutKeys(findAction(webapp, "Copy Resume Command"))).toBe("cmd+shift+r");
  });

  it("toggles a detail pane with cmd+d that shows every figure of the selected session", () => {
    renderList(reports.base.report);
    const webapp = findListItem("webapp");
    const toggle = findAction(webapp, "Show Detail");
    expect(shortcutOf(toggle)).toEqual({ modifiers: ["cmd"], key: "d" });
    expect(shortcutKeys(toggle)).toBe("cmd+d");
    expect(detailOf(webapp)).toBeNull();

    runAction(webapp, "Show Detail");
    expect(propsOf(list()).isShowingDetail).toBe(true);
    const shown = findListItem("webapp");
    // The pane takes the room of the subtitle and all accessories but the tokens.
    expect(propsOf(shown).subtitle).toBeUndefined();
    expect(accessoriesOf(shown)).toEqual([{ text: "1.2M", tooltip: "1,240,000 tokens" }]);
    const detail = detailOf(shown);
    if (!detail) throw new Error("No detail shown");
    expect(metadataLabels(detail)).toEqual([
      { title: "Session ID", text: "a1" },
      { title: "Project", text: "/Users/me/work/webapp" },
      { title: "Started", text: "2026-11-25 09:00" },
      { title: "Last Activity", text: "2026-11-25 10:30" },
      { title: "Duration", text: "1 h 30 min" },
      { title: "Models", text: "mimo-v2.5-pro" },
      { title: "Messages", text: "2" },
      { title: "Total Tokens", text: "1.2M (1,240,000)" },
      { title: "Input", text: "1,005,000" },
      { title: "Output", text: "201,000" },
      { title: "Cache Read", text: "30,000" },
      { title: "Cache Write", text: "4,000" },
      { title: "Credits", text: "423M Credits (423,375,000)" },
      { title: "Estimated Cost", text: "¥4.23" },
      { title: "Transcript", text: fileOf(reports.base.report, "a1") },
    ]);

    runAction(shown, "Hide Detail");
    expect(propsOf(list()).isShowingDetail).toBe(false);
    expect(detailOf(findListItem("webapp"))).toBeNull();
    expect(propsOf(findListItem("webapp")).subtitle).toBe("Fix the login flow");
  });

  it("charts the session's tokens as an SVG data URL in the detail markdown, titled with its step and span", () => {
    renderList(reports.base.report);
    runAction(findListItem("webapp"), "Show Detail");
    const { alt, svg } = chartOf("webapp");
    expect(svg).toMatch(/^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
    const chart = readChart(svg);
    // The series is sparse (only slots with tokens), so the step is the slot, not the gap between bars.
    expect(chart.title).toBe("Tokens per 15 min · 2026-11-25 09:00 – 10:45");
    expect(alt).toBe(chart.title);
    // One bar per 15-minute slot with activity: 09:00 (1,234,000 tokens) and 10:30 (6,000).
    expect(chart.bars.map((bar) => [bar.at, bar.value])).toEqual([
      ["2026-11-25T09:00:00.000Z", 1_234_000],
      ["2026-11-25T10:30:00.000Z", 6_000],
    ]);
    expect(chart.valueLabels.map((label) => label.text)).toEqual(["0", "1.2M", "617K"]);
    expect(chart.timeLabels[0].text).toBe("09:00");
    expect(chart.timeLabels[chart.timeLabels.length - 1].text).toBe("10:45");
  });

  it("switches the chart to Credits and back with cmd+u", () => {
    renderList(reports.base.report);
    expect(actionsOf(findListItem("webapp")).map(titleOf)).not.toContain("Chart in Credits");
    runAction(findListItem("webapp"), "Show Detail");
    const action = findAction(findListItem("webapp"), "Chart in Credits");
    expect(shortcutKeys(action)).toBe("cmd+u");
    runAction(findListItem("webapp"), "Chart in Credits");
    const chart = readChart(chartOf("webapp").svg);
    expect(chart.title).toBe("Credits per 15 min · 2026-11-25 09:00 – 10:45");
    // 09:00: 1M in and 4K cache write at 300, 200K out at 600, 30K cache read at 2.5; 10:30: 5K in, 1K out.
    expect(chart.bars.map((bar) => bar.value)).toEqual([421_275_000, 2_100_000]);
    expect(chart.valueLabels.map((label) => label.text)).toEqual(["0", "421M", "211M"]);
    // The choice is the list's, not the item's: another session's chart follows it.
    selectItem(findListItem("cli"));
    expect(readChart(chartOf("cli").svg).title).toMatch(/^Credits per 15 min/);
    runAction(findListItem("cli"), "Chart in Tokens");
    expect(readChart(chartOf("cli").svg).title).toMatch(/^Tokens per 15 min/);
  });

  it("draws the chart in Raycast's appearance", () => {
    for (const appearance of ["light", "dark"] as const) {
      const view = renderList(reports.base.report, false, appearance);
      runAction(findListItem("webapp"), "Show Detail");
      const chart = readChart(chartOf("webapp").svg);
      expect(chart.titleFill).toBe(chartPalette(appearance).text);
      expect(chart.bars[0].fill).toBe(chartPalette(appearance).series[0]);
      view.unmount();
    }
  });

  it("describes a long session's coarser chart step", async () => {
    const made = await reports.fixture();
    // 2026-11-24 08:00 to 2026-11-26 08:00 in one session: 193 slots of 15 min, drawn 3 slots (45 min) per bar.
    const lines = ["2026-11-24T08:00:00Z", "2026-11-25T08:00:00Z", "2026-11-26T08:00:00Z"].map((ts, i) =>
      assistant({ id: `long-${i}`, req: `long-${i}`, session: "long", ts, input: 1_000, cwd: "/Users/me/long" }),
    );
    const projects = path.join(made.root, "projects", "-Users-me-long");
    await fs.mkdir(projects, { recursive: true });
    await fs.writeFile(path.join(projects, "long.jsonl"), `${lines.join("\n")}\n`);
    renderList(await rescan(made, { now: new Date("2026-11-26T09:00:00Z") }));
    runAction(findListItem("long"), "Show Detail");
    const detail = detailOf(findListItem("long"));
    if (!detail) throw new Error("No detail shown");
    const chart = readChart(chartOf("long").svg);
    expect(chart.title).toBe("Tokens per 45 min · 2026-11-24 08:00 – 2026-11-26 08:45");
    expect(chart.timeLabels.map((label) => label.text)).toContain("11-25 00:00");
    expect(metadataLabels(detail)).toContainEqual({ title: "Duration", text: "48 h" });
  });

  it("follows the selection with the detail pane", () => {
    renderList(reports.base.report);
    runAction(findListItem("webapp"), "Show Detail");
    selectItem(findListItem("cli"));
    expect(detailOf(findListItem("webapp"))).toBeNull();
    const detail = detailOf(findListItem("cli"));
    if (!detail) throw new Error("No detail shown");
    expect(metadataLabels(detail).slice(0, 2)).toEqual([
      { title: "Session ID", text: "b2" },
      { title: "Project", text: "/Users/me/work/cli" },
    ]);
  });

  it("opens, reveals and copies the session, and refreshes with cmd+r", async () => {
    const { onRefresh } = renderList(reports.base.report);
    const webapp = findListItem("webapp");
    const file = fileOf(reports.base.report, "a1");
    expect(actionsOf(webapp).map(titleOf)).toEqual([
      "Show Detail",
      "Open Transcript",
      "Show in Finder",
      "Copy Session ID",
      "Copy Resume Command",
      "Refresh",
    ]);
    expect(propsOf(findAction(webapp, "Open Transcript")).target).toBe(file);

    runAction(webapp, "Open Transcript");
    runAction(webapp, "Show in Finder");
    runAction(webapp, "Copy Session ID");
    runAction(webapp, "Copy Resume Command");
    await waitFor(() => expect(callsTo("Clipboard.copy")).toHaveLength(2));
    expect(callsTo("open")).toEqual([[file]]);
    expect(callsTo("showInFinder")).toEqual([[file]]);
    expect(callsTo("Clipboard.copy")).toEqual([["a1"], ["claude --resume a1"]]);

    const refresh = findAction(webapp, "Refresh");
    expect(shortcutOf(refresh)).toEqual(Keyboard.Shortcut.Common.Refresh);
    expect(shortcutKeys(refresh)).toBe("cmd+r");
    runAction(webapp, "Refresh");
    expect(onRefresh).toHaveBeenCalledTimes(1);
  });
});

describe("SessionList empty and loading states", () => {
  it("shows only the spinner while the first report loads", () => {
    renderList(undefined, true);
    expect(isLoading(list())).toBe(true);
    expect(listItems()).toEqual([]);
    expect(emptyView()).toBeNull();
  });

  it("keeps showing the last report while it reloads", () => {
    renderList(reports.base.report, true);
    expect(isLoading(list())).toBe(true);
    expect(visibleTitles()).toEqual(["webapp", "cli", "old"]);
  });

  it("says no folder was found, and offers preferences and refresh", async () => {
    const made = await reports.fixture({ corpus: [], platform: null });
    const { onRefresh } = renderList(made.report);
    const empty = emptyView();
    if (!empty) throw new Error("No empty view");
    expect(titleOf(empty)).toBe("No Claude folder found");
    expect(propsOf(empty).description).toBe(
      `No projects/ folder in ${made.root}. Set your MiMo Claude config folder in preferences.`,
    );
    expect(actionsOf(empty).map(titleOf)).toEqual(["Open Extension Preferences", "Refresh"]);
    runAction(empty, "Open Extension Preferences");
    expect(callsTo("openExtensionPreferences")).toHaveLength(1);
    expect(shortcutKeys(findAction(empty, "Refresh"))).toBe("cmd+r");
    runAction(empty, "Refresh");
    expect(onRefresh).toHaveBeenCalledTimes(1);
  });

  it("says there are no MiMo sessions yet when the folder holds none", async () => {
    const made = await reports.fixture({ corpus: [], platform: null });
    await fs.mkdir(path.join(made.root, "projects"), { recursive: true });
    renderList(await rescan(made, { platform: null }));
    const empty = emptyView();
    expect(empty && titleOf(empty)).toBe("No MiMo sessions yet");
    expect(empty && propsOf(empty).description).toBe(
      "Run Claude Code through your MiMo wrapper; its sessions appear here.",
    );
  });

  it("says the scan failed, with the reason, when there is no snapshot at all", async () => {
    const made = await reports.fixture({ corpus: [], platform: null });
    // A first run, with nothing saved to fall back on.
    await fs.rm(path.join(made.dir, "support", LAST_SNAPSHOT_FILE));
    const report = await rescan(made, { modelFilter: "(", platform: null });
    expect(report.local).toBeNull();
    renderList(report);
    const empty = emptyView();
    expect(empty && titleOf(empty)).toBe("Scan failed");
    expect(empty && propsOf(empty).description).toBe('The model filter "(" is not a valid regular expression.');
    expect(empty && actionsOf(empty).map(titleOf)).toEqual(["Open Extension Preferences", "Refresh"]);
  });

  it("lists the cached sessions when the scan failed but a snapshot was saved", async () => {
    renderList(await rescan(reports.base, { modelFilter: "(" }));
    expect(visibleTitles()).toEqual(["webapp", "cli", "old"]);
    expect(emptyView()).toBeNull();
  });

  it("says there were no sessions today or this week, pointing at All Sessions", async () => {
    const nextWeek = await reports.fixture({ now: new Date("2026-12-01T12:00:00Z") });
    renderList(nextWeek.report);
    pickDropdown("today");
    let empty = emptyView();
    expect(empty && titleOf(empty)).toBe("No sessions today");
    expect(empty && propsOf(empty).description).toBe("Pick All Sessions in the dropdown to see older ones.");
    pickDropdown("week");
    empty = emptyView();
    expect(empty && titleOf(empty)).toBe("No sessions this week");
    // The detail pane cannot be shown over an empty list.
    expect(propsOf(list()).isShowingDetail).toBe(false);
    pickDropdown("all");
    expect(sections().map((section) => section.title)).toEqual(["2026-11-25", "2026-11-24", "2026-11-10"]);
  });

  it("says nothing matches when a search empties a filtered list, not that the period was empty", async () => {
    renderList(reports.base.report);
    pickDropdown("today");
    typeSearch("nothing-like-this");
    const empty = emptyView();
    expect(empty && titleOf(empty)).toBe("No matching sessions");
  });
});
