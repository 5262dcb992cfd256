// First: starts the scan worker before the rest of the bundle loads.
import "./start-worker";
import { parseArgs } from "node:util";
import { systemTimeZone } from "../core/views/calendar";
import {
  clientNamesOf,
  DEFAULT_MIMO_DIR,
  DEFAULT_MODEL_FILTER,
  defaultHome,
  engineConfigOf,
  expandHome,
  quoteUnknownNames,
} from "../core/settings";
import { refreshUsage, type EngineConfig } from "../core/chain/local";
import { exportStep } from "../core/chain/export-step";
import { formatCost, formatCreditFigures, formatDateTime, formatFull, formatTokens } from "../core/format";
import { costOf } from "../core/rates";
import type { Snapshot, WindowTotals } from "../core/views/schema";
import { CLIENT_NAMES, CLIENT_TITLES, type OtherClientName } from "../core/scan/clients/names";
import { errnoCode } from "../core/io";
import path from "node:path";
import { compileModelFilter } from "../core/scan/model-filter";
import type { DevicesConfig } from "../core/devices/section";
import type { UsageReport } from "../core/chain/report-schema";

/** Where --platform reads the cookie: an argument would show in the process list. */
const COOKIE_ENV = "MIMO_PLATFORM_COOKIE";

const USAGE = `Usage: npm run scan -- [options]

Counts MiMo token usage from Claude Code transcripts and the other clients' logs on this Mac
(OpenCode, Kilo, OpenClaw, Codex).

  --root DIR             a Claude config folder used only with MiMo (repeatable;
                         default ${DEFAULT_MIMO_DIR} when no --root or --shared is given)
  --shared DIR           a shared config folder; only models matching the filter count (repeatable)
  --model-filter REGEX   which models count in shared folders (default "${DEFAULT_MODEL_FILTER}", case-insensitive)
  --tz IANA              time zone for days and windows (default: the system's)
  --week-start DAY       monday (default) or sunday
  --client NAME          read only these clients (repeatable): claude-code, opencode, kilo,
                         openclaw, codex; default: every client found
  --state FILE           keep incremental state in FILE (without it the scan is cold);
                         an existing FILE that is not a MiMo Usage state is never replaced
  --export-codexbar FILE also write CodexBar's MiMo local cache to FILE (only over an
                         earlier export; any other file is left as it was)
  --sync-folder DIR      publish this machine's figures into DIR/devices/ (a folder Syncthing,
                         rclone, Dropbox or a share keeps alike) and show every other device's;
                         needs --state (the device id is kept beside the state file)
  --device-name NAME     the name other devices show for this one (default: the host name)
  --share-sessions       also publish session ids with their tokens and Credits (never folders)
  --now ISO              count as if it were this instant (e.g. 2026-11-25T12:00:00Z), for
                         reproducible output; default: the clock
  --platform             also ask the MiMo platform (cookie from the ${COOKIE_ENV}
                         environment variable, never an argument) and print the whole
                         account beside this Mac: all devices, elsewhere, Credits; its
                         kept files go beside --state (without --state, nowhere)
  --json                 print the snapshot as JSON
  -h, --help             show this help`;

class UsageError extends Error {}

interface CliOptions {
  config: EngineConfig;
  json: boolean;
  exportFile: string | null;
  cookie: string | null;
  devices: DevicesConfig | null;
}

function parse(argv: string[]): CliOptions | null {
  const { values } = parseArgs({
    args: argv,
    strict: true,
    allowPositionals: false,
    options: {
      root: { type: "string", multiple: true },
      shared: { type: "string", multiple: true },
      "model-filter": { type: "string" },
      client: { type: "string", multiple: true },
      tz: { type: "string" },
      "week-start": { type: "string" },
      state: { type: "string" },
      "export-codexbar": { type: "string" },
      now: { type: "string" },
      "sync-folder": { type: "string" },
      "device-name": { type: "string" },
      "share-sessions": { type: "boolean" },
      json: { type: "boolean" },
      platform: { type: "boolean" },
      help: { type: "boolean", short: "h" },
    },
  });
  if (values.help) return null;
  const home = defaultHome();
  const resolve = (dir: string) => path.resolve(expandHome(dir, home));
  const named = values.root ?? [];
  const shared = values.shared ?? [];
  // Checked by the engine, after it has found the files (see chain/local.ts).
  const timeZone = values.tz ?? systemTimeZone();
  const weekStart = values["week-start"] ?? "monday";
  if (weekStart !== "monday" && weekStart !== "sunday")
    throw new UsageError(`--week-start: expected monday or sunday, got "${weekStart}"`);
  const modelFilter = values["model-filter"] ?? DEFAULT_MODEL_FILTER;
  const filter = compileModelFilter(modelFilter);
  if (!filter.ok) throw new UsageError(`--model-filter: ${filter.message}`);
  const clients = clientsOf(values.client);
  const now = values.now === undefined ? undefined : instantOf(values.now);
  const statePath = values.state ? resolve(values.state) : null;
  const syncFolder = values["sync-folder"];
  if (syncFolder !== undefined && !statePath)
    throw new UsageError("--sync-folder: needs --state FILE too (this device's id is kept beside it)");
  if (syncFolder === undefined && (values["device-name"] !== undefined || values["share-sessions"]))
    throw new UsageError("--device-name and --share-sessions go with --sync-folder");
  const cookie = values.platform ? (process.env[COOKIE_ENV]?.trim() ?? "") : null;
  if (cookie === "") throw new UsageError(`--platform: set the platform cookie in ${COOKIE_ENV}`);
  return {
    config: engineConfigOf({
      dedicated: named.length + shared.length === 0 ? [DEFAULT_MIMO_DIR] : named,
      shared,
      claudeCode: clients.claudeCode,
      modelFilter,
      timeZone,
      weekStart,
      statePath,
      home,
      env: process.env,
      clients: clients.others,
      ...(now ? { now: () => now } : {}),
    }),
    json: values.json ?? false,
    exportFile: values["export-codexbar"] ? resolve(values["export-codexbar"]) : null,
    cookie,
    devices:
      syncFolder !== undefined && statePath
        ? {
            syncFolder: resolve(syncFolder),
            deviceName: values["device-name"] ?? "",
            idFolder: path.dirname(statePath),
            shareSessions: values["share-sessions"] ?? false,
          }
        : null,
  };
}

