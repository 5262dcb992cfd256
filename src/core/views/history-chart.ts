import { formatTokens } from "../format";
import { creditsByBucket } from "../rates";
import { weekStartOf, weekday } from "./calendar";
import {
  EDGE,
  FONT_SIZE,
  TIME_AXIS_HEIGHT,
  UNIT_WORDS,
  VALUE_LABEL_ROOM,
  chartPalette,
  emptyNote,
  escapeXml,
  fixed,
  formatValue,
  svgDocument,
  svgText,
  textWidth,
  timeAxis,
  titleLine,
  valueAxis,
  type AxisLabel,
  type ChartAppearance,
  type ChartUnit,
  type PlotBox,
} from "./chart-frame";
import { addUsage, zeroUsage } from "./range-totals";
import type { HistoryDay } from "./history";
import type { DayModelRow, WeekStart } from "./schema";

export { chartPalette, type ChartAppearance, type ChartUnit } from "./chart-frame";

/**
 * The history screen's chart: one bar per day of the range (per week or month for long ones), oldest
 * on the left, stacked by token type or by model, in tokens or in Credits, as SVG text for a markdown
 * image (see `svgDataUrl` in ./chart-frame). A title line says what and when, the value axis's top is
 * the largest bar, and dates run under the bars; colours follow Raycast's light or dark appearance.
 */

export type StackBy = "bucket" | "model" | "device";

export interface StackedChartOptions {
  appearance: ChartAppearance;
  stackBy: StackBy;
  /** Tokens, or Credits at MiMo's rates; tokens when not said. */
  unit?: ChartUnit;
  /**
   * Per-date per-model rows, needed when stacking by model and for Credits by token type (each
   * model's tokens at its own rate). Left out for one client's history, whose rows are not split by
   * model: Credits are then one series.
   */
  dayModels?: DayModelRow[];
  /** Where weekly bars start, for long ranges. */
  weekStart?: WeekStart;
  /**
   * What other devices and clients used per local date (the platform's daily list minus this Mac),
   * stacked on top as one more series so a bar reads all devices; dates it does not cover are left
   * out. Tokens, and Credits where the rows' models have a rate (null otherwise).
   */
  elsewhere?: ReadonlyMap<string, { tokens: number; credits: number | null }>;
  /** Other devices' days from the sync folder, stacked beside This Mac when stacking by device. */
  devices?: readonly { name: string; byDate: ReadonlyMap<string, { tokens: number; credits: number }> }[];
  width?: number;
  height?: number;
}

const BUCKET_SERIES: { key: "input" | "output" | "cacheRead" | "cacheWrite"; label: string }[] = [
  { key: "input", label: "Input" },
  { key: "output", label: "Output" },
  { key: "cacheRead", label: "Cache read" },
  { key: "cacheWrite", label: "Cache write" },
];

/** A short range keeps slim bars rather than blocks as wide as a seventh of the pane. */
const MAX_BAR_WIDTH = 44;

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
  /** The bars' values in the chart's unit, oldest bar first. */
  values: number[];
}

/** The stacked series, oldest bar first, with what was used elsewhere on top when it is known. */
export function chartSeries(days: HistoryDay[], options: StackedChartOptions): ChartSeries[] {
  if (options.stackBy === "device") return deviceSeries(days, options);
  const own = ownSeries(days, options);
  const elsewhere = elsewhereSeries(days, options);
  return elsewhere ? [...own, elsewhere] : own;
}

/** This Mac, then each other device of the sync folder, per bar in the chart's unit. */
function deviceSeries(days: HistoryDay[], options: StackedChartOptions): ChartSeries[] {
  const weekStart = options.weekStart ?? "monday";
  const ordered = chartBars(days, weekStart);
  const step = ordered[0]?.step ?? "day";
  const colors = chartPalette(options.appearance).series;
  const credits = options.unit === "credits";
  const index = new Map(ordered.map((bar, i) => [bar.date, i]));
  const series: ChartSeries[] = [
    { label: "This Mac", color: colors[0], values: ordered.map((bar) => (credits ? bar.credits : bar.total)) },
  ];
  (options.devices ?? []).forEach((device, n) => {
    const values = new Array<number>(ordered.length).fill(0);
    for (const day of days) {
      const figures = device.byDate.get(day.date);
      const i = index.get(barKey(day.date, step, weekStart));
      if (figures && i !== undefined) values[i] += credits ? figures.credits : figures.tokens;
    }
    series.push({ label: device.name, color: colors[(n + 1) % colors.length], values });
  });
  return series;
}

