import { weekStartOf } from "./calendar";
import { escapeXml } from "./chart";
import { addUsage, zeroUsage } from "./range-totals";
import type { HistoryDay } from "./history";
import type { DayModelRow, WeekStart } from "./schema";

/**
 * The history screen's chart: one bar per day of the range, oldest on the left, stacked by token
 * bucket or by model, as SVG text for a markdown image (see `svgDataUrl` in ./chart). Colours follow
 * Raycast's light or dark appearance; a bar's height is its day's total over the range's largest.
 */

export type ChartAppearance = "light" | "dark";
export type StackBy = "bucket" | "model";

export interface StackedChartOptions {
  appearance: ChartAppearance;
  stackBy: StackBy;
  /** Per-date per-model rows, needed when stacking by model. */
  dayModels?: DayModelRow[];
  /** Where weekly bars start, for long ranges. */
  weekStart?: WeekStart;
  width?: number;
  height?: number;
}

interface Palette {
  series: string[];
  axis: string;
  text: string;
}

const PALETTES: Record<ChartAppearance, Palette> = {
  light: {
    series: ["#E85D04", "#2563EB", "#16A34A", "#9333EA", "#CA8A04", "#0891B2", "#6B7280"],
    axis: "#9CA3AF",
    text: "#374151",
  },
  dark: {
    series: ["#FF8A3D", "#60A5FA", "#4ADE80", "#C084FC", "#FACC15", "#22D3EE", "#9CA3AF"],
    axis: "#6B7280",
    text: "#D1D5DB",
  },
};

export function chartPalette(appearance: ChartAppearance): Palette {
  return PALETTES[appearance];
}

const BUCKET_SERIES: { key: "input" | "output" | "cacheRead" | "cacheWrite"; label: string }[] = [
  { key: "input", label: "Input" },
  { key: "output", label: "Output" },
  { key: "cacheRead", label: "Cache read" },
  { key: "cacheWrite", label: "Cache write" },
];

/** More models than colours: the smallest share one "Other" segment. */
const MAX_MODEL_SERIES = 6;

export type ChartStep = "day" | "week" | "month";

/** Ranges with more days than this are drawn per week, and per month past this many weeks. */
export const MAX_CHART_BARS = 92;

/** One bar: the days from `date` (a day, a week start or the first of a month), summed. */
export interface ChartBar extends Omit<HistoryDay, "sessions"> {
  step: ChartStep;
}

function stepFor(dayCount: number): ChartStep {
  if (dayCount <= MAX_CHART_BARS) return "day";
  return dayCount <= MAX_CHART_BARS * 7 ? "week" : "month";
}

function barKey(date: string, step: ChartStep, weekStart: WeekStart): string {
  if (step === "day") return date;
  return step === "week" ? weekStartOf(date, weekStart) : `${date.slice(0, 8)}01`;
}

/** The bars of the chart, oldest first: one per day, or per week or month for long ranges. */
export function chartBars(days: HistoryDay[], weekStart: WeekStart = "monday"): ChartBar[] {
  const step = stepFor(days.length);
  const bars: ChartBar[] = [];
  for (const day of oldestFirst(days)) {
    const date = barKey(day.date, step, weekStart);
    let bar = bars[bars.length - 1];
    if (!bar || bar.date !== date) {
      bar = { date, step, ...zeroUsage() };
      bars.push(bar);
    }
    addUsage(bar, day);
  }
  return bars;
}

export interface ChartSeries {
  label: string;
  color: string;
  /** Tokens per day, in the order of the chart's days. */
  values: number[];
}