/** `--client` values: none given reads every client found; given, only those (Claude Code included). */
function clientsOf(typed: string[] | undefined): { claudeCode: boolean; others: OtherClientName[] | "found" } {
  if (!typed || typed.length === 0) return { claudeCode: true, others: "found" };
  const { names, unknown } = clientNamesOf(typed, CLIENT_NAMES);
  if (unknown.length > 0)
    throw new UsageError(
      `--client: unknown client${unknown.length > 1 ? "s" : ""} ${quoteUnknownNames(unknown, CLIENT_NAMES)}; expected one of ${CLIENT_NAMES.join(", ")}`,
    );
  return {
    claudeCode: names.includes("claude-code"),
    others: CLIENT_NAMES.filter((name): name is OtherClientName => name !== "claude-code" && names.includes(name)),
  };
}

/** An instant with its offset, as in transcripts: a bare date or a local time would be ambiguous. */
function instantOf(text: string): Date {
  const ms = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/.test(text) ? Date.parse(text) : NaN;
  if (Number.isNaN(ms)) throw new UsageError(`--now: "${text}" is not an instant like 2026-11-25T12:00:00Z`);
  return new Date(ms);
}

/** Samples heap and RSS while the scan runs, for the benchmark (MIMO_SCAN_REPORT_MEMORY=1). */
function memorySampler(): () => { peakHeapBytes: number; peakRssBytes: number } {
  let peakHeapBytes = 0;
  let peakRssBytes = 0;
  const sample = () => {
    const m = process.memoryUsage();
    peakHeapBytes = Math.max(peakHeapBytes, m.heapUsed);
    peakRssBytes = Math.max(peakRssBytes, m.rss);
  };
  const timer = setInterval(sample, 5);
  return () => {
    clearInterval(timer);
    sample();
    return { peakHeapBytes, peakRssBytes };
  };
}

function row(label: string, t: WindowTotals): string {
  const cells = [t.total, t.input, t.output, t.cacheRead, t.cacheWrite].map((n) => formatTokens(n).padStart(9));
  const credits = formatCreditFigures(t).replace(" Credits", "").padStart(10);
  return `${label.padEnd(10)}${cells.join("")}${String(t.messages).padStart(8)}${String(t.sessions).padStart(9)}${credits}  ${formatCost(costOf(t))}`;
}

function summary(s: Snapshot): string {
  const lines = [
    `MiMo usage, scanned ${formatDateTime(s.updatedAt, s.timeZone)} (${s.timeZone}, week starts ${s.weekStart})`,
    "",
    `${"".padEnd(10)}${["Total", "Input", "Output", "CacheRd", "CacheWr"].map((h) => h.padStart(9)).join("")}${"Msgs".padStart(8)}${"Sessions".padStart(9)}${"Credits".padStart(10)}  Cost`,
    row("Today", s.today),
    row("This week", s.week),
    row("Lifetime", s.lifetime),
    "",
    `Lifetime since ${s.windows.lifetimeFrom ?? "—"}: ${formatFull(s.lifetime.total)} tokens`,
    "",
    `${"By client".padEnd(14)}${["Today", "Week", "Lifetime"].map((h) => h.padStart(10)).join("")}`,
    ...s.clients.map((c) =>
      c.read
        ? `${CLIENT_TITLES[c.name].padEnd(14)}${[c.today, c.week, c.lifetime].map((t) => formatTokens(t.total).padStart(10)).join("")}`
        : `${CLIENT_TITLES[c.name].padEnd(14)}${c.found ? "not read" : "not found"} (${c.path})`,
    ),
  ];
  if (s.vanished.files > 0)
    lines.push(`Kept from ${s.vanished.files} deleted transcripts: ${formatFull(s.vanished.total)} tokens`);
  for (const root of s.roots)
    lines.push(`${root.kind} ${root.path}: ${root.exists ? `${root.files} files` : "no projects folder"}`);
  const { futureDated, ...notCounted } = s.stats.skipped;
  if (futureDated) lines.push(`Dated in the future (counted on their dates): ${futureDated} responses`);
  const skipped = Object.entries(notCounted).map(([reason, n]) => `${reason} ${n}`);
  lines.push(
    `Read ${s.stats.filesRead} of ${s.stats.filesSeen} files, ${formatFull(s.stats.bytesRead)} bytes in ${s.stats.durationMs} ms` +
      (skipped.length ? `; skipped: ${skipped.join(", ")}` : ""),
  );
  for (const warning of s.warnings) lines.push(`warning: ${warning}`);
  return lines.join("\n");
}

