import {
  chartBars,
  chartPalette,
  chartSeries,
  historyChartSvg,
  MAX_CHART_BARS,
} from "../../../src/core/views/history-chart";
import { historyDays, historyRange } from "../../../src/core/views/history";
import { useHistorySnapshot } from "../../helpers/history-corpus";

const snapshot = useHistorySnapshot();

interface Bar {
  date: string;
  total: number;
  segments: { height: number; fill: string }[];
}

/** Reads the bars back out of the SVG: one group per day with its stacked rectangles. */
function bars(svg: string): Bar[] {
  return [...svg.matchAll(/<g data-date="([\d-]+)" data-total="(\d+)">(.*?)<\/g>/g)].map(([, date, total, body]) => ({
    date,
    total: Number(total),
    segments: [...body.matchAll(/<rect [^>]*height="([\d.]+)" fill="(#[0-9A-F]{6})"\/>/g)].map(([, h, fill]) => ({
      height: Number(h),
      fill,
    })),
  }));
}

const PLOT_HEIGHT = 180 - 8 - 18 - 8 - 14;

describe("history chart", () => {
  it("draws one bar per day, oldest first, whose stacked height matches the day's total", () => {
    const days = historyDays(snapshot(), historyRange("last-7", snapshot()));
    const drawn = bars(historyChartSvg(days, { appearance: "dark", stackBy: "bucket" }));
    expect(drawn.map((bar) => [bar.date, bar.total])).toEqual([...days].reverse().map((day) => [day.date, day.total]));
    const max = Math.max(...days.map((day) => day.total));
    for (const bar of drawn) {
      const height = bar.segments.reduce((sum, s) => sum + s.height, 0);
      expect(height).toBeCloseTo((PLOT_HEIGHT * bar.total) / max, 0);
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

  it("labels the first and last dates", () => {
    const days = historyDays(snapshot(), historyRange("last-7", snapshot()));
    const svg = historyChartSvg(days, { appearance: "dark", stackBy: "bucket" });
    expect(svg).toContain(">2026-11-19</text>");
    expect(svg).toContain(">2026-11-25</text>");
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
    expect(svg).toContain("<title>week of 2026-11-23: 18300 tokens</title>");

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