/** "Elsewhere" per bar, in the chart's unit; null when the daily list covers none of the range's use. */
function elsewhereSeries(days: HistoryDay[], options: StackedChartOptions): ChartSeries | null {
  if (!options.elsewhere) return null;
  const weekStart = options.weekStart ?? "monday";
  const ordered = chartBars(days, weekStart);
  const step = ordered[0]?.step ?? "day";
  const index = new Map(ordered.map((bar, i) => [bar.date, i]));
  const values = new Array<number>(ordered.length).fill(0);
  for (const day of days) {
    const figures = options.elsewhere.get(day.date);
    const i = index.get(barKey(day.date, step, weekStart));
    if (!figures || i === undefined) continue;
    values[i] += options.unit === "credits" ? (figures.credits ?? 0) : figures.tokens;
  }
  if (!values.some((value) => value > 0)) return null;
  return { label: "Elsewhere", color: chartPalette(options.appearance).elsewhere, values };
}

/** This Mac's stacked series; the values of each bar add up to its total in the unit. */
function ownSeries(days: HistoryDay[], options: StackedChartOptions): ChartSeries[] {
  const weekStart = options.weekStart ?? "monday";
  const ordered = chartBars(days, weekStart);
  const colors = chartPalette(options.appearance).series;
  const credits = options.unit === "credits";
  if (options.stackBy === "bucket" && !credits) {
    return BUCKET_SERIES.map((bucket, i) => ({
      label: bucket.label,
      color: colors[i],
      values: ordered.map((day) => day[bucket.key]),
    }));
  }
  if (options.stackBy === "bucket") {
    if (!options.dayModels) return [{ label: "Credits", color: colors[0], values: ordered.map((bar) => bar.credits) }];
    const perBucket = BUCKET_SERIES.map(() => new Array<number>(ordered.length).fill(0));
    forEachRow(days, ordered, options.dayModels, weekStart, (row, index) => {
      const split = creditsByBucket(row.model, row.date, row);
      if (split) BUCKET_SERIES.forEach((bucket, i) => (perBucket[i][index] += split[bucket.key]));
    });
    return BUCKET_SERIES.map((bucket, i) => ({ label: bucket.label, color: colors[i], values: perBucket[i] }));
  }
  const perModel = new Map<string, number[]>();
  forEachRow(days, ordered, options.dayModels ?? [], weekStart, (row, index) => {
    const values = perModel.get(row.model) ?? new Array<number>(ordered.length).fill(0);
    values[index] += credits ? row.credits : row.total;
    perModel.set(row.model, values);
  });
  // In Credits a model with no rate has nothing to stack (the title counts its tokens instead).
  const ranked = [...perModel.entries()]
    .filter(([, values]) => !credits || sum(values) > 0)
    .sort(([a, x], [b, y]) => sum(y) - sum(x) || (a < b ? -1 : 1));
  const shown = ranked.length > MAX_MODEL_SERIES + 1 ? ranked.slice(0, MAX_MODEL_SERIES) : ranked;
  const series = shown.map(([model, values], i) => ({ label: model, color: colors[i], values }));
  if (shown.length < ranked.length) {
    const other = new Array<number>(ordered.length).fill(0);
    for (const [, values] of ranked.slice(shown.length)) values.forEach((v, i) => (other[i] += v));
    series.push({ label: "Other", color: colors[MAX_MODEL_SERIES], values: other });
  }
  return series;
}

/** Calls `add` with each per-model row of the range and the index of the bar it falls in. */
function forEachRow(
  days: HistoryDay[],
  bars: ChartBar[],
  rows: DayModelRow[],
  weekStart: WeekStart,
  add: (row: DayModelRow, index: number) => void,
): void {
  const step = bars[0]?.step ?? "day";
  const dates = new Map(bars.map((bar, i) => [bar.date, i]));
  const first = bars[0]?.date ?? "";
  const last = oldestFirst(days).at(-1)?.date ?? "";
  for (const row of rows) {
    if (row.date < first || row.date > last) continue;
    const index = dates.get(barKey(row.date, step, weekStart));
    if (index !== undefined) add(row, index);
  }
}

