// `npm run bench`: times our scanner against ccusage on synthetic corpora and checks the targets.
//
//   node dist-cli/bench.js [--sizes 300,500] [--shapes real,bulky] [--dir .bench] [--seed 1] [--runs 5]
//                          [--js-runs 1] [--skip-js] [--skip-native] [--generate-only]
//                          [--scan dist-cli/scan.js] [--rss gnu-time|bsd-time|proc-sampled|none]
//
// Sizes are in MB (10^6 bytes). Corpora are cached under --dir and reused while their shape, format
// version, seed and size match; appends made by a run are cut off again afterwards. ccusage and our
// cold scan run in turn (A B A B …) and the ratio is the median of the pairs' ratios, so a machine
// whose speed drifts during the run still compares like with like.
//
//   node dist-cli/bench.js --raycast-path DIR [--workers]   (used by the bench itself) scans DIR cold
//                                               the way the menu bar does: in-process, on the main
//                                               thread only or with its scan worker
//   node dist-cli/bench.js --warm-path DIR --state FILE --manifest FILE [--runs N] [--seed S]
//                                               (used by the bench itself) the menu bar's repeated
//                                               refreshes in one process; see warmPath
import { spawn } from "node:child_process";
import { isMainThread, parentPort, Worker, workerData } from "node:worker_threads";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { refreshUsage } from "../src/core/chain/local";
import {
  appendToCorpus,
  AppendResult,
  CORPUS_FORMAT_VERSION,
  CorpusManifest,
  CorpusShape,
  ExpectedUsage,
  generateCorpus,
  mergeExpected,
  UsageTotals,
} from "./corpus";

const MB = 1_000_000;
/**
 * In-process refreshes take tens of milliseconds and the first few after a cold scan still share the
 * machine with its garbage and the JIT's work, so at least this many of each kind are timed.
 */
const WARM_RUNS = 10;
const TARGETS = {
  coldVsNative: 0.6,
  /** The target is set from 300 MB up; smaller sizes report the ratio for information. */
  coldVsNativeFromBytes: 300 * MB,
  noChangeMs: 50,
  appendMs: 100,
  /** Refreshes after the first in one process, as the menu bar makes them (engine durationMs). */
  warmNoChangeMs: 30,
  warmAppendMs: 60,
  heapBytes: 64 * 1024 * 1024,
  rssBytes: 150 * 1024 * 1024,
};

interface Args {
  sizes: number[];
  shapes: CorpusShape[];
  dir: string;
  seed: number;
  runs: number;
  jsRuns: number;
  skipJs: boolean;
  skipNative: boolean;
  generateOnly: boolean;
  /** Another build of the scan CLI to measure instead of dist-cli/scan.js. */
  scan?: string;
  /** Forces how peak RSS is taken, e.g. to exercise the /proc fallback where GNU time exists. */
  rss?: RssMethod;
}

function repoRoot(): string {
  // Bundled into dist-cli/, so the repo is one level up; fall back to the working directory.
  const up = path.resolve(__dirname, "..");
  return fs.existsSync(path.join(up, "package.json")) ? up : process.cwd();
}

