import { formatCredits, formatTokens } from "../format";

/**
 * What the session and history charts share: colours for Raycast's light and dark appearance, the
 * title line, the value axis (its top is the data's largest value, with a midline) and the time or
 * date labels under the bars. Plain SVG text, so tests read a chart back and it needs no canvas.
 *
 * Sizes are for the detail pane: Raycast scales a markdown image to the pane's width (about 450
 * points beside a list), so a 560-wide chart is drawn at about 0.8 and its 12-pixel labels read as
 * 10 points, the size of the pane's own small text.
 */

export type ChartAppearance = "light" | "dark";

/** What the bars measure: tokens, or the Credits they spend at MiMo's rates. */
export type ChartUnit = "tokens" | "credits";

export interface Palette {
  series: string[];
  /** The baseline and tick marks. */
  axis: string;
  /** The top and middle lines across the plot. */
  grid: string;
  /** Title and value labels. */
  text: string;
  /** Time labels, notes and a bar's own value. */
  muted: string;
  /** What other devices used, stacked on this Mac's bars: a hue none of `series` takes. */
  elsewhere: string;
}

// Text colours keep a contrast of 7:1 or more against the pane (white in light, about #1E1E1E in
// dark); bar colours are Raycast's orange first, then hues that stay apart in both appearances.
const PALETTES: Record<ChartAppearance, Palette> = {
  light: {
    series: ["#E85D04", "#2563EB", "#16A34A", "#9333EA", "#CA8A04", "#0891B2", "#6B7280"],
    axis: "#9CA3AF",
    grid: "#D1D5DB",
    text: "#1F2937",
    muted: "#4B5563",
    elsewhere: "#DB2777",
  },
  dark: {
    series: ["#FF8A3D", "#60A5FA", "#4ADE80", "#C084FC", "#FACC15", "#22D3EE", "#9CA3AF"],
    axis: "#6B7280",
    grid: "#4B5563",
    text: "#E5E7EB",
    muted: "#B8BEC8",
    elsewhere: "#F472B6",
  },
};

export function chartPalette(appearance: ChartAppearance): Palette {
  return PALETTES[appearance];
}

export const UNIT_WORDS: Record<ChartUnit, string> = { tokens: "tokens", credits: "Credits" };

/** A value as the axis and the bars say it: "1.2M" tokens, "8.58B" Credits. */
export function formatValue(value: number, unit: ChartUnit): string {
  return unit === "tokens" ? formatTokens(value) : formatCredits(value);
}

export const FONT_SIZE = 12;
const TITLE_SIZE = 13;
/** Rough width of a character of the chart's sans-serif at `size`: digits are about 0.56 em. */
const CHAR_WIDTH = 0.6;
/** Room left for the value labels, which are at most five characters ("12.3M", "8.58B"). */
export const VALUE_LABEL_ROOM = 46;
export const EDGE = 8;

export function textWidth(text: string, size = FONT_SIZE): number {
  return text.length * size * CHAR_WIDTH;
}

export function fixed(n: number): string {
  return n.toFixed(1);
}

