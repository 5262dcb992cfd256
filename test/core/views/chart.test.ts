import { FEW_STEPS, sessionChartSvg, type ChartedSession } from "../../../src/core/views/chart";
import { chartPalette, svgDataUrl } from "../../../src/core/views/chart-frame";
import { readChart } from "../../helpers/chart-svg";

const QUARTER = 15 * 60_000;

/** A session of 15-minute points; each point's Credits are given or 300 a token (v2.5-pro's cache-miss rate). */
function session(points: [at: string, total: number, credits?: number][], extra: Partial<ChartedSession> = {}) {
  const series = points.map(([at, total, credits]) => ({ at, total, credits: credits ?? total * 300 }));
  return {
    series,
    seriesStepMs: QUARTER,
    total: series.reduce((n, p) => n + p.total, 0),
    uncreditedTokens: 0,
    ...extra,
  };
}

// A three-hour afternoon in Berlin (UTC+1 in November), with a quiet hour in the middle.
const afternoon = session([
  ["2026-11-25T12:00:00.000Z", 120_000],
  ["2026-11-25T12:15:00.000Z", 1_234_000],
  ["2026-11-25T12:30:00.000Z", 400_000],
  ["2026-11-25T13:45:00.000Z", 80_000],
  ["2026-11-25T14:00:00.000Z", 610_000],
  ["2026-11-25T14:45:00.000Z", 5_000],
]);

describe("session chart on a time axis", () => {
  const svg = sessionChartSvg(afternoon, { appearance: "dark", unit: "tokens", timeZone: "Europe/Berlin" });
  const chart = readChart(svg);

  it("titles itself with the unit, the step and the span in local time", () => {
    expect(chart.title).toBe("Tokens per 15 min · 2026-11-25 13:00 – 16:00");
  });

  it("tops its value axis with the busiest step, with a midline and zero", () => {
    expect(chart.valueLabels).toEqual([
      { value: 0, text: "0", y: chart.plot.bottom },
      { value: 1_234_000, text: "1.2M", y: chart.plot.top },
      { value: 617_000, text: "617K", y: expect.closeTo((chart.plot.top + chart.plot.bottom) / 2, 0) },
    ]);
    const tallest = chart.bars.find((bar) => bar.value === 1_234_000);
    expect(tallest?.y).toBeCloseTo(chart.plot.top, 0);
    expect(chart.bars.map((bar) => bar.value)).toEqual(afternoon.series.map((p) => p.total));
  });

  it("places each bar at its time, so a quiet hour stays a gap", () => {
    const perMinute = (chart.plot.right - chart.plot.left) / 180;
    const [first, second, third, fourth] = chart.bars;
    expect(second.x - first.x).toBeCloseTo(15 * perMinute, 0);
    expect(fourth.x - third.x).toBeCloseTo(75 * perMinute, 0);
  });

  it("labels the start, the end and round local times between, in order and apart", () => {
    const labels = chart.timeLabels;
    expect(labels[0]).toMatchObject({ text: "13:00", at: "2026-11-25T12:00:00.000Z" });
    expect(labels[labels.length - 1]).toMatchObject({ text: "16:00", at: "2026-11-25T15:00:00.000Z" });
    expect(labels.length).toBeGreaterThanOrEqual(4);
    const times = labels.map((label) => Date.parse(label.at));
    expect(times).toEqual([...times].sort((a, b) => a - b));
    expect(new Set(times).size).toBe(times.length);
    for (const label of labels.slice(1, -1)) expect(label.text).toMatch(/^\d\d:(00|30)$/);
    const xs = labels.map((label) => label.x);
    expect(xs).toEqual([...xs].sort((a, b) => a - b));
  });

  it("follows the appearance", () => {
    const light = sessionChartSvg(afternoon, { appearance: "light", unit: "tokens", timeZone: "Europe/Berlin" });
    for (const [drawn, appearance] of [
      [svg, "dark"],
      [light, "light"],
    ] as const) {
      const palette = chartPalette(appearance);
      expect(readChart(drawn).titleFill).toBe(palette.text);
      expect(readChart(drawn).bars.every((bar) => bar.fill === palette.series[0])).toBe(true);
      expect(drawn).toContain(`fill="${palette.muted}"`);
    }
  });

  it("is a data URL Raycast markdown can show", () => {
    expect(svgDataUrl(svg)).toBe(`data:image/svg+xml;base64,${Buffer.from(svg).toString("base64")}`);
  });
});