function parseArgs(argv: string[], root: string): Args {
  const args: Args = {
    sizes: [300, 500],
    shapes: ["real"],
    dir: path.join(root, ".bench"),
    seed: 1,
    runs: 5,
    jsRuns: 1,
    skipJs: false,
    skipNative: false,
    generateOnly: false,
  };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    const value = (): string => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${flag} needs a value`);
      return v;
    };
    const count = (v: string): number => {
      const n = Number(v);
      if (!Number.isInteger(n) || n < 1) throw new Error(`${flag} needs a positive integer, got ${v}`);
      return n;
    };
    switch (flag) {
      case "--sizes":
        args.sizes = value()
          .split(",")
          .map((s) => Number(s.trim()));
        if (args.sizes.some((n) => !Number.isFinite(n) || n <= 0))
          throw new Error("--sizes takes MB values like 100,500");
        break;
      case "--shapes":
        args.shapes = value()
          .split(",")
          .map((v) => v.trim())
          .filter((v): v is CorpusShape => {
            if (v !== "real" && v !== "bulky") throw new Error("--shapes takes real and/or bulky");
            return true;
          });
        break;
      case "--dir":
        args.dir = path.resolve(value());
        break;
      case "--seed":
        args.seed = count(value());
        break;
      case "--runs":
        args.runs = count(value());
        break;
      case "--js-runs":
        args.jsRuns = count(value());
        break;
      case "--skip-js":
        args.skipJs = true;
        break;
      case "--skip-native":
        args.skipNative = true;
        break;
      case "--generate-only":
        args.generateOnly = true;
        break;
      case "--scan":
        args.scan = path.resolve(value());
        break;
      case "--rss": {
        const v = value();
        if (v !== "gnu-time" && v !== "bsd-time" && v !== "proc-sampled" && v !== "none") {
          throw new Error("--rss takes gnu-time, bsd-time, proc-sampled or none");
        }
        args.rss = v;
        break;
      }
      case "-h":
      case "--help":
        process.stdout.write(
          "node dist-cli/bench.js [--sizes 300,500] [--shapes real,bulky] [--dir .bench] [--seed 1] [--runs 5] [--js-runs 1] [--skip-js] [--skip-native] [--generate-only] [--scan FILE] [--rss gnu-time|bsd-time|proc-sampled|none]\n",
        );
        process.exit(0);
        break;
      default:
        throw new Error(`unknown flag ${flag}`);
    }
  }
  return args;
}

function log(message: string): void {
  process.stderr.write(`[bench] ${message}\n`);
}

// ---------------------------------------------------------------------------------------------
// Corpus cache

interface Corpus {
  dir: string;
  manifest: CorpusManifest;
  reused: boolean;
}

function corpusName(shape: CorpusShape, sizeMb: number, seed: number): string {
  return `corpus-${shape}-${sizeMb}mb-seed${seed}-v${CORPUS_FORMAT_VERSION}`;
}

function listJsonl(dir: string): string[] {
  const out: string[] = [];
  const visit = (d: string): void => {
    for (const entry of fs.readdirSync(d, { withFileTypes: true })) {
      const full = path.join(d, entry.name);
      if (entry.isDirectory()) visit(full);
      else if (entry.name.endsWith(".jsonl")) out.push(path.relative(dir, full).split(path.sep).join("/"));
    }
  };
  if (fs.existsSync(path.join(dir, "projects"))) visit(path.join(dir, "projects"));
  return out;
}

/** Cuts appended bytes off again; false when the corpus no longer matches its manifest. */
function restoreCorpus(dir: string, manifest: CorpusManifest): boolean {
  const known = new Set(manifest.files.map((f) => f.path));
  if (listJsonl(dir).some((f) => !known.has(f))) return false;
  for (const f of manifest.files) {
    const file = path.join(dir, f.path);
    let size: number;
    try {
      size = fs.statSync(file).size;
    } catch {
      return false;
    }
    if (size < f.bytes) return false;
    if (size > f.bytes) fs.truncateSync(file, f.bytes);
    if (size > f.bytes || Math.abs(fs.statSync(file).mtimeMs - f.mtimeMs) > 1) {
      fs.utimesSync(file, f.mtimeMs / 1000, f.mtimeMs / 1000);
    }
  }
  return true;
}

async function ensureCorpus(root: string, shape: CorpusShape, sizeMb: number, seed: number): Promise<Corpus> {
  const name = corpusName(shape, sizeMb, seed);
  const dir = path.join(root, name);
  const manifestFile = path.join(root, `${name}.manifest.json`);
  if (fs.existsSync(manifestFile) && fs.existsSync(dir)) {
    const manifest = JSON.parse(fs.readFileSync(manifestFile, "utf8")) as CorpusManifest;
    if (manifest.formatVersion === CORPUS_FORMAT_VERSION && restoreCorpus(dir, manifest)) {
      return { dir, manifest, reused: true };
    }
    log(`${name}: cached corpus does not match its manifest, regenerating`);
  }
  fs.rmSync(dir, { recursive: true, force: true });
  log(`${name}: generating ${sizeMb} MB…`);
  const manifest = await generateCorpus({ dir, targetBytes: sizeMb * MB, seed, shape });
  fs.writeFileSync(manifestFile, JSON.stringify(manifest));
  log(
    `${name}: ${(manifest.bytes / MB).toFixed(1)} MB in ${manifest.files.length} files, ${manifest.counts.responses} responses, ${(manifest.generationMs / 1000).toFixed(1)} s`,
  );
  return { dir, manifest, reused: false };
}

/** Reads every file once so each tool below starts from the same warm page cache. */
function warmPageCache(dir: string): void {
  const buf = Buffer.alloc(4 << 20);
  for (const rel of listJsonl(dir)) {
    const fd = fs.openSync(path.join(dir, rel), "r");
    try {
      while (fs.readSync(fd, buf, 0, buf.length, null) > 0) {
        // Reading is the point.
      }
    } finally {
      fs.closeSync(fd);
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Running and measuring a child

type RssMethod = "gnu-time" | "bsd-time" | "proc-sampled" | "none";

interface RunResult {
  ok: boolean;
  code: number | null;
  signal: string | null;
  wallMs: number;
  peakRssBytes: number | null;
  rssMethod: RssMethod;
  cpuMs: number | null;
  stdout: string;
  stderr: string;
}

let timeTool: RssMethod | null = null;

async function detectTimeTool(): Promise<RssMethod> {
  if (timeTool) return timeTool;
  timeTool = "none";
  if (fs.existsSync("/usr/bin/time")) {
    const probe = path.join(os.tmpdir(), `mimo-bench-time-${process.pid}`);
    const gnu = await rawRun("/usr/bin/time", ["-f", "%M", "-o", probe, process.execPath, "-e", "0"], process.env);
    if (gnu.code === 0 && fs.existsSync(probe) && /^\d+\s*$/.test(fs.readFileSync(probe, "utf8")))
      timeTool = "gnu-time";
    else if (process.platform === "darwin") timeTool = "bsd-time";
    fs.rmSync(probe, { force: true });
  }
  if (timeTool === "none" && fs.existsSync("/proc/self/status")) timeTool = "proc-sampled";
  return timeTool;
}

function rawRun(
  command: string,
  args: string[],
  env: NodeJS.ProcessEnv,
  onSpawn?: (pid: number) => void,
): Promise<{ code: number | null; signal: string | null; stdout: string; stderr: string; wallMs: number }> {
  return new Promise((resolve) => {
    const started = process.hrtime.bigint();
    const child = spawn(command, args, { env, stdio: ["ignore", "pipe", "pipe"] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on("data", (b: Buffer) => out.push(b));
    child.stderr.on("data", (b: Buffer) => err.push(b));
    if (child.pid !== undefined && onSpawn) onSpawn(child.pid);
    const finish = (code: number | null, signal: string | null, extra = ""): void => {
      resolve({
        code,
        signal,
        stdout: Buffer.concat(out).toString("utf8"),
        stderr: Buffer.concat(err).toString("utf8") + extra,
        wallMs: Number(process.hrtime.bigint() - started) / 1e6,
      });
    };
    child.on("error", (e) => finish(null, null, String(e)));
    child.on("close", (code, signal) => finish(code, signal));
  });
}

function readHwmKb(pid: number): number {
  try {
    const m = /VmHWM:\s+(\d+)\s+kB/.exec(fs.readFileSync(`/proc/${pid}/status`, "utf8"));
    return m ? Number(m[1]) : 0;
  } catch {
    return 0;
  }
}

function childPids(pid: number): number[] {
  const out: number[] = [];
  try {
    for (const task of fs.readdirSync(`/proc/${pid}/task`)) {
      const text = fs.readFileSync(`/proc/${pid}/task/${task}/children`, "utf8").trim();
      if (text) for (const c of text.split(/\s+/)) out.push(Number(c));
    }
  } catch {
    // Gone already, or a kernel without the children file: the root process alone is sampled.
  }
  return out;
}

/** Runs a command, measuring wall time and peak RSS (the largest process of its tree, like time(1)). */
async function measure(command: string, args: string[], env: NodeJS.ProcessEnv): Promise<RunResult> {
  const method = await detectTimeTool();
  if (method === "gnu-time") {
    const report = path.join(os.tmpdir(), `mimo-bench-${process.pid}-${Date.now()}.time`);
    const r = await rawRun("/usr/bin/time", ["-f", "%M %U %S", "-o", report, command, ...args], env);
    let peak: number | null = null;
    let cpu: number | null = null;
    try {
      const last = fs.readFileSync(report, "utf8").trim().split("\n").pop() ?? "";
      const m = /^(\d+) ([\d.]+) ([\d.]+)$/.exec(last);
      if (m) {
        peak = Number(m[1]) * 1024;
        cpu = (Number(m[2]) + Number(m[3])) * 1000;
      }
    } catch {
      // No report means the command could not run; the exit code says so.
    }
    fs.rmSync(report, { force: true });
    return { ...r, ok: r.code === 0, peakRssBytes: peak, rssMethod: "gnu-time", cpuMs: cpu };
  }
  if (method === "bsd-time") {
    const r = await rawRun("/usr/bin/time", ["-l", command, ...args], env);
    const m = /(\d+)\s+maximum resident set size/.exec(r.stderr);
    return { ...r, ok: r.code === 0, peakRssBytes: m ? Number(m[1]) : null, rssMethod: "bsd-time", cpuMs: null };
  }
  if (method === "proc-sampled") {
    let peakKb = 0;
    let timer: NodeJS.Timeout | undefined;
    const r = await rawRun(command, args, env, (pid) => {
      const sample = (): void => {
        const seen = new Set<number>();
        const queue = [pid];
        while (queue.length > 0) {
          const p = queue.pop() as number;
          if (seen.has(p)) continue;
          seen.add(p);
          peakKb = Math.max(peakKb, readHwmKb(p));
          queue.push(...childPids(p));
        }
      };
      sample();
      timer = setInterval(sample, 5);
    });
    if (timer) clearInterval(timer);
    return { ...r, ok: r.code === 0, peakRssBytes: peakKb > 0 ? peakKb * 1024 : null, rssMethod: method, cpuMs: null };
  }
  const r = await rawRun(command, args, env);
  return { ...r, ok: r.code === 0, peakRssBytes: null, rssMethod: "none", cpuMs: null };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

interface Timed {
  runs: RunResult[];
  wallMs: number;
  peakRssBytes: number | null;
  ok: boolean;
}

async function timed(n: number, command: string, args: string[], env: NodeJS.ProcessEnv): Promise<Timed> {
  const runs: RunResult[] = [];
  for (let i = 0; i < n; i++) {
    const r = await measure(command, args, env);
    runs.push(r);
    if (!r.ok) break;
  }
  const ok = runs.every((r) => r.ok);
  const rss = runs.map((r) => r.peakRssBytes).filter((v): v is number => v !== null);
  return {
    runs,
    ok,
    wallMs: median(runs.map((r) => r.wallMs)),
    peakRssBytes: rss.length > 0 ? Math.max(...rss) : null,
  };
}

function summarize(runs: RunResult[]): Timed {
  const rss = runs.map((r) => r.peakRssBytes).filter((v): v is number => v !== null);
  return {
    runs,
    ok: runs.length > 0 && runs.every((r) => r.ok),
    wallMs: median(runs.map((r) => r.wallMs)),
    peakRssBytes: rss.length > 0 ? Math.max(...rss) : null,
  };
}

interface Command {
  command: string;
  args: string[];
  env: NodeJS.ProcessEnv;
}

/**
 * Runs the commands in turn, A B A B …, `n` times each, so drift in the machine's speed falls on
 * both alike; `ratios[i]` is the median over the rounds of command i's wall time over command 0's.
 */
async function alternating(n: number, commands: Command[]): Promise<{ timed: Timed[]; ratios: number[] }> {
  const runs: RunResult[][] = commands.map(() => []);
  for (let round = 0; round < n; round++) {
    for (let i = 0; i < commands.length; i++) {
      const r = await measure(commands[i].command, commands[i].args, commands[i].env);
      runs[i].push(r);
    }
    if (runs.some((list) => !list[list.length - 1].ok)) break;
  }
  const ratios = runs.map((list) => median(list.map((r, round) => r.wallMs / runs[0][round].wallMs)));
  return { timed: runs.map(summarize), ratios };
}

function failure(r: RunResult): string {
  const first = r.stderr.trim().split("\n")[0] ?? "";
  return `exit ${r.code ?? r.signal ?? "?"}${first ? `: ${first.slice(0, 160)}` : ""}`;
}

// ---------------------------------------------------------------------------------------------
// Output shapes

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function numberAt(value: unknown, key: string): number | undefined {
  if (!isRecord(value)) return undefined;
  const v = value[key];
  return typeof v === "number" && Number.isFinite(v) ? v : undefined;
}

interface ScanStats {
  filesSeen?: number;
  filesRead?: number;
  bytesRead?: number;
  durationMs?: number;
  peakHeapBytes?: number;
  peakRssBytes?: number;
}

interface ScanOutput {
  stats: ScanStats;
  days: Map<string, Partial<UsageTotals>>;
  lifetime?: Partial<UsageTotals>;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function parseScan(stdout: string): ScanOutput | undefined {
  const json = parseJson(stdout);
  if (!isRecord(json)) return undefined;
  const s = json.stats;
  const stats: ScanStats = {
    filesSeen: numberAt(s, "filesSeen"),
    filesRead: numberAt(s, "filesRead"),
    bytesRead: numberAt(s, "bytesRead"),
    durationMs: numberAt(s, "durationMs"),
    peakHeapBytes: numberAt(s, "peakHeapBytes"),
    peakRssBytes: numberAt(s, "peakRssBytes"),
  };
  const totals = (v: unknown): Partial<UsageTotals> => ({
    input: numberAt(v, "input"),
    output: numberAt(v, "output"),
    cacheRead: numberAt(v, "cacheRead"),
    cacheWrite: numberAt(v, "cacheWrite"),
    messages: numberAt(v, "messages"),
  });
  const days = new Map<string, Partial<UsageTotals>>();
  if (Array.isArray(json.days)) {
    for (const d of json.days) if (isRecord(d) && typeof d.date === "string") days.set(d.date, totals(d));
  }
  return { stats, days, lifetime: isRecord(json.lifetime) ? totals(json.lifetime) : undefined };
}

const BUCKETS = ["input", "output", "cacheRead", "cacheWrite"] as const;

/** Compares per-day buckets; `messages` too when the producer reports them. */
function compareDays(got: Map<string, Partial<UsageTotals>>, expected: ExpectedUsage, withMessages: boolean): string[] {
  const problems: string[] = [];
  const keys = new Set([...Object.keys(expected.days), ...got.keys()]);
  for (const day of [...keys].sort()) {
    const e = expected.days[day];
    const g = got.get(day);
    const fields: (keyof UsageTotals)[] = withMessages ? [...BUCKETS, "messages"] : [...BUCKETS];
    for (const f of fields) {
      const ev = e ? e[f] : 0;
      const gv = g?.[f] ?? 0;
      // Days with nothing may be left out by either side.
      if (ev !== gv) problems.push(`${day} ${f}: expected ${ev}, got ${gv}`);
    }
  }
  return problems;
}

function ccusageDays(stdout: string): Map<string, Partial<UsageTotals>> | undefined {
  const json = parseJson(stdout);
  if (!isRecord(json) || !Array.isArray(json.daily)) return undefined;
  const days = new Map<string, Partial<UsageTotals>>();
  for (const d of json.daily) {
    if (!isRecord(d) || typeof d.date !== "string") continue;
    days.set(d.date, {
      input: numberAt(d, "inputTokens"),
      output: numberAt(d, "outputTokens"),
      cacheRead: numberAt(d, "cacheReadTokens"),
      cacheWrite: numberAt(d, "cacheCreationTokens"),
    });
  }
  return days;
}

// ---------------------------------------------------------------------------------------------
// One size

interface Row {
  what: string;
  wall: string;
  rate: string;
  rss: string;
  heap: string;
  notes: string;
}

interface Check {
  /** The corpus, as "300 MB real". */
  size: string;
  target: string;
  value: string;
  pass: boolean | null;
}

const fmtMs = (ms: number | null | undefined): string =>
  ms === null || ms === undefined ? "–" : `${ms.toFixed(0)} ms`;
const fmtMb = (b: number | null | undefined): string =>
  b === null || b === undefined ? "–" : `${(b / 1024 / 1024).toFixed(1)} MiB`;
const fmtRate = (bytes: number, ms: number): string => `${(bytes / MB / (ms / 1000)).toFixed(0)} MB/s`;

interface Tools {
  root: string;
  scan: string;
  ccusageBin: string | null;
  ccusageNative: string | null;
  ccusageJs: string | null;
}

function findTools(root: string): Tools {
  const exists = (p: string): string | null => (fs.existsSync(p) ? p : null);
  const archs: Record<string, string> = { x64: "x64", arm64: "arm64" };
  const plat = process.platform === "win32" ? "win32" : process.platform;
  const nativeDir = `@ccusage/ccusage-${plat}-${archs[process.arch] ?? process.arch}`;
  return {
    root,
    scan: path.join(root, "dist-cli", "scan.js"),
    ccusageBin: exists(path.join(root, "node_modules", ".bin", "ccusage")),
    ccusageNative: exists(path.join(root, "node_modules", nativeDir, "bin", "ccusage")),
    ccusageJs: exists(path.join(root, "node_modules", "ccusage-js", "dist", "index.js")),
  };
}

async function benchSize(
  args: Args,
  tools: Tools,
  shape: CorpusShape,
  sizeMb: number,
  rows: Row[],
  checks: Check[],
  mixes: string[][],
): Promise<void> {
  const corpus = await ensureCorpus(args.dir, shape, sizeMb, args.seed);
  const { dir, manifest } = corpus;
  const bytes = manifest.bytes;
  const label = `${sizeMb} MB ${shape}`;
  mixes.push(mixRow(label, manifest));
  if (corpus.reused) log(`${label}: reusing ${dir}`);
  if (args.generateOnly) return;
  warmPageCache(dir);

  const home = fs.mkdtempSync(path.join(os.tmpdir(), "mimo-bench-home-"));
  const work = fs.mkdtempSync(path.join(os.tmpdir(), "mimo-bench-state-"));
  // A throwaway HOME keeps ccusage away from real transcripts and config.
  const ccEnv: NodeJS.ProcessEnv = { ...process.env, HOME: home, CLAUDE_CONFIG_DIR: dir, NO_COLOR: "1" };
  delete ccEnv.NODE_OPTIONS;
  const scanEnv: NodeJS.ProcessEnv = { ...process.env, MIMO_SCAN_REPORT_MEMORY: "1" };
  delete scanEnv.NODE_OPTIONS;
  const check = (target: string, value: string, pass: boolean | null): void => {
    checks.push({ size: label, target, value, pass });
  };

  try {
    // ccusage first: its numbers do not depend on anything we build.
    let nativeMs: number | null = null;
    let jsMs: number | null = null;
    const ccArgs = ["--json", "--offline", "--timezone", "UTC"];
    const ccRow = (what: string, t: Timed): void => {
      let notes = t.ok ? "" : failure(t.runs[t.runs.length - 1]);
      if (t.ok) {
        const days = ccusageDays(t.runs[0].stdout);
        const problems = days ? compareDays(days, manifest.expected, false) : ["unreadable JSON"];
        notes = problems.length === 0 ? "totals match manifest" : `${problems.length} day buckets differ from manifest`;
      }
      rows.push({
        what: `${label} · ${what}`,
        wall: fmtMs(t.wallMs),
        rate: t.ok ? fmtRate(bytes, t.wallMs) : "–",
        rss: fmtMb(t.peakRssBytes),
        heap: "–",
        notes,
      });
    };
    if (!fs.existsSync(tools.scan)) {
      log(`${label}: ${tools.scan} is missing; run \`node scripts/build-cli.mjs\``);
      check("our scan", "dist-cli/scan.js missing", null);
      return;
    }
    // ccusage and our cold scan in turn, then the menu bar's way (main thread, in-process).
    // Claude Code only: it is compared with ccusage's Claude figures, and other clients on this Mac would skew it.
    const scanArgs = [tools.scan, "--root", dir, "--client", "claude-code", "--tz", "UTC", "--json"];
    const ours: Command = { command: process.execPath, args: scanArgs, env: scanEnv };
    const raycast: Command = {
      command: process.execPath,
      args: [path.join(tools.root, "dist-cli", "bench.js"), "--raycast-path", dir],
      env: scanEnv,
    };
    const raycastWorkers: Command = { ...raycast, args: [...raycast.args, "--workers"] };
    const withCc = !args.skipNative && tools.ccusageBin !== null;
    const ourCommands = [ours, raycast, raycastWorkers];
    const commands = withCc
      ? [{ command: tools.ccusageBin as string, args: ["claude", "daily", ...ccArgs], env: ccEnv }, ...ourCommands]
      : ourCommands;
    log(`${label}: ${withCc ? "ccusage, " : ""}our cold scan and the Raycast paths in turn ×${args.runs}`);
    const paired = await alternating(args.runs, commands);
    const [cold, inProcess, inProcessWorkers] = paired.timed.slice(withCc ? 1 : 0);
    let coldRatio: number | null = null;
    if (withCc) {
      ccRow("ccusage 20.0.24 `claude daily` (npm bin)", paired.timed[0]);
      if (paired.timed[0].ok) {
        nativeMs = paired.timed[0].wallMs;
        coldRatio = paired.ratios[1];
      }
    }
    if (!args.skipNative && tools.ccusageNative) {
      log(`${label}: ccusage 20.0.24 (native binary direct) ×${args.runs}`);
      const t = await timed(args.runs, tools.ccusageNative, ["claude", "daily", ...ccArgs], ccEnv);
      ccRow("ccusage 20.0.24 native binary, no node wrapper", t);
    }
    if (!args.skipJs && tools.ccusageJs) {
      log(`${label}: ccusage 18.0.11 (JS) ×${args.jsRuns}`);
      const t = await timed(args.jsRuns, process.execPath, [tools.ccusageJs, "daily", ...ccArgs], ccEnv);
      ccRow("ccusage 18.0.11 JS `daily`", t);
      if (t.ok) jsMs = t.wallMs;
    }

    const coldOut = cold.ok ? parseScan(cold.runs[0].stdout) : undefined;
    if (!cold.ok || !coldOut) {
      rows.push({
        what: `${label} · our cold scan`,
        wall: fmtMs(cold.wallMs),
        rate: "–",
        rss: fmtMb(cold.peakRssBytes),
        heap: "–",
        notes: cold.ok ? "output is not the snapshot JSON" : failure(cold.runs[cold.runs.length - 1]),
      });
      check("our scan", "did not run", false);
      return;
    }
    const heaps = cold.runs
      .map((r) => parseScan(r.stdout)?.stats.peakHeapBytes)
      .filter((v): v is number => v !== undefined);
    const peakHeap = heaps.length > 0 ? Math.max(...heaps) : null;
    const selfRss = cold.runs
      .map((r) => parseScan(r.stdout)?.stats.peakRssBytes)
      .filter((v): v is number => v !== undefined);
    const peakRss = cold.peakRssBytes ?? (selfRss.length > 0 ? Math.max(...selfRss) : null);
    const problems = compareDays(coldOut.days, manifest.expected, true);
    rows.push({
      what: `${label} · our cold scan`,
      wall: fmtMs(cold.wallMs),
      rate: fmtRate(bytes, cold.wallMs),
      rss: fmtMb(peakRss),
      heap: fmtMb(peakHeap),
      notes: [
        `durationMs ${fmtMs(coldOut.stats.durationMs)}`,
        problems.length === 0 ? "days match manifest" : `${problems.length} day buckets differ: ${problems[0]}`,
      ].join("; "),
    });
    check("days match manifest", problems.length === 0 ? "yes" : `${problems.length} differ`, problems.length === 0);
    if (nativeMs !== null && coldRatio !== null) {
      const ratio = coldRatio;
      if (bytes >= TARGETS.coldVsNativeFromBytes * 0.95) {
        check(
          `cold / ccusage ≤ ${TARGETS.coldVsNative} (median of pairs)`,
          ratio.toFixed(2),
          ratio <= TARGETS.coldVsNative,
        );
      } else {
        check("cold / ccusage (target applies from 300 MB)", ratio.toFixed(2), null);
      }
    }
    for (const [run, how] of [
      [inProcess, "main thread only"],
      [inProcessWorkers, "with its scan worker"],
    ] as const) {
      const out = run.ok ? parseScan(run.runs[0].stdout) : undefined;
      const durations = run.runs
        .map((r) => parseScan(r.stdout)?.stats.durationMs)
        .filter((v): v is number => v !== undefined);
      const problems = out ? compareDays(out.days, manifest.expected, true) : ["no output"];
      rows.push({
        what: `${label} · Raycast path: cold, ${how}, in-process`,
        wall: durations.length > 0 ? fmtMs(median(durations)) : "–",
        rate: durations.length > 0 ? fmtRate(bytes, median(durations)) : "–",
        rss: fmtMb(run.peakRssBytes),
        heap: fmtMb(out?.stats.peakHeapBytes),
        notes: run.ok
          ? `stats.durationMs in the process (process wall ${fmtMs(run.wallMs)}); ${problems.length === 0 ? "days match manifest" : "days differ"}`
          : failure(run.runs[run.runs.length - 1]),
      });
      check(`Raycast path (${how}) days match manifest`, problems.length === 0 ? "yes" : "no", problems.length === 0);
    }
    if (jsMs !== null) check("cold / ccusage JS", (cold.wallMs / jsMs).toFixed(3), null);
    check("peak JS heap ≤ 64 MiB", fmtMb(peakHeap), peakHeap === null ? null : peakHeap <= TARGETS.heapBytes);
    check("peak RSS ≤ 150 MiB", fmtMb(peakRss), peakRss === null ? null : peakRss <= TARGETS.rssBytes);

    // Under a 64 MB old-space cap.
    log(`${label}: our cold scan under --max-old-space-size=64`);
    const capped = await measure(process.execPath, scanArgs, {
      ...scanEnv,
      NODE_OPTIONS: "--max-old-space-size=64",
    });
    const cappedOut = capped.ok ? parseScan(capped.stdout) : undefined;
    const cappedOk =
      capped.ok && cappedOut !== undefined && compareDays(cappedOut.days, manifest.expected, true).length === 0;
    rows.push({
      what: `${label} · our cold scan, max-old-space-size=64`,
      wall: fmtMs(capped.wallMs),
      rate: capped.ok ? fmtRate(bytes, capped.wallMs) : "–",
      rss: fmtMb(capped.peakRssBytes),
      heap: fmtMb(cappedOut?.stats.peakHeapBytes),
      notes: cappedOk ? "completed, days match" : capped.ok ? "completed, output differs" : failure(capped),
    });
    check("completes with --max-old-space-size=64", cappedOk ? "yes" : "no", cappedOk);

    // With state: build it, rescan unchanged, then rescan after appends.
    const state = path.join(work, "state.bin");
    const stateArgs = [tools.scan, "--root", dir, "--client", "claude-code", "--tz", "UTC", "--state", state, "--json"];
    log(`${label}: our scan with state (cold, then ${args.runs}× unchanged)`);
    const build = await measure(process.execPath, stateArgs, scanEnv);
    const buildOut = build.ok ? parseScan(build.stdout) : undefined;
    rows.push({
      what: `${label} · state build (cold with --state)`,
      wall: fmtMs(build.wallMs),
      rate: build.ok ? fmtRate(bytes, build.wallMs) : "–",
      rss: fmtMb(build.peakRssBytes),
      heap: fmtMb(buildOut?.stats.peakHeapBytes),
      notes: build.ok
        ? `durationMs ${fmtMs(buildOut?.stats.durationMs)}; state file ${fs.existsSync(state) ? `${(fs.statSync(state).size / 1024).toFixed(0)} KiB` : "not written"}`
        : failure(build),
    });
    if (!build.ok) return;

    const unchanged = await timed(args.runs, process.execPath, stateArgs, scanEnv);
    const unchangedOuts = unchanged.runs.map((r) => parseScan(r.stdout));
    const durations = unchangedOuts.map((o) => o?.stats.durationMs).filter((v): v is number => v !== undefined);
    const readBytes = unchangedOuts.map((o) => o?.stats.bytesRead);
    const noChangeMs = durations.length > 0 ? median(durations) : null;
    const allZero = readBytes.every((b) => b === 0);
    const unchangedProblems = unchangedOuts[0]
      ? compareDays(unchangedOuts[0].days, manifest.expected, true)
      : ["no output"];
    rows.push({
      what: `${label} · refresh, nothing changed`,
      wall: fmtMs(unchanged.wallMs),
      rate: "–",
      rss: fmtMb(unchanged.peakRssBytes),
      heap: fmtMb(unchangedOuts[0]?.stats.peakHeapBytes),
      notes: `durationMs ${fmtMs(noChangeMs)}; bytesRead ${readBytes.join("/")}; ${unchangedProblems.length === 0 ? "days match" : "days differ"}`,
    });
    check(
      `no-change refresh ≤ ${TARGETS.noChangeMs} ms (durationMs)`,
      fmtMs(noChangeMs),
      noChangeMs === null ? null : noChangeMs <= TARGETS.noChangeMs,
    );
    check("no-change refresh reads 0 bytes", readBytes.join("/"), allZero);

    log(`${label}: our scan after 1 MB appends ×${args.runs}`);
    let expected = manifest.expected;
    const appendWall: number[] = [];
    const appendDur: number[] = [];
    const appendRead: string[] = [];
    let appendRss: number | null = null;
    let appendHeap: number | null = null;
    let appendOk = true;
    let appendMatches = true;
    for (let i = 0; i < args.runs; i++) {
      const added = await appendToCorpus(dir, MB, { seed: args.seed + i });
      expected = mergeExpected(expected, added.expected);
      const r = await measure(process.execPath, stateArgs, scanEnv);
      const out = r.ok ? parseScan(r.stdout) : undefined;
      if (!r.ok || !out) {
        appendOk = false;
        break;
      }
      appendWall.push(r.wallMs);
      if (out.stats.durationMs !== undefined) appendDur.push(out.stats.durationMs);
      appendRead.push(`${out.stats.bytesRead ?? "?"}/${added.bytesAppended}`);
      const near =
        out.stats.bytesRead !== undefined &&
        out.stats.bytesRead >= added.bytesAppended &&
        out.stats.bytesRead <= added.bytesAppended * 1.5 + 64 * 1024;
      if (!near) appendOk = false;
      if (compareDays(out.days, expected, true).length > 0) appendMatches = false;
      if (r.peakRssBytes !== null) appendRss = Math.max(appendRss ?? 0, r.peakRssBytes);
      if (out.stats.peakHeapBytes !== undefined) appendHeap = Math.max(appendHeap ?? 0, out.stats.peakHeapBytes);
    }
    const appendMs = appendDur.length > 0 ? median(appendDur) : null;
    rows.push({
      what: `${label} · refresh after 1 MB append`,
      wall: appendWall.length > 0 ? fmtMs(median(appendWall)) : "–",
      rate: "–",
      rss: fmtMb(appendRss),
      heap: fmtMb(appendHeap),
      notes: `durationMs ${fmtMs(appendMs)}; bytesRead/appended ${appendRead.join(", ")}; ${appendMatches ? "days match" : "days differ"}`,
    });
    check(
      `refresh after 1 MB append ≤ ${TARGETS.appendMs} ms (durationMs)`,
      fmtMs(appendMs),
      appendMs === null ? null : appendMs <= TARGETS.appendMs,
    );
    check("append refresh reads ≈ the appended bytes", appendRead.join(", "), appendOk);
    check("append refresh totals match", appendMatches ? "yes" : "no", appendMatches);

    // The menu bar's way: refreshes in one process, each loading the state file afresh.
    restoreCorpus(dir, manifest);
    const warmRuns = Math.max(args.runs, WARM_RUNS);
    log(`${label}: in-process refreshes (cold with state, ${warmRuns}× unchanged, ${warmRuns}× after 1 MB appends)`);
    const manifestFile = path.join(args.dir, `${corpusName(shape, sizeMb, args.seed)}.manifest.json`);
    const warmArgs = [path.join(tools.root, "dist-cli", "bench.js"), "--warm-path", dir];
    warmArgs.push("--state", path.join(work, "warm-state.bin"), "--manifest", manifestFile);
    warmArgs.push("--runs", String(warmRuns), "--seed", String(args.seed));
    const warm = await measure(process.execPath, warmArgs, scanEnv);
    const warmOut = warm.ok ? (parseJson(warm.stdout) as WarmReport | undefined) : undefined;
    if (!warmOut) {
      rows.push({
        what: `${label} · in-process refreshes`,
        wall: "–",
        rate: "–",
        rss: "–",
        heap: "–",
        notes: failure(warm),
      });
      check("in-process refreshes", "did not run", false);
      return;
    }
    warmRows(label, warmOut, rows, check);
  } finally {
    // Appends are cut off so the cached corpus stays the one its manifest describes.
    restoreCorpus(dir, manifest);
    fs.rmSync(home, { recursive: true, force: true });
    fs.rmSync(work, { recursive: true, force: true });
  }
}

