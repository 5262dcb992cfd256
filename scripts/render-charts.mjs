// `node scripts/render-charts.mjs [--out docs/charts] [--chromium /usr/bin/chromium]`: draws the
// README's pictures of the session and history charts. A made-up month of use goes through the real
// chain (transcripts in a temp folder, scan, snapshot), the charts' own code makes the SVGs, and
// headless Chromium photographs each in Raycast's light and dark appearance, side by side as the
// detail pane would show them. Not part of the tests or the build: it needs a Chromium.
import { execFileSync } from "node:child_process";
import { promises as fs } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import * as esbuild from "esbuild";

const repo = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const args = process.argv.slice(2);
const option = (name, fallback) => {
  const at = args.indexOf(name);
  return at >= 0 ? args[at + 1] : fallback;
};
const out = path.resolve(repo, option("--out", "docs/charts"));
const chromium = option("--chromium", "/usr/bin/chromium");

/** The pane's background in each appearance, near Raycast's own. */
const BACKGROUNDS = { light: "#FFFFFF", dark: "#1E1E1E" };

// The data side runs from TypeScript sources, bundled for this run only.
const entry = `
import { makeReport, localSnapshot } from "./test/helpers/report";
import { historySummary } from "./src/core/views/history";
import { historyChartSvg } from "./src/core/views/history-chart";
import { sessionChartSvg } from "./src/core/views/chart";

export async function charts(corpus, now) {
  const made = await makeReport({ corpus, now: new Date(now), platform: null, timeZone: "Europe/Berlin" });
  try {
    const snapshot = localSnapshot(made.report);
    const summary = historySummary(snapshot, "last-30");
    const session = snapshot.sessions.find((s) => s.sessionId === "refactor");
    const out = {};
    for (const appearance of ["light", "dark"]) {
      out["history-" + appearance] = historyChartSvg(summary.days, {
        appearance, stackBy: "bucket", unit: "tokens", dayModels: snapshot.dayModels, weekStart: snapshot.weekStart,
      });
      out["session-" + appearance] = sessionChartSvg(session, { appearance, unit: "credits", timeZone: snapshot.timeZone });
    }
    return out;
  } finally {
    await made.cleanup();
  }
}
`;

/** A month of made-up use: a session most weekdays, lighter weekends, a quiet week, and one long refactor. */
function corpus() {
  let seed = 7;
  const random = () => (seed = (seed * 16807) % 2147483647) / 2147483647;
  const sessions = [];
  const end = Date.parse("2026-11-25T00:00:00Z");
  for (let day = 29; day >= 1; day--) {
    const date = new Date(end - day * 86_400_000);
    const weekend = date.getUTCDay() === 0 || date.getUTCDay() === 6;
    if ((weekend && random() < 0.6) || (day >= 15 && day <= 17)) continue;
    const lines = [];
    const requests = Math.round((weekend ? 8 : 30) * (0.4 + random()));
    for (let i = 0; i < requests; i++) {
      const ts = new Date(date.getTime() + (8 + i * 0.2 + random() * 0.1) * 3_600_000).toISOString();
      lines.push({
        ts,
        input: Math.round(2_000 + random() * 6_000),
        output: Math.round(800 + random() * 3_000),
        cacheRead: Math.round(40_000 + random() * 140_000),
        model: random() < 0.8 ? "mimo-v2.5-pro" : "mimo-v2.5",
      });
    }
    sessions.push({ id: `day-${day}`, cwd: "/Users/me/work/webapp", lines });
  }
  const lines = [];
  for (let minute = 0; minute < 190; minute += 4 + Math.round(random() * 6)) {
    const busy = minute > 40 && minute < 110 ? 3 : 1;
    lines.push({
      ts: new Date(Date.parse("2026-11-25T08:06:00Z") + minute * 60_000).toISOString(),
      input: Math.round(busy * (3_000 + random() * 5_000)),
      output: Math.round(busy * (1_000 + random() * 2_500)),
      cacheRead: Math.round(60_000 + minute * 900),
    });
  }
  sessions.push({ id: "refactor", cwd: "/Users/me/work/webapp", summary: "Refactor the session store", lines });
  return sessions;
}

const work = await fs.mkdtemp(path.join(os.tmpdir(), "mimo-charts-"));
try {
  const bundle = path.join(work, "charts.mjs");
  await esbuild.build({
    stdin: { contents: entry, resolveDir: repo, loader: "ts", sourcefile: "charts-entry.ts" },
    bundle: true,
    platform: "node",
    format: "esm",
    outfile: bundle,
    logLevel: "warning",
    banner: { js: "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);" },
  });
  const { charts } = await import(pathToFileURL(bundle).href);
  const svgs = await charts(corpus(), "2026-11-25T12:00:00Z");
  await fs.mkdir(out, { recursive: true });
  for (const name of ["session", "history"]) {
    const light = svgs[`${name}-light`];
    const dark = svgs[`${name}-dark`];
    const [, width, height] = /width="(\d+)" height="(\d+)"/.exec(light).map(Number);
    const pad = 16;
    const page = `<!doctype html><html><body style="margin:0;display:flex">
      <div style="background:${BACKGROUNDS.light};padding:${pad}px">${light}</div>
      <div style="background:${BACKGROUNDS.dark};padding:${pad}px">${dark}</div></body></html>`;
    const html = path.join(work, `${name}.html`);
    await fs.writeFile(html, page);
    const png = path.join(out, `${name}-chart.png`);
    execFileSync(chromium, [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--hide-scrollbars",
      "--force-device-scale-factor=2",
      `--window-size=${2 * (width + 2 * pad)},${height + 2 * pad}`,
      `--screenshot=${png}`,
      pathToFileURL(html).href,
    ]);
    console.log(`wrote ${path.relative(repo, png)}`);
  }
} finally {
  await fs.rm(work, { recursive: true, force: true });
}
