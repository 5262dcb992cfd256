import { seriesChartSvg, svgDataUrl } from "../../../src/core/views/chart";

describe("session chart", () => {
  const series = [
    { at: "2026-11-25T10:00:00.000Z", total: 100, credits: 0 },
    { at: "2026-11-25T10:15:00.000Z", total: 400, credits: 0 },
    { at: "2026-11-25T10:30:00.000Z", total: 0, credits: 0 },
  ];

  it("draws one bar per point, scaled to the largest", () => {
    const svg = seriesChartSvg(series, { width: 100, height: 58, label: (p) => `${p.total} <tokens>` });
    const heights = [...svg.matchAll(/<rect [^>]*height="([\d.]+)"/g)].map((m) => Number(m[1]));
    expect(heights).toEqual([10.5, 42, 0]);
    expect(svg).toContain("<title>400 &#60;tokens&#62;</title>");
    expect(svg.startsWith("<svg")).toBe(true);
  });

  it("makes a data URL Raycast markdown can show", () => {
    const url = svgDataUrl("<svg/>");
    expect(url).toBe(`data:image/svg+xml;base64,${Buffer.from("<svg/>").toString("base64")}`);
  });
});