/** The rows and checks of one `--warm-path` run. */
function warmRows(
  label: string,
  warm: WarmReport,
  rows: Row[],
  check: (target: string, value: string, pass: boolean | null) => void,
): void {
  const med = (list: { durationMs: number }[]): number | null =>
    list.length > 0 ? median(list.map((r) => r.durationMs)) : null;
  const wall = (list: WarmRefresh[]): string =>
    list.length > 0
      ? `call wall ${fmtMs(median(list.map((r) => r.wallMs)))}, CPU ${fmtMs(median(list.map((r) => r.cpuMs)))}`
      : "call wall –";
  const totals =
    warm.problems.length === 0 ? "days match" : `${warm.problems.length} day buckets differ: ${warm.problems[0]}`;
  const noChange = med(warm.unchanged);
  const append = med(warm.appends);
  rows.push({
    what: `${label} · in-process refresh, nothing changed (after the first)`,
    wall: fmtMs(noChange),
    rate: "–",
    rss: "–",
    heap: "–",
    notes: `engine durationMs; ${wall(warm.unchanged)}; bytesRead ${warm.unchanged.map((r) => r.bytesRead).join("/")}; state file ${(warm.cold.stateBytes / 1024).toFixed(0)} KiB; ${totals}`,
  });
  rows.push({
    what: `${label} · in-process refresh after 1 MB append`,
    wall: fmtMs(append),
    rate: "–",
    rss: "–",
    heap: "–",
    notes: `engine durationMs; ${wall(warm.appends)}; bytesRead/appended ${warm.appends.map((r) => `${r.bytesRead}/${r.bytesAppended}`).join(", ")}`,
  });
  check(
    `in-process no-change refresh ≤ ${TARGETS.warmNoChangeMs} ms (durationMs)`,
    fmtMs(noChange),
    noChange === null ? null : noChange <= TARGETS.warmNoChangeMs,
  );
  check(
    `in-process refresh after 1 MB append ≤ ${TARGETS.warmAppendMs} ms (durationMs)`,
    fmtMs(append),
    append === null ? null : append <= TARGETS.warmAppendMs,
  );
  const zero = warm.unchanged.every((r) => r.bytesRead === 0);
  check("in-process no-change refresh reads 0 bytes", zero ? "yes" : "no", zero);
  const near = warm.appends.every(
    (r) => r.bytesRead >= r.bytesAppended && r.bytesRead <= r.bytesAppended * 1.5 + 64 * 1024,
  );
  check("in-process append refresh reads ≈ the appended bytes", near ? "yes" : "no", near);
  check("in-process refresh totals match", warm.problems.length === 0 ? "yes" : "no", warm.problems.length === 0);
}