describe("session chart in Credits", () => {
  it("draws each point's Credits and says how many tokens had no rate", () => {
    const mixed = session(
      [
        ["2026-11-25T12:00:00.000Z", 1_000, 300_000],
        ["2026-11-25T12:15:00.000Z", 9_000, 90_000],
        ["2026-11-25T13:30:00.000Z", 500, 150_000],
      ],
      { uncreditedTokens: 8_000 },
    );
    const chart = readChart(sessionChartSvg(mixed, { appearance: "light", unit: "credits", timeZone: "UTC" }));
    expect(chart.title).toBe("Credits per 15 min · 2026-11-25 12:00 – 13:45");
    expect(chart.note).toBe("8K tokens with no rate left out");
    expect(chart.bars.map((bar) => bar.value)).toEqual([300_000, 90_000, 150_000]);
    expect(chart.valueLabels.map((label) => label.text)).toEqual(["0", "300K", "150K"]);
  });

  it("says so instead of drawing bars when no token had a rate", () => {
    const unrated = session([["2026-11-25T12:00:00.000Z", 4_400, 0]], { uncreditedTokens: 4_400 });
    const chart = readChart(sessionChartSvg(unrated, { appearance: "dark", unit: "credits", timeZone: "UTC" }));
    expect(chart.bars).toEqual([]);
    expect(chart.valueLabels.map((label) => label.text)).toEqual(["0"]);
    expect(chart.note).toMatch(/no rate/);
  });
});

describe("a short session", () => {
  it("is one labelled column per slot, not a block across the chart", () => {
    const minute = session([["2026-11-25T09:00:00.000Z", 84_000]]);
    const chart = readChart(sessionChartSvg(minute, { appearance: "dark", unit: "tokens", timeZone: "UTC" }));
    expect(chart.bars).toHaveLength(1);
    expect(chart.bars[0].width).toBeLessThan((chart.plot.right - chart.plot.left) / FEW_STEPS);
    expect(chart.barValues).toEqual([{ value: 84_000, text: "84K" }]);
    expect(chart.timeLabels.map((label) => label.text)).toEqual(["09:00"]);
    expect(chart.valueLabels.find((label) => label.value === 84_000)?.y).toBe(chart.plot.top);
  });

  it("keeps its empty slots, so the time between two requests shows", () => {
    const two = session([
      ["2026-11-25T09:00:00.000Z", 12_000],
      ["2026-11-25T09:45:00.000Z", 30_000],
    ]);
    const chart = readChart(sessionChartSvg(two, { appearance: "light", unit: "tokens", timeZone: "Asia/Kolkata" }));
    expect(chart.timeLabels.map((label) => label.text)).toEqual(["14:30", "14:45", "15:00", "15:15"]);
    expect(chart.bars.map((bar) => bar.value)).toEqual([12_000, 0, 0, 30_000]);
    expect(chart.barValues.map((label) => label.text)).toEqual(["12K", "30K"]);
    const xs = chart.bars.map((bar) => bar.x);
    expect(xs).toEqual([...xs].sort((a, b) => a - b));
  });

  it("switches to the time axis from FEW_STEPS slots on", () => {
    const points: [string, number][] = Array.from({ length: FEW_STEPS }, (_, i) => [
      new Date(Date.parse("2026-11-25T09:00:00Z") + i * QUARTER).toISOString(),
      1_000 * (i + 1),
    ]);
    const chart = readChart(sessionChartSvg(session(points), { appearance: "dark", unit: "tokens", timeZone: "UTC" }));
    expect(chart.barValues).toEqual([]);
    expect(chart.timeLabels[chart.timeLabels.length - 1].text).toBe("10:30");
  });
});

describe("a session over several days", () => {
  it("names dates on its time labels", () => {
    const points: [string, number][] = Array.from({ length: 60 }, (_, i) => [
      new Date(Date.parse("2026-11-23T20:00:00Z") + i * 3 * QUARTER).toISOString(),
      100 + i,
    ]);
    const long = { ...session(points), seriesStepMs: 3 * QUARTER };
    const chart = readChart(sessionChartSvg(long, { appearance: "dark", unit: "tokens", timeZone: "UTC" }));
    expect(chart.title).toBe("Tokens per 45 min · 2026-11-23 20:00 – 2026-11-25 17:00");
    const texts = chart.timeLabels.map((label) => label.text);
    expect(texts[0]).toBe("11-23 20:00");
    expect(texts[texts.length - 1]).toBe("11-25 17:00");
    expect(texts.length).toBeGreaterThan(2);
    for (const text of texts.slice(1, -1)) expect(text).toMatch(/^11-2[45] (00|12):00$/);
    expect(chart.valueLabels.find((label) => label.y === chart.plot.top)?.value).toBe(159);
  });
});
