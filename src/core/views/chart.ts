import { formatDateTime, formatDuration, formatTokens } from "../format";
import { addDays, localDate, startOfLocalDay, utcOffsetAt } from "./calendar";
import {
  EDGE,
  FONT_SIZE,
  TIME_AXIS_HEIGHT,
  UNIT_WORDS,
  VALUE_LABEL_ROOM,
  chartPalette,
  emptyNote,
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
  type Palette,
  type PlotBox,
} from "./chart-frame";
import type { SessionRecord } from "./schema";

/**
 * A session's tokens (or Credits) over time, as SVG for the session list's detail pane (Raycast
 * renders markdown images from data URLs). The bars stand on a time axis from the session's first
 * step to the end of its last, under a value axis whose top is the busiest step.
 *
 * A session of fewer than FEW_STEPS steps is drawn one column per step, each named by its time and
 * topped by its value, instead of a few bars stretched over the whole width. A step is never finer
 * than the snapshot's slot (15 minutes): the ledger keeps usage per slot, not per response, so a
 * short session shows its slots, not its requests.
 */

export interface SessionChartOptions {
  appearance: ChartAppearance;
  unit: ChartUnit;
  /** The snapshot's time zone: labels are local times. */
  timeZone: string;
  width?: number;
  height?: number;
}

export type ChartedSession = Pick<SessionRecord, "series" | "seriesStepMs" | "total" | "uncreditedTokens">;

/** Sessions spanning fewer steps than this are drawn one labelled column per step. */
export const FEW_STEPS = 6;

const MINUTE = 60_000;
const DAY = 86_400_000;
/** Tick steps for the time axis, finest first; the first whose labels do not crowd is used. */
const TICK_STEPS = [15, 30, 60, 120, 180, 360, 720].map((minutes) => minutes * MINUTE);
const TICK_DAYS = [1, 2, 7, 14];

export function sessionChartSvg(session: ChartedSession, options: SessionChartOptions): string {
  const width = options.width ?? 560;
  const height = options.height ?? 190;
  const palette = chartPalette(options.appearance);
  const { series, seriesStepMs: step } = session;
  const values = series.map((point) => (options.unit === "tokens" ? point.total : point.credits));
  const max = Math.max(0, ...values);
  const start = series.length ? Date.parse(series[0].at) : 0;
  const end = series.length ? Date.parse(series[series.length - 1].at) + step : 0;
  const columns = Math.round((end - start) / step);

  const header = titleLine(sessionChartTitle(session, options), noteOf(session, options.unit), palette, width);
  const box: PlotBox = {
    left: EDGE + VALUE_LABEL_ROOM,
    right: width - EDGE,
    top: header.bottom + 18,
    bottom: height - EDGE - TIME_AXIS_HEIGHT,
  };
  const parts = [header.svg];
  parts.push(valueAxis(box, max, options.unit, palette));
  if (series.length === 0 || max === 0) {
    parts.push(emptyNote(box, emptyWords(session, options.unit), palette));
  } else if (columns < FEW_STEPS) {
    parts.push(fewColumns(session, values, max, box, options, palette));
  } else {
    const x = (at: number) => box.left + ((at - start) / (end - start)) * (box.right - box.left);
    const bars = series.map((point, i) => {
      const at = Date.parse(point.at);
      const left = x(at);
      const slot = x(at + step) - left;
      const gap = slot >= 4 ? slot * 0.15 : 0;
      return bar(left + gap / 2, Math.max(1, slot - gap), values[i], max, box, point.at, palette.series[0]);
    });
    parts.push(`<g class="bars">${bars.join("")}</g>`);
    parts.push(timeTicks(start, end, box, options.timeZone, palette));
  }
  return svgDocument(width, height, parts.join(""));
}

/** "Tokens per 15 min · 2026-11-25 09:00 – 10:45": the unit, the step and the span. */
export function sessionChartTitle(session: ChartedSession, options: Pick<SessionChartOptions, "unit" | "timeZone">) {
  const unit = UNIT_WORDS[options.unit];
  const what = `${unit[0].toUpperCase()}${unit.slice(1)} per ${formatDuration(session.seriesStepMs)}`;
  if (!session.series.length) return what;
  const from = formatDateTime(session.series[0].at, options.timeZone);
  const to = formatDateTime(
    new Date(Date.parse(session.series[session.series.length - 1].at) + session.seriesStepMs),
    options.timeZone,
  );
  return `${what} · ${from} – ${to.slice(0, 10) === from.slice(0, 10) ? to.slice(11) : to}`;
}

/** In Credits, the tokens of models or dates with no rate are not in the bars: the note says how many. */
function noteOf(session: ChartedSession, unit: ChartUnit): string | null {
  if (unit !== "credits" || session.uncreditedTokens === 0 || session.uncreditedTokens >= session.total) return null;
  return `${formatTokens(session.uncreditedTokens)} tokens with no rate left out`;
}