function table(headers: string[], rows: string[][]): string {
  const esc = (s: string): string => s.replace(/\|/g, "\\|");
  return [
    `| ${headers.join(" | ")} |`,
    `| ${headers.map(() => "---").join(" | ")} |`,
    ...rows.map((r) => `| ${r.map(esc).join(" | ")} |`),
  ].join("\n");
}

/** The line mix of a corpus: share of lines, average size, and share of bytes per kind of line. */
function mixRow(label: string, manifest: CorpusManifest): string[] {
  const mix = manifest.mix ?? {};
  const cell = (kinds: (keyof typeof mix)[]): string => {
    let lines = 0;
    let bytes = 0;
    for (const kind of kinds) {
      lines += mix[kind]?.lines ?? 0;
      bytes += mix[kind]?.bytes ?? 0;
    }
    if (lines === 0) return "0";
    const share = (100 * lines) / manifest.lines;
    return `${lines.toLocaleString("en-US")} (${share.toFixed(1)}%, ${(bytes / lines / 1000).toFixed(1)} kB avg, ${((100 * bytes) / manifest.bytes).toFixed(0)}% of bytes)`;
  };
  return [
    label,
    manifest.files.length.toLocaleString("en-US"),
    manifest.lines.toLocaleString("en-US"),
    cell(["assistant"]),
    cell(["user"]),
    cell(["apiError"]),
    cell(["system", "summary", "other"]),
  ];
}