/** The stacked series, oldest bar first; the values of each bar add up to its total. */
export function chartSeries(days: HistoryDay[], options: StackedChartOptions): ChartSeries[] {
  const weekStart = options.weekStart ?? "monday";
  const ordered = chartBars(days, weekStart);
  const step = ordered[0]?.step ?? "day";
  const colors = PALETTES[options.appearance].series;
  if (options.stackBy === "bucket") {
    return BUCKET_SERIES.map((bucket, i) => ({
      label: bucket.label,
      color: colors[i],
      values: ordered.map((day) => day[bucket.key]),
    }));
  }
  const dates = new Map(ordered.map((day, i) => [day.date, i]));
  const perModel = new Map<string, number[]>();
  const first = ordered[0]?.date ?? "";
  const last = oldestFirst(days).at(-1)?.date ?? "";
  for (const row of options.dayModels ?? []) {
    if (row.date < first || row.date > last) continue;
    const index = dates.get(barKey(row.date, step, weekStart));
    if (index === undefined) continue;
    const values = perModel.get(row.model) ?? new Array<number>(ordered.length).fill(0);
    values[index] += row.total;
    perModel.set(row.model, values);
  }
  const ranked = [...perModel.entries()].sort(([a, x], [b, y]) => sum(y) - sum(x) || (a < b ? -1 : 1));
  const shown = ranked.length > MAX_MODEL_SERIES + 1 ? ranked.slice(0, MAX_MODEL_SERIES) : ranked;
  const series = shown.map(([model, values], i) => ({ label: model, color: colors[i], values }));
  if (shown.length < ranked.length) {
    const other = new Array<number>(ordered.length).fill(0);
    for (const [, values] of ranked.slice(shown.length)) values.forEach((v, i) => (other[i] += v));
    series.push({ label: "Other", color: colors[MAX_MODEL_SERIES], values: other });
  }
  return series;
}

export function historyChartSvg(days: HistoryDay[], options: StackedChartOptions): string {
  const width = options.width ?? 560;
  const height = options.height ?? 180;
  const palette = PALETTES[options.appearance];
  const ordered = chartBars(days, options.weekStart);
  const series = chartSeries(days, options);
  const legendHeight = 18;
  const labelHeight = 14;
  const pad = 8;
  const plotTop = pad + legendHeight;
  const plotBottom = height - pad - labelHeight;
  const plotHeight = plotBottom - plotTop;
  const max = Math.max(1, ...ordered.map((day) => day.total));
  const slot = (width - pad * 2) / Math.max(1, ordered.length);
  const barWidth = Math.max(1, slot * 0.75);

  const bars = ordered
    .map((day, i) => {
      const x = pad + i * slot + (slot - barWidth) / 2;
      let top = plotBottom;
      const segments = series
        .filter((s) => s.values[i] > 0)
        .map((s) => {
          const h = (plotHeight * s.values[i]) / max;
          top -= h;
          return `<rect x="${fixed(x)}" y="${fixed(top)}" width="${fixed(barWidth)}" height="${fixed(h)}" fill="${s.color}"/>`;
        })
        .join("");
      const what = day.step === "day" ? day.date : `${day.step} of ${day.date}`;
      return `<g data-date="${day.date}" data-total="${day.total}"><title>${escapeXml(`${what}: ${day.total} tokens`)}</title>${segments}</g>`;
    })
    .join("");

  const axis = `<line x1="${pad}" y1="${plotBottom}" x2="${width - pad}" y2="${plotBottom}" stroke="${palette.axis}" stroke-width="1"/>`;
  const text = (x: number, y: number, anchor: string, content: string) =>
    `<text x="${fixed(x)}" y="${fixed(y)}" text-anchor="${anchor}" font-family="-apple-system, Helvetica, sans-serif" font-size="11" fill="${palette.text}">${escapeXml(content)}</text>`;
  const dateLabels = ordered.length
    ? text(pad, height - pad, "start", ordered[0].date) +
      (ordered.length > 1 ? text(width - pad, height - pad, "end", ordered[ordered.length - 1].date) : "")
    : "";
  let legendX = pad;
  const legend = series
    .map((s) => {
      const item = `<rect x="${fixed(legendX)}" y="${pad + 2}" width="9" height="9" rx="2" fill="${s.color}"/>${text(legendX + 13, pad + 10, "start", s.label)}`;
      legendX += 22 + s.label.length * 6.2;
      return item;
    })
    .join("");
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}">${legend}${axis}${bars}${dateLabels}</svg>`;
}

function oldestFirst(days: HistoryDay[]): HistoryDay[] {
  return [...days].sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
}

function sum(values: number[]): number {
  return values.reduce((n, v) => n + v, 0);
}

function fixed(n: number): string {
  return n.toFixed(1);
}