export function escapeXml(text: string): string {
  return text.replace(/[<>&"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

export function svgDataUrl(svg: string): string {
  return `data:image/svg+xml;base64,${Buffer.from(svg, "utf8").toString("base64")}`;
}

export function svgDocument(width: number, height: number, body: string): string {
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="-apple-system, BlinkMacSystemFont, Helvetica, Arial, sans-serif">${body}</svg>`;
}

interface TextOptions {
  anchor?: "start" | "middle" | "end";
  size?: number;
  weight?: "bold";
  fill: string;
  /** Extra attributes (class, data-*), written as given. */
  attributes?: string;
}

export function svgText(x: number, y: number, content: string, options: TextOptions): string {
  const attributes = options.attributes ? ` ${options.attributes}` : "";
  const weight = options.weight ? ` font-weight="${options.weight}"` : "";
  return `<text${attributes} x="${fixed(x)}" y="${fixed(y)}" text-anchor="${options.anchor ?? "start"}" font-size="${options.size ?? FONT_SIZE}"${weight} fill="${options.fill}">${escapeXml(content)}</text>`;
}

/** Where the bars go. */
export interface PlotBox {
  left: number;
  right: number;
  top: number;
  bottom: number;
}

/**
 * The chart's title line: what the bars are and when, in the text colour, then a note (the part of a
 * figure that has no rate) in the muted colour, on the same line when it fits and under it when not.
 * Returns the SVG and where the header ends.
 */
export function titleLine(
  title: string,
  note: string | null,
  palette: Palette,
  width: number,
): { svg: string; bottom: number } {
  const y = EDGE + TITLE_SIZE;
  const main = svgText(EDGE, y, title, {
    size: TITLE_SIZE,
    weight: "bold",
    fill: palette.text,
    attributes: 'class="chart-title"',
  });
  if (!note) return { svg: main, bottom: y + 6 };
  const after = EDGE + textWidth(title, TITLE_SIZE) + 10;
  const fits = after + textWidth(note) <= width - EDGE;
  const noteY = fits ? y : y + FONT_SIZE + 5;
  const svg =
    main + svgText(fits ? after : EDGE, noteY, note, { fill: palette.muted, attributes: 'class="chart-note"' });
  return { svg, bottom: noteY + 6 };
}

/**
 * The value axis: lines at the top (the data's largest value, so the tallest bar touches it) and
 * halfway, the baseline, and their labels left of the plot. Each label carries its exact value.
 */
export function valueAxis(box: PlotBox, max: number, unit: ChartUnit, palette: Palette): string {
  const label = (value: number, y: number) =>
    svgText(box.left - 6, y + FONT_SIZE * 0.35, formatValue(value, unit), {
      anchor: "end",
      fill: palette.text,
      attributes: `class="value-label" data-value="${value}"`,
    });
  const line = (y: number, stroke: string, dashed: boolean) =>
    `<line x1="${fixed(box.left)}" y1="${fixed(y)}" x2="${fixed(box.right)}" y2="${fixed(y)}" stroke="${stroke}" stroke-width="1"${dashed ? ' stroke-dasharray="3 3"' : ""}/>`;
  const middle = (box.top + box.bottom) / 2;
  const parts = [line(box.bottom, palette.axis, false), label(0, box.bottom)];
  if (max > 0) parts.push(line(box.top, palette.grid, true), label(max, box.top));
  // A midline whose label would repeat the top's (a maximum of 1) says nothing.
  if (max > 1) parts.push(line(middle, palette.grid, true), label(max / 2, middle));
  return `<g class="value-axis" data-max="${max}">${parts.join("")}</g>`;
}

/** A label under the plot: at `x`, with the instant or date it names. */
export interface AxisLabel {
  x: number;
  text: string;
  /** An ISO instant or a local date, for tests and tooltips. */
  at: string;
}

/**
 * The time axis: the first label starts at the plot's left edge and the last ends at its right one,
 * so both are always shown whole; the labels between are centred on their tick and kept only where
 * they clear their neighbours. Labels come in time order.
 */
export function timeAxis(
  box: PlotBox,
  first: AxisLabel,
  last: AxisLabel | null,
  between: AxisLabel[],
  palette: Palette,
) {
  const y = box.bottom + FONT_SIZE + 5;
  const gap = 10;
  const kept: { label: AxisLabel; anchor: "start" | "middle" | "end"; from: number; to: number }[] = [
    { label: first, anchor: "start", from: box.left, to: box.left + textWidth(first.text) },
  ];
  const end = last ? box.right - textWidth(last.text) : Infinity;
  for (const label of between) {
    const half = textWidth(label.text) / 2;
    if (label.x - half < kept[kept.length - 1].to + gap || label.x + half > end - gap) continue;
    kept.push({ label, anchor: "middle", from: label.x - half, to: label.x + half });
  }
  if (last && end >= kept[kept.length - 1].to + gap)
    kept.push({ label: last, anchor: "end", from: end, to: box.right });
  const marks = kept
    .map(({ label }) => {
      const x = fixed(Math.min(box.right, Math.max(box.left, label.x)));
      return `<line x1="${x}" y1="${fixed(box.bottom)}" x2="${x}" y2="${fixed(box.bottom + 4)}" stroke="${palette.axis}" stroke-width="1"/>`;
    })
    .join("");
  const texts = kept
    .map(({ label, anchor }) =>
      svgText(anchor === "start" ? box.left : anchor === "end" ? box.right : label.x, y, label.text, {
        anchor,
        fill: palette.muted,
        attributes: `class="time-label" data-at="${escapeXml(label.at)}"`,
      }),
    )
    .join("");
  return `<g class="time-axis">${marks}${texts}</g>`;
}

/** How far under the plot the time labels reach. */
export const TIME_AXIS_HEIGHT = FONT_SIZE + 10;

/** A note in the middle of an empty plot ("No Credits at MiMo's rates"). */
export function emptyNote(box: PlotBox, text: string, palette: Palette): string {
  return svgText((box.left + box.right) / 2, (box.top + box.bottom) / 2, text, {
    anchor: "middle",
    fill: palette.muted,
    attributes: 'class="chart-note"',
  });
}