/** What `--warm-path` prints: each refresh of one process, timed inside the engine and around the call. */
interface WarmRefresh {
  durationMs: number;
  wallMs: number;
  /** CPU time of the process during the call: on a shared machine it varies less than the wall. */
  cpuMs: number;
  bytesRead: number;
}

interface WarmReport {
  cold: WarmRefresh & { stateBytes: number; problems: number };
  unchanged: WarmRefresh[];
  appends: (WarmRefresh & { bytesAppended: number })[];
  /** Day buckets that differ from the manifest (plus what was appended), over all refreshes. */
  problems: string[];
}

/**
 * `--warm-path DIR --state FILE --manifest FILE [--runs N] [--seed S]`: the menu bar's repeated
 * refreshes in one process. A cold refresh builds the state, then N refreshes find nothing new, then
 * N rounds append about 1 MB and refresh. Each refresh loads the state file afresh (the engine keeps
 * nothing between calls), on the main thread only and without sessions, as the menu bar runs it.
 */
async function warmPath(argv: string[]): Promise<void> {
  const flag = (name: string): string | undefined => {
    const i = argv.indexOf(name);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  const dir = path.resolve(flag("--warm-path") ?? "");
  const statePath = flag("--state");
  const manifestFile = flag("--manifest");
  if (!statePath || !manifestFile) throw new Error("--warm-path needs --state FILE and --manifest FILE");
  const runs = Number(flag("--runs") ?? 5);
  const seed = Number(flag("--seed") ?? 1);
  const manifest = JSON.parse(fs.readFileSync(manifestFile, "utf8")) as CorpusManifest;
  let expected = manifest.expected;
  const report: WarmReport = {
    cold: { durationMs: 0, wallMs: 0, cpuMs: 0, bytesRead: 0, stateBytes: 0, problems: 0 },
    unchanged: [],
    appends: [],
    problems: [],
  };
  const refresh = async (): Promise<WarmRefresh> => {
    const cpu = process.cpuUsage();
    const started = performance.now();
    const result = await refreshUsage({
      roots: [{ path: dir, kind: "dedicated" }],
      modelFilter: "mimo",
      timeZone: "UTC",
      weekStart: "monday",
      statePath,
      sessions: false,
      parallel: { workerSource: null, minBytes: Number.POSITIVE_INFINITY, maxWorkers: 0 },
    });
    const wallMs = performance.now() - started;
    const used = process.cpuUsage(cpu);
    const cpuMs = (used.user + used.system) / 1000;
    if (!result.ok) throw new Error(result.error);
    const { snapshot } = result;
    const days = new Map<string, Partial<UsageTotals>>(snapshot.days.map((d) => [d.date, d]));
    report.problems.push(...compareDays(days, expected, true));
    return { durationMs: snapshot.stats.durationMs, wallMs, cpuMs, bytesRead: snapshot.stats.bytesRead };
  };
  fs.rmSync(statePath, { force: true });
  const cold = await refresh();
  report.cold = { ...cold, stateBytes: fs.statSync(statePath).size, problems: report.problems.length };
  for (let i = 0; i < runs; i++) report.unchanged.push(await refresh());
  for (let i = 0; i < runs; i++) {
    const added = await appendOnWorker(dir, seed + i);
    expected = mergeExpected(expected, added.expected);
    report.appends.push({ ...(await refresh()), bytesAppended: added.bytesAppended });
  }
  process.stdout.write(JSON.stringify(report));
}

/**
 * Appends about 1 MB from a worker thread, as Claude Code writes from another process: the
 * generator's garbage stays in the worker's own heap instead of being collected during the refresh
 * measured next (and, unlike a child process, nothing is forked from the measured one).
 */
function appendOnWorker(dir: string, seed: number): Promise<AppendResult> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(__filename, { workerData: { appendTo: dir, seed } });
    let added: AppendResult | null = null;
    worker.once("message", (result: AppendResult) => (added = result));
    worker.once("error", reject);
    // Done once the worker is gone, so its teardown does not run beside the refresh measured next.
    worker.once("exit", (code) =>
      added ? resolve(added) : reject(new Error(`the append worker exited with ${code}`)),
    );
  });
}