const STACK_WORDS: Record<StackBy, string> = { bucket: "token type", model: "model", device: "device" };

const STEP_WORDS: Record<ChartStep, string> = { day: "Daily", week: "Weekly", month: "Monthly" };

/** "Daily tokens by token type": what the bars are, without the dates (the image's alt text). */
export function historyChartWhat(days: HistoryDay[], options: StackedChartOptions): string {
  const step = chartBars(days, options.weekStart)[0]?.step ?? "day";
  const unit = UNIT_WORDS[options.unit ?? "tokens"];
  if (options.unit === "credits" && options.stackBy === "bucket" && !options.dayModels)
    return `${STEP_WORDS[step]} ${unit}`;
  return `${STEP_WORDS[step]} ${unit} by ${STACK_WORDS[options.stackBy]}`;
}

export function historyChartSvg(days: HistoryDay[], options: StackedChartOptions): string {
  const width = options.width ?? 560;
  const height = options.height ?? 230;
  const unit = options.unit ?? "tokens";
  const palette = chartPalette(options.appearance);
  const ordered = chartBars(days, options.weekStart);
  const series = chartSeries(days, options);
  const totals = ordered.map((_, i) => series.reduce((n, s) => n + s.values[i], 0));
  const max = Math.max(0, ...totals);
  const span = oldestFirst(days);
  const from = span[0]?.date ?? "";
  const to = span.at(-1)?.date ?? "";

  const title = `${historyChartWhat(days, options)}${from ? ` · ${from} – ${to}` : ""}`;
  const header = titleLine(title, unratedNote(ordered, unit), palette, width);
  const legend = legendRows(series, header.bottom + 6, width, palette.text);
  const box: PlotBox = {
    left: EDGE + VALUE_LABEL_ROOM,
    right: width - EDGE,
    top: legend.bottom + 16,
    bottom: height - EDGE - TIME_AXIS_HEIGHT,
  };
  const slot = (box.right - box.left) / Math.max(1, ordered.length);
  const barWidth = Math.max(1, Math.min(slot * 0.75, MAX_BAR_WIDTH));

  const bars = ordered
    .map((bar, i) => {
      const x = box.left + i * slot + (slot - barWidth) / 2;
      let top = box.bottom;
      const segments = series
        .filter((s) => s.values[i] > 0)
        .map((s) => {
          const h = ((box.bottom - box.top) * s.values[i]) / max;
          top -= h;
          return `<rect x="${fixed(x)}" y="${fixed(top)}" width="${fixed(barWidth)}" height="${fixed(h)}" fill="${s.color}"/>`;
        })
        .join("");
      const what = bar.step === "day" ? bar.date : `${bar.step} of ${bar.date}`;
      const words = `${what}: ${formatValue(totals[i], unit)} ${UNIT_WORDS[unit]}`;
      return `<g data-date="${bar.date}" data-total="${bar.total}" data-value="${totals[i]}"><title>${escapeXml(words)}</title>${segments}</g>`;
    })
    .join("");

  const parts = [header.svg, legend.svg, valueAxis(box, max, unit, palette), bars];
  if (ordered.length && max === 0)
    parts.push(
      emptyNote(box, unit === "credits" ? "No Credits at MiMo's rates in this range" : "No use in this range", palette),
    );
  if (ordered.length) parts.push(dateAxis(ordered, { from, to }, box, slot, options.weekStart ?? "monday", palette));
  return svgDocument(width, height, parts.join(""));
}

/** In Credits, tokens of models or dates with no rate are left out of the bars; the note says so. */
function unratedNote(bars: ChartBar[], unit: ChartUnit): string | null {
  if (unit !== "credits") return null;
  const unrated = sum(bars.map((bar) => bar.uncreditedTokens));
  return unrated > 0 ? `${formatTokens(unrated)} tokens with no rate left out` : null;
}

