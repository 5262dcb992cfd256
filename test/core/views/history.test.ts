import {
  historyCsv,
  historyFileName,
  historyMarkdown,
  historyRange,
  historySections,
  HISTORY_RANGES,
  type HistoryDay,
} from "../../../src/core/views/history";
import {
  historyClients,
  historyDays,
  historySummary,
  modelsInRange,
  topProjects,
} from "../../../src/core/query/history";
import { busiestDay } from "../../../src/core/query/rank";
import { costOf } from "../../../src/core/rates";
import type { Snapshot } from "../../../src/core/views/schema";
import { useHistorySnapshot } from "../../helpers/history-corpus";
import { sumDays as sumPlanDays } from "../../helpers/clients";
import { clientDays, historyClientsReport, type ClientsFixture } from "../../helpers/history-clients";

const snapshot = useHistorySnapshot();

describe("history ranges", () => {
  it("resolves every range to inclusive local dates ending today", () => {
    const ranges = Object.fromEntries(HISTORY_RANGES.map((name) => [name, historyRange(name, snapshot())]));
    expect(ranges).toEqual({
      "last-7": { from: "2026-11-19", to: "2026-11-25" },
      "last-30": { from: "2026-10-27", to: "2026-11-25" },
      "last-90": { from: "2026-08-28", to: "2026-11-25" },
      "this-month": { from: "2026-11-01", to: "2026-11-25" },
      "last-month": { from: "2026-10-01", to: "2026-10-31" },
      all: { from: "2026-10-30", to: "2026-11-25" },
    });
  });

  it("lists every day of the range newest first, days without use included", () => {
    const days = historyDays(snapshot(), historyRange("last-7", snapshot()));
    expect(days.map((day) => [day.date, day.total, day.messages, day.sessions])).toEqual([
      ["2026-11-25", 4400, 1, 1],
      ["2026-11-24", 12_800, 2, 2],
      ["2026-11-23", 1100, 1, 1],
      ["2026-11-22", 0, 0, 0],
      ["2026-11-21", 0, 0, 0],
      ["2026-11-20", 0, 0, 0],
      ["2026-11-19", 0, 0, 0],
    ]);
    expect(days[1]).toMatchObject({ input: 12_000, output: 0, cacheRead: 500, cacheWrite: 300 });
    expect(costOf(days[3])).toBeNull();
  });

  it("keeps the engine's exact day figures, costs included", () => {
    const days = historyDays(snapshot(), historyRange("all", snapshot()));
    expect(days).toHaveLength(27);
    for (const row of snapshot().days) {
      const day = days.find((d) => d.date === row.date);
      expect(day).toMatchObject({ ...row });
    }
  });

  it("sections short ranges by week and long ones by month", () => {
    const week = historySections(historyDays(snapshot(), historyRange("last-30", snapshot())), snapshot());
    expect(week.map((s) => [s.title, s.days.length, s.total])).toEqual([
      ["Week of 2026-11-23", 3, 18_300],
      ["Week of 2026-11-16", 7, 0],
      ["Week of 2026-11-09", 7, 0],
      ["Week of 2026-11-02", 7, 0],
      ["Week of 2026-10-26", 6, 550],
    ]);
    const month = historySections(historyDays(snapshot(), historyRange("last-90", snapshot())), snapshot());
    expect(month.map((s) => [s.title, s.days.length, s.total])).toEqual([
      ["November 2026", 25, 18_300],
      ["October 2026", 31, 550],
      ["September 2026", 30, 0],
      ["August 2026", 4, 0],
    ]);
  });

  it("follows a Sunday week start", () => {
    const sections = historySections(historyDays(snapshot(), historyRange("last-7", snapshot())), {
      ...snapshot(),
      weekStart: "sunday",
    });
    expect(sections.map((s) => [s.title, s.days.map((d) => d.date.slice(8))])).toEqual([
      ["Week of 2026-11-22", ["25", "24", "23", "22"]],
      ["Week of 2026-11-15", ["21", "20", "19"]],
    ]);
  });
});