/**
 * `--raycast-path DIR [--workers]`: one cold scan the way the menu bar runs it, in this process, on
 * the main thread only or with the scan worker the build embeds; prints the snapshot with the peak
 * JS heap, like `scan --json` does.
 */
async function raycastPath(dir: string, workers: boolean): Promise<void> {
  let peakHeapBytes = 0;
  const sample = () => (peakHeapBytes = Math.max(peakHeapBytes, process.memoryUsage().heapUsed));
  const timer = setInterval(sample, 5);
  const result = await refreshUsage({
    roots: [{ path: dir, kind: "dedicated" }],
    modelFilter: "mimo",
    timeZone: "UTC",
    weekStart: "monday",
    statePath: null,
    parallel: workers ? undefined : { workerSource: null, minBytes: Number.POSITIVE_INFINITY, maxWorkers: 0 },
  });
  clearInterval(timer);
  sample();
  if (!result.ok) throw new Error(result.error);
  const { snapshot } = result;
  process.stdout.write(JSON.stringify({ ...snapshot, stats: { ...snapshot.stats, peakHeapBytes } }));
}

async function main(): Promise<void> {
  if (!isMainThread && parentPort) {
    const { appendTo, seed } = workerData as { appendTo: string; seed: number };
    parentPort.postMessage(await appendToCorpus(appendTo, MB, { seed }));
    return;
  }
  const root = repoRoot();
  const argv = process.argv.slice(2);
  if (argv[0] === "--raycast-path" && argv[1]) return raycastPath(path.resolve(argv[1]), argv[2] === "--workers");
  if (argv[0] === "--warm-path" && argv[1]) return warmPath(argv);
  const args = parseArgs(argv, root);
  fs.mkdirSync(args.dir, { recursive: true });
  const tools = findTools(root);
  if (args.scan) tools.scan = args.scan;
  if (args.rss) timeTool = args.rss;
  const method = await detectTimeTool();
  log(`peak RSS via ${method}; corpora in ${args.dir}`);

  const rows: Row[] = [];
  const checks: Check[] = [];
  const mixes: string[][] = [];
  for (const shape of args.shapes) {
    for (const size of args.sizes) await benchSize(args, tools, shape, size, rows, checks, mixes);
  }
  if (args.generateOnly) return;

  const lines = [
    `## MiMo Usage scan benchmark`,
    "",
    `${os.cpus().length} × ${os.cpus()[0]?.model ?? "cpu"}, node ${process.version}, ${os.platform()} ${os.release()}; ` +
      `seed ${args.seed}; median of ${args.runs} run(s) (ccusage JS: ${args.jsRuns}); warm page cache; ` +
      `peak RSS via ${method} (largest process of the tree); MB = 10^6 bytes.`,
    "",
    table(["corpus", "files", "lines", "assistant lines", "user lines", "API-error lines", "other lines"], mixes),
    "",
    table(
      ["run", "wall", "throughput", "peak RSS", "peak JS heap", "notes"],
      rows.map((r) => [r.what, r.wall, r.rate, r.rss, r.heap, r.notes]),
    ),
    "",
    table(
      ["size", "target", "value", "result"],
      checks.map((c) => [c.size, c.target, c.value, c.pass === null ? "n/a" : c.pass ? "PASS" : "FAIL"]),
    ),
    "",
  ];
  process.stdout.write(lines.join("\n"));
  fs.writeFileSync(
    path.join(args.dir, "last-results.json"),
    JSON.stringify({ when: new Date().toISOString(), args, rssMethod: method, rows, checks }, null, 2),
  );
}

main().catch((e: unknown) => {
  process.stderr.write(`[bench] ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  process.exitCode = 1;
});