/** The legend under the title, wrapped onto more rows when the series' names do not fit one. */
function legendRows(
  series: ChartSeries[],
  top: number,
  width: number,
  textFill: string,
): { svg: string; bottom: number } {
  let x = EDGE;
  let y = top;
  const items = series.map((s) => {
    const itemWidth = 13 + textWidth(s.label) + 14;
    if (x > EDGE && x + itemWidth > width - EDGE) {
      x = EDGE;
      y += FONT_SIZE + 6;
    }
    const swatch = `<rect x="${fixed(x)}" y="${fixed(y)}" width="9" height="9" rx="2" fill="${s.color}"/>`;
    const item = swatch + svgText(x + 13, y + 9, s.label, { fill: textFill, attributes: 'class="legend-label"' });
    x += itemWidth;
    return item;
  });
  return { svg: `<g class="legend">${items.join("")}</g>`, bottom: y + 9 };
}
/**
 * Dates under the bars: the range's first and last days at the ends, and between them the bars that
 * start a round period (a week, a month, a quarter …), the finest whose labels keep clear of each
 * other. Daily and weekly bars are named "MM-DD" (the title has the year), monthly ones "YYYY-MM".
 */
function dateAxis(
  bars: ChartBar[],
  range: { from: string; to: string },
  box: PlotBox,
  slot: number,
  weekStart: WeekStart,
  palette: ReturnType<typeof chartPalette>,
): string {
  const step = bars[0].step;
  const short = (date: string) => (step === "month" ? date.slice(0, 7) : date.slice(5));
  const room = textWidth(short(bars[0].date)) + 14;
  const candidates = tickRules(step, weekStart).map((rule) =>
    bars
      .map((bar, i) => ({ bar, i }))
      .filter(({ bar, i }) => rule.match(bar, bars[i - 1]))
      .filter((_, k) => k % rule.every === 0)
      .filter(({ i }) => i > 0 && i < bars.length - 1),
  );
  const fits = (kept: { i: number }[]) => kept.every(({ i }, k) => k === 0 || (i - kept[k - 1].i) * slot >= room);
  const chosen = candidates.find(fits) ?? [];
  const centre = (i: number) => box.left + (i + 0.5) * slot;
  const between: AxisLabel[] = chosen.map(({ bar, i }) => ({ x: centre(i), at: bar.date, text: short(bar.date) }));
  // The ends name the range's own first and last days, not the week or month their bars start on.
  const long = (date: string) => (step === "month" ? date.slice(0, 7) : date);
  const first: AxisLabel = { x: centre(0), at: range.from, text: long(range.from) };
  const last = bars.length > 1 ? { x: centre(bars.length - 1), at: range.to, text: long(range.to) } : null;
  return timeAxis(box, first, last, between, palette);
}

/** Bars that start a period (`match`), then every `every`th of those, counting from the range's first. */
interface TickRule {
  match: (bar: ChartBar, previous: ChartBar | undefined) => boolean;
  every: number;
}

const anyBar = () => true;
const newMonth = (bar: ChartBar, previous: ChartBar | undefined) =>
  previous !== undefined && previous.date.slice(0, 7) !== bar.date.slice(0, 7);

/** The ways to pick labelled bars, finest first. */
function tickRules(step: ChartStep, weekStart: WeekStart): TickRule[] {
  const each = (match: TickRule["match"], counts: number[]) => counts.map((every) => ({ match, every }));
  if (step === "day") {
    const startsWeek = (bar: ChartBar) => weekday(bar.date) === (weekStart === "monday" ? 1 : 0);
    return [...each(anyBar, [1, 2]), ...each(startsWeek, [1, 2]), ...each(newMonth, [1, 3])];
  }
  if (step === "week") return [...each(anyBar, [1, 2]), ...each(newMonth, [1, 2, 3, 6, 12])];
  // Monthly bars: the months of a round step (every quarter starts in January, April, July, October).
  return [1, 2, 3, 6, 12].map((n) => ({
    match: (bar: ChartBar) => (Number(bar.date.slice(5, 7)) - 1) % n === 0,
    every: 1,
  }));
}

function oldestFirst(days: HistoryDay[]): HistoryDay[] {
  return [...days].sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
}

function sum(values: number[]): number {
  return values.reduce((n, v) => n + v, 0);
}
