/**
 * Reads a chart's SVG back into what a person sees: the title line, the value axis's labels with the
 * height they sit at, the bars, and the labels under the plot, each in document order.
 */

export interface ReadChart {
  title: string;
  titleFill: string;
  note: string | null;
  /** The plot's edges, from the value axis's baseline and top line (top is NaN with no top line). */
  plot: { left: number; right: number; top: number; bottom: number };
  /** Each value label with its exact value and the y of the line it names. */
  valueLabels: { value: number; text: string; y: number }[];
  /** Single bars (the session chart); the history chart's stacks are read by its own test. */
  bars: { at: string; value: number; x: number; y: number; width: number; height: number; fill: string }[];
  /** Values written over bars. */
  barValues: { value: number; text: string }[];
  timeLabels: { at: string; text: string; x: number }[];
  legend: string[];
}

interface Element {
  tag: string;
  attributes: Record<string, string>;
  text: string;
}

function elements(svg: string): Element[] {
  return [...svg.matchAll(/<(text|rect|line|g)\b([^>]*?)\/?>(?:([^<]*)<\/text>)?/g)].map(([, tag, raw, text]) => ({
    tag,
    attributes: Object.fromEntries([...raw.matchAll(/([\w-]+)="([^"]*)"/g)].map(([, name, value]) => [name, value])),
    text: (text ?? "").replace(/&#(\d+);/g, (_, code: string) => String.fromCharCode(Number(code))),
  }));
}

/** The elements between `<g class="…">` and its closing tag (the groups this reader uses do not nest). */
function group(svg: string, name: string): Element[] {
  const match = new RegExp(`<g class="${name}"[^>]*>(.*?)</g>`).exec(svg);
  return match ? elements(match[1]) : [];
}

export function readChart(svg: string): ReadChart {
  const all = elements(svg);
  const title = all.find((e) => e.attributes.class === "chart-title");
  if (!title) throw new Error(`No title in: ${svg}`);
  const axis = group(svg, "value-axis");
  const valueLabels: ReadChart["valueLabels"] = [];
  let lineY = NaN;
  let baseline: Element | undefined;
  let topLine: Element | undefined;
  for (const element of axis) {
    if (element.tag === "line") {
      lineY = Number(element.attributes.y1);
      if (!baseline) baseline = element;
      else if (!topLine) topLine = element;
    } else if (element.tag === "text") {
      valueLabels.push({ value: Number(element.attributes["data-value"]), text: element.text, y: lineY });
    }
  }
  if (!baseline) throw new Error(`No value axis in: ${svg}`);
  return {
    title: title.text,
    titleFill: title.attributes.fill,
    note: all.find((e) => e.attributes.class === "chart-note")?.text ?? null,
    plot: {
      left: Number(baseline.attributes.x1),
      right: Number(baseline.attributes.x2),
      bottom: Number(baseline.attributes.y1),
      top: topLine ? Number(topLine.attributes.y1) : NaN,
    },
    valueLabels,
    bars: all
      .filter((e) => e.tag === "rect" && e.attributes.class === "bar")
      .map(({ attributes: a }) => ({
        at: a["data-at"],
        value: Number(a["data-value"]),
        x: Number(a.x),
        y: Number(a.y),
        width: Number(a.width),
        height: Number(a.height),
        fill: a.fill,
      })),
    barValues: all
      .filter((e) => e.attributes.class === "bar-value")
      .map((e) => ({ value: Number(e.attributes["data-value"]), text: e.text })),
    timeLabels: all
      .filter((e) => e.attributes.class === "time-label")
      .map((e) => ({ at: e.attributes["data-at"], text: e.text, x: Number(e.attributes.x) })),
    legend: all.filter((e) => e.attributes.class === "legend-label").map((e) => e.text),
  };
}