describe("history summary", () => {
  it("totals the range's four buckets exactly", () => {
    const summary = historySummary(snapshot(), "last-7");
    expect(summary.totals).toMatchObject({
      input: 17_000,
      output: 500,
      cacheRead: 500,
      cacheWrite: 300,
      total: 18_300,
      messages: 4,
      activeDays: 3,
    });
    expect(historySummary(snapshot(), "all").totals.total).toBe(snapshot().lifetime.total);
    expect(historySummary(snapshot(), "last-month").totals.total).toBe(550);
  });

  it("breaks the range down by model from the per-day per-model rows", () => {
    expect(
      modelsInRange(snapshot(), historyRange("last-7", snapshot())).map((m) => [m.model, m.total, m.messages]),
    ).toEqual([
      ["mimo-v2.5-pro", 11_400, 2],
      ["mimo-v2-flash", 4400, 1],
      ["mimo-v2.5", 2500, 1],
    ]);
    const yesterday = { from: "2026-11-24", to: "2026-11-24" };
    expect(modelsInRange(snapshot(), yesterday).map((m) => [m.model, m.input, m.cacheRead])).toEqual([
      ["mimo-v2.5-pro", 10_000, 0],
      ["mimo-v2.5", 2000, 500],
    ]);
  });

  it("ranks projects by the range's tokens", () => {
    expect(topProjects(snapshot(), historyRange("last-7", snapshot()))).toEqual([
      { project: "/p/beta", sessions: 1, total: 10_300 },
      { project: "/p/gamma", sessions: 1, total: 4400 },
      { project: "/p/alpha", sessions: 1, total: 3600 },
    ]);
    expect(topProjects(snapshot(), historyRange("all", snapshot()), 1)).toEqual([
      { project: "/p/beta", sessions: 1, total: 10_300 },
    ]);
    expect(topProjects(snapshot(), historyRange("last-month", snapshot()))).toEqual([
      { project: "/p/alpha", sessions: 1, total: 550 },
    ]);
  });

  it("names the busiest day, or none in a range without use", () => {
    expect(busiestDay(historyDays(snapshot(), historyRange("last-30", snapshot())))?.date).toBe("2026-11-24");
    expect(busiestDay(historyDays(snapshot(), { from: "2026-11-01", to: "2026-11-20" }))).toBeNull();
  });
});

