import {
  chartBars,
  chartPalette,
  chartSeries,
  historyChartSvg,
  MAX_CHART_BARS,
} from "../../../src/core/views/history-chart";
import { historyRange } from "../../../src/core/views/history";
import { historyDays } from "../../../src/core/query/history";
import { readChart } from "../../helpers/chart-svg";
import { useHistorySnapshot } from "../../helpers/history-corpus";

const snapshot = useHistorySnapshot();

interface Bar {
  date: string;
  total: number;
  /** The bar's height in the chart's unit. */
  value: number;
  segments: { height: number; fill: string }[];
}

/** Reads the bars back out of the SVG: one group per day with its stacked rectangles. */
function bars(svg: string): Bar[] {
  return [...svg.matchAll(/<g data-date="([\d-]+)" data-total="(\d+)" data-value="([\d.e+]+)">(.*?)<\/g>/g)].map(
    ([, date, total, value, body]) => ({
      date,
      total: Number(total),
      value: Number(value),
      segments: [...body.matchAll(/<rect [^>]*height="([\d.]+)" fill="(#[0-9A-F]{6})"\/>/g)].map(([, h, fill]) => ({
        height: Number(h),
        fill,
      })),
    }),
  );
}

function plotHeight(svg: string): number {
  const { plot } = readChart(svg);
  return plot.bottom - plot.top;
}