function emptyWords(session: ChartedSession, unit: ChartUnit): string {
  if (session.series.length === 0) return "No activity";
  return unit === "credits" ? "No Credits: these models have no rate at MiMo's prices" : "No tokens";
}

function bar(x: number, w: number, value: number, max: number, box: PlotBox, at: string, fill: string): string {
  const h = value > 0 ? Math.max(1, ((box.bottom - box.top) * value) / max) : 0;
  return `<rect class="bar" data-at="${at}" data-value="${value}" x="${fixed(x)}" y="${fixed(box.bottom - h)}" width="${fixed(w)}" height="${fixed(h)}" rx="1.5" fill="${fill}"/>`;
}

/**
 * One column per step, the empty ones too (so the gaps between requests read as time), at most
 * FEW_STEPS wide and centred: each bar has its value above it and its step's start time below it.
 */
function fewColumns(
  session: ChartedSession,
  values: number[],
  max: number,
  box: PlotBox,
  options: SessionChartOptions,
  palette: Palette,
): string {
  const step = session.seriesStepMs;
  const byAt = new Map(session.series.map((point, i) => [Date.parse(point.at), values[i]]));
  const start = Date.parse(session.series[0].at);
  const count = Math.round((Date.parse(session.series[session.series.length - 1].at) - start) / step) + 1;
  const column = (box.right - box.left) / FEW_STEPS;
  const first = box.left + ((FEW_STEPS - count) * column) / 2;
  const bars: string[] = [];
  const labels: string[] = [];
  for (let i = 0; i < count; i++) {
    const at = start + i * step;
    const value = byAt.get(at) ?? 0;
    const centre = first + (i + 0.5) * column;
    const w = column * 0.56;
    const iso = new Date(at).toISOString();
    bars.push(bar(centre - w / 2, w, value, max, box, iso, palette.series[0]));
    if (value > 0) {
      const top = box.bottom - Math.max(1, ((box.bottom - box.top) * value) / max);
      labels.push(
        svgText(centre, top - 4, formatValue(value, options.unit), {
          anchor: "middle",
          fill: palette.text,
          attributes: `class="bar-value" data-value="${value}"`,
        }),
      );
    }
    labels.push(
      `<line x1="${fixed(centre)}" y1="${fixed(box.bottom)}" x2="${fixed(centre)}" y2="${fixed(box.bottom + 4)}" stroke="${palette.axis}" stroke-width="1"/>`,
      svgText(centre, box.bottom + FONT_SIZE + 5, formatDateTime(new Date(at), options.timeZone).slice(11), {
        anchor: "middle",
        fill: palette.muted,
        attributes: `class="time-label" data-at="${iso}"`,
      }),
    );
  }
  return `<g class="bars">${bars.join("")}</g><g class="time-axis">${labels.join("")}</g>`;
}

/**
 * Labels at the start and end and at round local times between (every 15 min … 12 h, or every 1 … 14
 * days), the finest step whose labels keep clear of each other.
 */
function timeTicks(start: number, end: number, box: PlotBox, timeZone: string, palette: Palette): string {
  const oneDay = localDate(start, timeZone) === localDate(end - 1, timeZone);
  const label = (at: number): AxisLabel => {
    const text = formatDateTime(new Date(at), timeZone);
    return { x: 0, at: new Date(at).toISOString(), text: oneDay ? text.slice(11) : text.slice(5) };
  };
  const perMs = (box.right - box.left) / (end - start);
  const x = (at: number) => box.left + (at - start) * perMs;
  const room = textWidth(label(start).text) + 16;
  const between: AxisLabel[] = [];
  const subDay = TICK_STEPS.find((ms) => ms * perMs >= room);
  if (subDay !== undefined) {
    // Round in local time: the offset is read at the start (a DST change inside a session moves the
    // later ticks off the hour, but each label still names its own instant).
    const offset = utcOffsetAt(start, timeZone) || 0;
    for (let at = Math.ceil((start + offset) / subDay) * subDay - offset; at < end; at += subDay)
      if (at > start) between.push({ ...label(at), x: x(at) });
  } else {
    const days = TICK_DAYS.find((n) => n * DAY * perMs >= room) ?? TICK_DAYS[TICK_DAYS.length - 1];
    const first = localDate(start, timeZone);
    for (let n = 1; ; n++) {
      const date = addDays(first, n);
      const at = startOfLocalDay(date, timeZone);
      if (at >= end) break;
      if (n % days === 0) between.push({ x: x(at), at: date, text: date.slice(5) });
    }
  }
  return timeAxis(box, { ...label(start), x: box.left }, { ...label(end), x: box.right }, between, palette);
}
