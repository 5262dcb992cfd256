import type { SeriesPoint } from "./schema";

/**
 * A small bar chart of a session's tokens over time, as SVG for the list's detail pane (Raycast
 * renders markdown images from data URLs). Plain text so it is testable and needs no canvas.
 */

export interface ChartOptions {
  width?: number;
  height?: number;
  color?: string;
  label?: (point: SeriesPoint) => string;
}

export function seriesChartSvg(series: SeriesPoint[], options: ChartOptions = {}): string {
  const width = options.width ?? 560;
  const height = options.height ?? 140;
  const color = options.color ?? "#FF6900";
  const pad = 8;
  const max = Math.max(1, ...series.map((p) => p.total));
  const slot = (width - pad * 2) / Math.max(1, series.length);
  const barWidth = Math.max(1, slot * 0.8);
  const bars = series
    .map((point, i) => {
      const h = Math.max(point.total > 0 ? 1 : 0, ((height - pad * 2) * point.total) / max);
      const x = pad + i * slot + (slot - barWidth) / 2;
      const y = height - pad - h;
      const title = options.label ? `<title>${escapeXml(options.label(point))}</title>` : "";
      return `<rect x="${x.toFixed(1)}" y="${y.toFixed(1)}" width="${barWidth.toFixed(1)}" height="${h.toFixed(1)}" rx="1.5" fill="${color}">${title}</rect>`;
    })
    .join("");
  const axis = `<line x1="${pad}" y1="${height - pad}" x2="${width - pad}" y2="${height - pad}" stroke="#8888" stroke-width="1"/>`;
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}">${axis}${bars}</svg>`;
}

export function svgDataUrl(svg: string): string {
  return `data:image/svg+xml;base64,${Buffer.from(svg, "utf8").toString("base64")}`;
}

export function escapeXml(text: string): string {
  return text.replace(/[<>&"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