describe("history chart", () => {
  it("draws one bar per day, oldest first, whose stacked height matches the day's total", () => {
    const days = historyDays(snapshot(), historyRange("last-7", snapshot()));
    const svg = historyChartSvg(days, { appearance: "dark", stackBy: "bucket" });
    const drawn = bars(svg);
    expect(drawn.map((bar) => [bar.date, bar.total])).toEqual([...days].reverse().map((day) => [day.date, day.total]));
    const max = Math.max(...days.map((day) => day.total));
    for (const bar of drawn) {
      const height = bar.segments.reduce((sum, s) => sum + s.height, 0);
      expect(height).toBeCloseTo((plotHeight(svg) * bar.total) / max, 0);
    }
    expect(drawn.filter((bar) => bar.segments.length === 0).map((bar) => bar.date)).toEqual([
      "2026-11-19",
      "2026-11-20",
      "2026-11-21",
      "2026-11-22",
    ]);
  });

  it("stacks by bucket: each day's bucket values add up to its total", () => {
    const days = historyDays(snapshot(), historyRange("last-7", snapshot()));
    const series = chartSeries(days, { appearance: "light", stackBy: "bucket" });
    expect(series.map((s) => s.label)).toEqual(["Input", "Output", "Cache read", "Cache write"]);
    const ordered = [...days].reverse();
    ordered.forEach((day, i) => expect(series.reduce((sum, s) => sum + s.values[i], 0)).toBe(day.total));
  });

  it("stacks by model with the per-day per-model rows, largest model first", () => {
    const days = historyDays(snapshot(), historyRange("last-7", snapshot()));
    const options = { appearance: "light" as const, stackBy: "model" as const, dayModels: snapshot().dayModels };
    const series = chartSeries(days, options);
    expect(series.map((s) => s.label)).toEqual(["mimo-v2.5-pro", "mimo-v2-flash", "mimo-v2.5"]);
    const ordered = [...days].reverse();
    ordered.forEach((day, i) => expect(series.reduce((sum, s) => sum + s.values[i], 0)).toBe(day.total));
    const svg = historyChartSvg(days, options);
    const busiest = bars(svg).find((bar) => bar.date === "2026-11-24");
    expect(busiest?.segments.map((s) => s.fill)).toEqual([series[0].color, series[2].color]);
    for (const label of ["mimo-v2.5-pro", "mimo-v2-flash", "mimo-v2.5"]) expect(svg).toContain(`>${label}</text>`);
  });

  it("follows the light and dark appearance", () => {
    const days = historyDays(snapshot(), historyRange("last-7", snapshot()));
    const light = historyChartSvg(days, { appearance: "light", stackBy: "bucket" });
    const dark = historyChartSvg(days, { appearance: "dark", stackBy: "bucket" });
    for (const [svg, appearance] of [
      [light, "light"],
      [dark, "dark"],
    ] as const) {
      const palette = chartPalette(appearance);
      const fills = new Set(bars(svg).flatMap((bar) => bar.segments.map((s) => s.fill)));
      for (const fill of fills) expect(palette.series).toContain(fill);
      expect(svg).toContain(`fill="${palette.text}"`);
      expect(svg).toContain(`stroke="${palette.axis}"`);
    }
    expect(chartPalette("light").text).not.toBe(chartPalette("dark").text);
    expect(chartPalette("light").series[0]).not.toBe(chartPalette("dark").series[0]);
  });

  it("titles itself with what the bars are and the range's dates", () => {
    const days = historyDays(snapshot(), historyRange("last-7", snapshot()));
    const chart = readChart(historyChartSvg(days, { appearance: "dark", stackBy: "bucket" }));
    expect(chart.title).toBe("Daily tokens by token type · 2026-11-19 – 2026-11-25");
    expect(chart.note).toBeNull();
    expect(chart.legend).toEqual(["Input", "Output", "Cache read", "Cache write"]);
  });

  it("tops its value axis with the busiest day, with a midline", () => {
    const days = historyDays(snapshot(), historyRange("last-7", snapshot()));
    const chart = readChart(
      historyChartSvg(days, { appearance: "light", stackBy: "model", dayModels: snapshot().dayModels }),
    );
    // 2026-11-24: 2,500 of "long" and 10,300 of "b".
    expect(Math.max(...days.map((day) => day.total))).toBe(12_800);
    expect(chart.valueLabels).toEqual([
      { value: 0, text: "0", y: chart.plot.bottom },
      { value: 12_800, text: "12.8K", y: chart.plot.top },
      { value: 6_400, text: "6.4K", y: expect.closeTo((chart.plot.top + chart.plot.bottom) / 2, 0) },
    ]);
  });

  it("dates every day of a week, in order, the ends in full", () => {
    const days = historyDays(snapshot(), historyRange("last-7", snapshot()));
    const labels = readChart(historyChartSvg(days, { appearance: "dark", stackBy: "bucket" })).timeLabels;
    expect(labels.map((label) => label.text)).toEqual([
      "2026-11-19",
      "11-20",
      "11-21",
      "11-22",
      "11-23",
      "11-24",
      "2026-11-25",
    ]);
    const xs = labels.map((label) => label.x);
    expect(xs).toEqual([...xs].sort((a, b) => a - b));
  });

  it("dates a month by its week starts, clear of the ends", () => {
    const days = historyDays(snapshot(), { from: "2026-10-27", to: "2026-11-25" });
    const labels = readChart(
      historyChartSvg(days, { appearance: "dark", stackBy: "bucket", weekStart: "monday" }),
    ).timeLabels;
    expect(labels.map((label) => label.at)).toEqual([
      "2026-10-27",
      "2026-11-02",
      "2026-11-09",
      "2026-11-16",
      "2026-11-25",
    ]);
    expect(labels.map((label) => label.text)).toEqual(["2026-10-27", "11-02", "11-09", "11-16", "2026-11-25"]);
  });
});