describe("history exports", () => {
  const range = { from: "2026-11-22", to: "2026-11-24" };

  it("writes one CSV row per day, oldest first, with exact integers", () => {
    const days = historyDays(snapshot(), range);
    const csv = historyCsv(days);
    const lines = csv.split("\r\n");
    expect(lines[0]).toBe(
      "date,input_tokens,output_tokens,cache_read_tokens,cache_write_tokens,total_tokens,messages,sessions,credits,uncredited_tokens,estimated_cost,currency,cost_partial",
    );
    expect(lines.slice(1, 3)).toEqual([
      "2026-11-22,0,0,0,0,0,0,0,0,0,,,",
      expect.stringMatching(/^2026-11-23,1000,100,0,0,1100,1,1,/),
    ]);
    const row = lines[3].split(",");
    const engine = snapshot().days.find((d) => d.date === "2026-11-24");
    expect(row.slice(0, 8)).toEqual(["2026-11-24", "12000", "0", "500", "300", "12800", "2", "2"]);
    expect(Number(row[8])).toBe(engine?.credits);
    expect(Number(row[9])).toBe(engine?.uncreditedTokens);
    const cost = engine && costOf(engine);
    expect(Number(row[10])).toBeCloseTo(cost?.amount ?? NaN, 6);
    expect(row.slice(11)).toEqual([cost?.currency, String(cost?.partial)]);
    expect(lines).toHaveLength(5);
    expect(lines[4]).toBe("");
  });

  it("writes the same rows as a Markdown table", () => {
    const markdown = historyMarkdown(historyDays(snapshot(), range)).split("\n");
    expect(markdown[0]).toBe(
      "| Date | Input | Output | Cache read | Cache write | Total | Messages | Sessions | Credits | Unrated tokens | Est. cost | Currency | Partial |",
    );
    expect(markdown[1]).toBe(
      "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    );
    expect(markdown[2]).toBe("| 2026-11-22 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | 0 |  |  |  |");
    expect(markdown[4]).toMatch(/^\| 2026-11-24 \| 12000 \| 0 \| 500 \| 300 \| 12800 \| 2 \| 2 \| /);
    expect(markdown).toHaveLength(5);
  });

  it("names the export after the range", () => {
    expect(historyFileName(range)).toBe("mimo-usage-2026-11-22-to-2026-11-24.csv");
  });
});

describe("history by client", () => {
  let fixture: ClientsFixture;
  let multi: Snapshot;
  const range = { from: "2026-11-20", to: "2026-11-23" };
  const expected = clientDays();
  const bucketsOf = (day: { input: number; output: number; cacheRead: number; cacheWrite: number }) => ({
    input: day.input,
    output: day.output,
    cacheRead: day.cacheRead,
    cacheWrite: day.cacheWrite,
  });
  const used = (days: HistoryDay[]) =>
    Object.fromEntries(days.filter((d) => d.messages > 0).map((d) => [d.date, bucketsOf(d)]));

  beforeAll(async () => {
    fixture = await historyClientsReport();
    if (!fixture.report.local) throw new Error("the clients did not scan");
    multi = fixture.report.local.snapshot;
  });
  afterAll(() => fixture.cleanup());

  it("offers the clients that counted tokens, and none while Claude Code is the only one", () => {
    expect(historyClients(multi)).toEqual(["claude-code", "opencode", "codex"]);
    const single = fixture.claudeOnly.local?.snapshot;
    if (!single) throw new Error("the transcripts did not scan");
    expect(single.dayClients).toEqual([]);
    expect(historyClients(single)).toEqual([]);
    expect(historyClients(snapshot())).toEqual([]);
  });

  it.each(["claude-code", "opencode", "codex"] as const)("shows exactly %s's own days", (client) => {
    const days = historyDays(multi, range, client);
    expect(used(days)).toEqual(expected[client]);
    const summary = historySummary(multi, "all", client);
    const own = Object.values(expected[client]);
    expect(bucketsOf(summary.totals)).toEqual({
      input: own.reduce((n, d) => n + d.input, 0),
      output: own.reduce((n, d) => n + d.output, 0),
      cacheRead: own.reduce((n, d) => n + d.cacheRead, 0),
      cacheWrite: own.reduce((n, d) => n + d.cacheWrite, 0),
    });
    expect(summary.totals.activeDays).toBe(own.length);
  });

  it("keeps all clients' days the sum of the clients' own", () => {
    expect(used(historyDays(multi, range))).toEqual(
      sumPlanDays(expected["claude-code"], expected.opencode, expected.codex),
    );
    const whole = historySummary(multi, "all").totals.total;
    const parts = (["claude-code", "opencode", "codex"] as const).map((c) => historySummary(multi, "all", c).totals);
    expect(parts.reduce((n, t) => n + t.total, 0)).toBe(whole);
    expect(parts.reduce((n, t) => n + t.messages, 0)).toBe(historySummary(multi, "all").totals.messages);
  });

  it("counts a client's sessions and projects only, and leaves out what is not split by client", () => {
    const summary = historySummary(multi, "all", "opencode");
    expect(summary.projects.map((p) => p.project).sort()).toEqual(["/work/opencode-ses_a", "/work/opencode-ses_b"]);
    expect(summary.days.find((d) => d.date === "2026-11-20")?.sessions).toBe(1);
    expect(summary.models).toEqual([]);
    expect(summary.clients).toEqual([]);
    expect(historySummary(multi, "all").models.length).toBeGreaterThan(0);
    expect(historySummary(multi, "all", "claude-code").projects).toEqual([
      expect.objectContaining({ project: "/p/claude", sessions: 1 }),
    ]);
  });
});