async function main(argv: string[]): Promise<number> {
  let options: ReturnType<typeof parse>;
  try {
    options = parse(argv);
  } catch (error) {
    process.stderr.write(`mimo scan: ${error instanceof Error ? error.message : String(error)}\n\n${USAGE}\n`);
    return 2;
  }
  if (!options) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const stopSampling = process.env.MIMO_SCAN_REPORT_MEMORY === "1" ? memorySampler() : null;
  let report: UsageReport | null = null;
  // Loaded only when asked: the plan chain and its schemas cost every other scan nothing.
  const platform = options.cookie !== null ? await import("./platform") : null;
  if (platform && options.cookie !== null) {
    report = await platform.platformReport(options.config, options.cookie, process.env, options.exportFile);
    if (!report.local) {
      process.stderr.write(`mimo scan: ${report.localError?.message ?? "the scan failed"}\n`);
      return 1;
    }
  }
  const result = report?.local
    ? { ok: true as const, snapshot: report.local.snapshot }
    : await refreshUsage(options.config);
  if (!result.ok && result.cause === "timeZone") {
    process.stderr.write(`mimo scan: --tz: ${result.error}\n\n${USAGE}\n`);
    return 2;
  }
  if (!result.ok) {
    process.stderr.write(`mimo scan: ${result.error}\n`);
    return 1;
  }
  const snapshot = result.snapshot;
  // A file we may not replace is reported and the figures are printed all the same; the exit code
  // says the export asked for was not written.
  let code = 0;
  if (options.exportFile) {
    const refused = report
      ? report.problems.find((problem) => problem.kind === "exportFailed")
      : await exportStep(options.exportFile, snapshot);
    if (refused) {
      process.stderr.write(`mimo scan: the CodexBar export was not written: ${refused.detail ?? ""}\n`);
      code = 1;
    }
  }
  // Loaded only with --sync-folder, as the platform is: the digest's schemas build zod's on load.
  const sync = options.devices ? await import("./devices") : null;
  const devices =
    sync && options.devices
      ? await sync.loadDevicesSection(options.devices, { snapshot, fresh: true }, options.config.now?.() ?? new Date())
      : null;
  if (sync && devices) {
    for (const problem of sync.devicesProblems(devices))
      process.stderr.write(`mimo scan: ${problem.title}${problem.detail ? ` (${problem.detail})` : ""}\n`);
    if (devices.published.error) code = 1;
  }
  if (options.json) for (const warning of snapshot.warnings) process.stderr.write(`mimo scan: warning: ${warning}\n`);
  const memory = stopSampling?.();
  const measured = memory ? { ...snapshot, stats: { ...snapshot.stats, ...memory } } : snapshot;
  if (options.json) {
    const withPlatform = report && platform ? { ...measured, ...platform.platformJson(report, snapshot) } : measured;
    const output = sync && devices ? { ...withPlatform, ...sync.devicesJson(devices, snapshot) } : withPlatform;
    process.stdout.write(`${JSON.stringify(output, null, 2)}\n`);
    return code;
  }
  // Only without --json: a fresh process pays for its first Intl formatters here.
  const text = [
    summary(snapshot),
    ...(report && platform ? platform.platformLines(report, snapshot) : []),
    ...(sync && devices ? ["", sync.devicesSummary(devices, snapshot)] : []),
  ].join("\n");
  process.stdout.write(`${text}\n`);
  return code;
}

/**
 * Ends the process once what was written has left: by then everything is saved and printed, and
 * Node's own teardown (freeing a big scan's heap page by page) would only add to every run.
 * Output to a pipe is written asynchronously on macOS, hence the wait for both streams.
 */
function exitWhenFlushed(code: number): void {
  let waiting = 2;
  const done = () => {
    if (--waiting === 0) process.exit(code);
  };
  process.stdout.write("", done);
  process.stderr.write("", done);
}

main(process.argv.slice(2)).then(exitWhenFlushed, (error: unknown) => {
  process.stderr.write(`mimo scan: ${errnoCode(error)}\n`);
  exitWhenFlushed(1);
});