describe("history chart in Credits", () => {
  // In the corpus's last week: 11-23 1,000 in and 100 out on v2.5-pro (360,000 Credits); 11-24 2,000 in
  // and 500 cache read on v2.5 (201,000) and 10,300 uncached on v2.5-pro (3,090,000); 11-25 4,400 of
  // mimo-v2-flash, which has no rate.
  const week = () => historyDays(snapshot(), historyRange("last-7", snapshot()));

  it("stacks each model's Credits and tops the axis with the dearest day", () => {
    const options = { appearance: "dark" as const, stackBy: "model" as const, unit: "credits" as const };
    const svg = historyChartSvg(week(), { ...options, dayModels: snapshot().dayModels });
    const chart = readChart(svg);
    expect(chart.title).toBe("Daily Credits by model · 2026-11-19 – 2026-11-25");
    expect(chart.note).toBe("4.4K tokens with no rate left out");
    // mimo-v2-flash has no rate: nothing of it to stack or name.
    expect(chart.legend).toEqual(["mimo-v2.5-pro", "mimo-v2.5"]);
    expect(bars(svg).map((bar) => [bar.date, bar.value])).toEqual([
      ["2026-11-19", 0],
      ["2026-11-20", 0],
      ["2026-11-21", 0],
      ["2026-11-22", 0],
      ["2026-11-23", 360_000],
      ["2026-11-24", 3_291_000],
      ["2026-11-25", 0],
    ]);
    expect(chart.valueLabels.map((label) => [label.value, label.text])).toEqual([
      [0, "0"],
      [3_291_000, "3.29M"],
      [1_645_500, "1.65M"],
    ]);
  });

  it("splits Credits by token type at each model's rates, adding up to the day's Credits", () => {
    const days = week();
    const series = chartSeries(days, {
      appearance: "light",
      stackBy: "bucket",
      unit: "credits",
      dayModels: snapshot().dayModels,
    });
    expect(series.map((s) => s.label)).toEqual(["Input", "Output", "Cache read", "Cache write"]);
    const busiest = [...days].reverse().findIndex((day) => day.date === "2026-11-24");
    expect(series.map((s) => s.values[busiest])).toEqual([3_200_000, 0, 1_000, 90_000]);
    [...days]
      .reverse()
      .forEach((day, i) => expect(series.reduce((n, s) => n + s.values[i], 0)).toBeCloseTo(day.credits, 6));
  });

  it("draws one Credits series where the days are not split by model (one client's history)", () => {
    const days = week();
    const series = chartSeries(days, { appearance: "light", stackBy: "bucket", unit: "credits" });
    expect(series.map((s) => s.label)).toEqual(["Credits"]);
    expect(series[0].values).toEqual([...days].reverse().map((day) => day.credits));
    const chart = readChart(historyChartSvg(days, { appearance: "light", stackBy: "bucket", unit: "credits" }));
    expect(chart.title).toBe("Daily Credits · 2026-11-19 – 2026-11-25");
  });
});

describe("history chart of a long range", () => {
  it("draws weekly bars past 92 days and monthly bars past 92 weeks, each the sum of its days", () => {
    const year = historyDays(snapshot(), { from: "2025-11-26", to: "2026-11-25" });
    const weekly = chartBars(year, "monday");
    expect(weekly[0]).toMatchObject({ step: "week", date: "2025-11-24" });
    expect(weekly.length).toBeLessThanOrEqual(MAX_CHART_BARS);
    expect(weekly.reduce((sum, bar) => sum + bar.total, 0)).toBe(snapshot().lifetime.total);
    expect(weekly.find((bar) => bar.date === "2026-11-23")?.total).toBe(18_300);
    expect(weekly.find((bar) => bar.date === "2026-10-26")?.total).toBe(550);
    const svg = historyChartSvg(year, {
      appearance: "dark",
      stackBy: "model",
      dayModels: snapshot().dayModels,
      weekStart: "monday",
    });
    expect(bars(svg).map((bar) => [bar.date, bar.total])).toEqual(weekly.map((bar) => [bar.date, bar.total]));
    expect(svg).toContain("<title>week of 2026-11-23: 18.3K tokens</title>");
    const chart = readChart(svg);
    expect(chart.title).toBe("Weekly tokens by model · 2025-11-26 – 2026-11-25");
    expect(chart.timeLabels[0]).toMatchObject({ text: "2025-11-26", at: "2025-11-26" });
    const between = chart.timeLabels.slice(1, -1);
    expect(between.length).toBeGreaterThan(0);
    // Weekly bars are labelled at the first week of a month.
    for (const label of between) expect(Number(label.at.slice(8))).toBeLessThanOrEqual(7);

    const years = historyDays(snapshot(), { from: "2023-11-26", to: "2026-11-25" });
    const monthly = chartBars(years);
    expect(monthly.map((bar) => bar.step)).toEqual(monthly.map(() => "month"));
    expect(monthly.slice(-2).map((bar) => [bar.date, bar.total])).toEqual([
      ["2026-10-01", 550],
      ["2026-11-01", 18_300],
    ]);
    const series = chartSeries(years, { appearance: "light", stackBy: "model", dayModels: snapshot().dayModels });
    expect(series.reduce((sum, s) => sum + s.values[s.values.length - 1], 0)).toBe(18_300);
  });
});
