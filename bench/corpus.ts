// Deterministic synthetic Claude Code transcript corpus for tests and the benchmark.
//
// The shapes follow what Claude Code 2.x writes under <CLAUDE_CONFIG_DIR>/projects: one line per
// content block of a streamed response (sharing message.id and requestId, only the last one
// carrying the final output_tokens), tool results that dwarf everything else, summaries,
// file-history snapshots, system lines, synthetic API-error lines, resumed sessions that copy
// earlier lines into a new file, and sub-agent transcripts in <sessionId>/subagents/.
//
// Expected totals are tallied by construction while writing, never by re-reading the files, so
// they are an independent oracle for both our scanner and ccusage.
import * as fs from "node:fs";
import * as path from "node:path";

/** Bumped whenever the bytes produced for a given seed change, so cached corpora are rebuilt. */
export const CORPUS_FORMAT_VERSION = 2;
export const DEFAULT_MODELS: readonly string[] = ["mimo-v2.5-pro", "mimo-v2.5"];
/** Fixed rather than "now" so the same seed always yields the same bytes. */
export const DEFAULT_START_DATE = new Date("2026-03-01T00:00:00.000Z");
export const DEFAULT_DAYS = 30;

export interface UsageTotals {
  input: number;
  output: number;
  cacheRead: number;
  cacheWrite: number;
  /** Counted responses (distinct message.id + requestId). */
  messages: number;
}

export interface ExpectedUsage {
  timeZone: string;
  /** Keyed by the local calendar day ("YYYY-MM-DD") of each response's final line. */
  days: Record<string, UsageTotals>;
  /** `sessions`: distinct sessionIds with at least one counted response (sub-agents belong to their parent). */
  totals: UsageTotals & { sessions: number };
}

export type CorpusFileKind = "session" | "resumed" | "subagent" | "stub";

export interface CorpusFile {
  /** Relative to the corpus dir, with forward slashes. */
  path: string;
  kind: CorpusFileKind;
  sessionId: string;
  bytes: number;
  lines: number;
  /** mtime given to the file: its last line's timestamp, as Claude Code would leave it. */
  mtimeMs: number;
}

export interface CorpusCounts {
  sessions: number;
  resumedSessions: number;
  subagentFiles: number;
  stubFiles: number;
  /** Counted responses, i.e. expected.totals.messages. */
  responses: number;
  /** Every assistant line written for a counted response, partial copies included. */
  assistantLines: number;
  replayedLines: number;
  apiErrors: number;
  apiRetryLines: number;
  compactions: number;
  modelSwitches: number;
  /** Responses whose partial lines fall on the local day before their final line. */
  midnightStraddles: number;
}

/** Kinds of line in the mix reported with the benchmark; "apiError" is an API-error placeholder. */
export type LineKind = "assistant" | "user" | "apiError" | "system" | "summary" | "other";
export type LineMix = Partial<Record<LineKind, { lines: number; bytes: number }>>;

/**
 * "real" follows a 300 MB sample of real Claude Code transcripts: two thirds of the lines are
 * assistant lines (about 1.1 KB: thinking, text or tool_use before the usage), user lines carry most
 * bytes (about 5 KB of tool results), a response takes 2 to 4 lines, about 1 line in 100 is an
 * API-error placeholder, and 300 MB hold about 1,300 transcripts. "bulky" is the earlier shape: fewer,
 * larger files and tool results, and a third as many lines per megabyte.
 */
export type CorpusShape = "real" | "bulky";

interface ShapeKnobs {
  maxSessionBytes: number;
  maxSubagentBytes: number;
  /** Per turn, in main sessions of tricky corpora. */
  apiErrorChance: number;
  toolChance: number;
  maxTools: number;
  thinkingChance: number;
  thinkingChars: readonly [number, number];
  signatureChars: readonly [number, number];
  /** Text of a response with tools, and of one without. */
  textChars: readonly [number, number, number];
  /** Lines a response takes at least: a text block is added below it. */
  minBlocks: number;
  /** Thinking and text are cut between words rather than at line ends (which overshoot short sizes). */
  cutAtWords: boolean;
  /** Chance of a file-history snapshot line before a prompt; the first prompt may always get one. */
  snapshotChance: number;
  snapshotOnOpening: boolean;
  /** Chance of one more text line in a response of fewer than four lines. */
  extraTextChance: number;
  promptChars: readonly [number, number];
  /** Min, max old_string and max new_string of an Edit. */
  editChars: readonly [number, number, number];
  writeChars: readonly [number, number];
  /** Tool result sizes: [cumulative probability, min chars, max chars] bands, log-uniform within. */
  resultBands: readonly (readonly [number, number, number])[];
}

const SHAPES: Record<CorpusShape, ShapeKnobs> = {
  real: {
    maxSessionBytes: 2_300_000,
    maxSubagentBytes: 400_000,
    apiErrorChance: 0.055,
    toolChance: 0.85,
    maxTools: 2,
    thinkingChance: 0.6,
    thinkingChars: [30, 900],
    signatureChars: [100, 300],
    textChars: [20, 300, 1200],
    minBlocks: 2,
    extraTextChance: 0.4,
    snapshotChance: 0.02,
    snapshotOnOpening: true,
    cutAtWords: true,
    promptChars: [30, 800],
    editChars: [30, 300, 500],
    writeChars: [100, 1500],
    resultBands: [
      [0.67, 100, 2000],
      [0.95, 2000, 9000],
      [0.996, 9000, 45_000],
      [1, 45_000, 180_000],
    ],
  },
  bulky: {
    maxSessionBytes: 10_000_000,
    maxSubagentBytes: 1_500_000,
    apiErrorChance: 0.012,
    toolChance: 0.78,
    maxTools: 4,
    thinkingChance: 0.55,
    thinkingChars: [80, 4000],
    signatureChars: [300, 900],
    textChars: [40, 600, 4000],
    minBlocks: 1,
    extraTextChance: 0,
    snapshotChance: 0.8,
    snapshotOnOpening: false,
    cutAtWords: false,
    promptChars: [30, 1500],
    editChars: [40, 1500, 2500],
    writeChars: [300, 16_000],
    resultBands: [
      [0.62, 150, 3000],
      [0.89, 3000, 20_000],
      [0.98, 20_000, 90_000],
      [1, 90_000, 350_000],
    ],
  },
};

export interface CorpusOptions {
  dir: string;
  targetBytes: number;
  seed?: number;
  /** Timestamps fall in the `days` days before this instant. */
  startDate?: Date;
  days?: number;
  models?: readonly string[];
  /** IANA zone for `expected`; default "UTC". */
  timeZone?: string;
  /** More zones to tally into `expectedByTimeZone`. */
  extraTimeZones?: readonly string[];
  /** Replayed (resumed) sessions and API-error lines; default true. */
  tricky?: boolean;
  /** Sub-agent transcripts under <sessionId>/subagents; default true. */
  subagents?: boolean;
  /** Upper bound for one main session file; default by shape (1.5 MB real, 10 MB bulky). */
  maxSessionBytes?: number;
  /** Default "real". */
  shape?: CorpusShape;
}

export interface CorpusManifest {
  formatVersion: number;
  dir: string;
  seed: number;
  startDate: string;
  days: number;
  models: string[];
  tricky: boolean;
  subagents: boolean;
  shape: CorpusShape;
  targetBytes: number;
  bytes: number;
  lines: number;
  files: CorpusFile[];
  /** Lines and bytes per kind of line. */
  mix: LineMix;
  counts: CorpusCounts;
  expected: ExpectedUsage;
  expectedByTimeZone: Record<string, ExpectedUsage>;
  generationMs: number;
}

export interface AppendOptions {
  seed?: number;
  timeZone?: string;
  extraTimeZones?: readonly string[];
  models?: readonly string[];
  shape?: CorpusShape;
}

export interface AppendResult {
  file: string;
  bytesAppended: number;
  linesAppended: number;
  /** What the appended lines add; merge into a manifest's expectation with mergeExpected. */
  expected: ExpectedUsage;
  expectedByTimeZone: Record<string, ExpectedUsage>;
}

// ---------------------------------------------------------------------------------------------
// Randomness

/** sfc32 seeded through splitmix32: fast, tiny state, identical on every platform. */
export class Rng {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  constructor(seed: number) {
    let s = seed >>> 0;
    const split = (): number => {
      s = (s + 0x9e3779b9) >>> 0;
      let z = s;
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
      return (z ^ (z >>> 16)) >>> 0;
    };
    this.a = split();
    this.b = split();
    this.c = split();
    this.d = split();
    for (let i = 0; i < 12; i++) this.next();
  }

  next(): number {
    const t = (((this.a + this.b) >>> 0) + this.d) >>> 0;
    this.d = (this.d + 1) >>> 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) >>> 0;
    this.c = ((this.c << 21) | (this.c >>> 11)) >>> 0;
    this.c = (this.c + t) >>> 0;
    return t / 4294967296;
  }

  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)];
  }

  logUniform(min: number, max: number): number {
    return Math.exp(Math.log(min) + this.next() * (Math.log(max) - Math.log(min)));
  }

  /** Exponential with the given mean: the usual shape of think times and tool latencies. */
  exp(mean: number): number {
    return -Math.log(1 - this.next()) * mean;
  }

  chars(alphabet: string, n: number): string {
    let out = "";
    for (let i = 0; i < n; i++) out += alphabet[Math.floor(this.next() * alphabet.length)];
    return out;
  }

  uuid(): string {
    const h = this.chars(HEX, 32);
    const variant = HEX[8 + Math.floor(this.next() * 4)];
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${h.slice(20, 32)}`;
  }
}

const HEX = "0123456789abcdef";
const BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
const BASE64 = BASE62 + "+/";

// ---------------------------------------------------------------------------------------------
// Day bookkeeping

const FIFTEEN_MINUTES = 15 * 60 * 1000;

/** Local calendar day of an instant in an IANA zone, as "YYYY-MM-DD". */
export function localDay(ms: number, timeZone: string): string {
  return dayFormatter(timeZone)(ms);
}

const formatterCache = new Map<string, (ms: number) => string>();

function dayFormatter(timeZone: string): (ms: number) => string {
  const cached = formatterCache.get(timeZone);
  if (cached) return cached;
  const fmt = new Intl.DateTimeFormat("en-US", { timeZone, year: "numeric", month: "2-digit", day: "2-digit" });
  // Every zone offset in use is a multiple of 15 minutes, so the local day is constant within a
  // 15-minute UTC bucket; caching per bucket keeps Intl off the hot path.
  const buckets = new Map<number, string>();
  const format = (ms: number): string => {
    const bucket = Math.floor(ms / FIFTEEN_MINUTES);
    const hit = buckets.get(bucket);
    if (hit) return hit;
    let y = "";
    let m = "";
    let d = "";
    for (const part of fmt.formatToParts(new Date(bucket * FIFTEEN_MINUTES))) {
      if (part.type === "year") y = part.value;
      else if (part.type === "month") m = part.value;
      else if (part.type === "day") d = part.value;
    }
    const key = `${y}-${m}-${d}`;
    buckets.set(bucket, key);
    return key;
  };
  formatterCache.set(timeZone, format);
  return format;
}

/** First instant of the next local day after `ms` in `timeZone`. */
export function nextLocalMidnight(ms: number, timeZone: string): number {
  const format = dayFormatter(timeZone);
  const today = format(ms);
  let bucket = Math.floor(ms / FIFTEEN_MINUTES) + 1;
  while (format(bucket * FIFTEEN_MINUTES) === today) bucket++;
  return bucket * FIFTEEN_MINUTES;
}

interface ResponseUsage {
  input: number;
  output: number;
  cacheRead: number;
  cacheWrite: number;
}

function emptyTotals(): UsageTotals {
  return { input: 0, output: 0, cacheRead: 0, cacheWrite: 0, messages: 0 };
}

class DayBook {
  readonly days: Record<string, UsageTotals> = {};
  private readonly format: (ms: number) => string;

  constructor(readonly timeZone: string) {
    this.format = dayFormatter(timeZone);
  }

  add(ms: number, usage: ResponseUsage): void {
    const key = this.format(ms);
    const day = (this.days[key] ??= emptyTotals());
    day.input += usage.input;
    day.output += usage.output;
    day.cacheRead += usage.cacheRead;
    day.cacheWrite += usage.cacheWrite;
    day.messages += 1;
  }

  result(sessions: number): ExpectedUsage {
    return expectation(this.timeZone, [this.days], sessions);
  }
}

function addTotals(into: UsageTotals, day: UsageTotals): void {
  into.input += day.input;
  into.output += day.output;
  into.cacheRead += day.cacheRead;
  into.cacheWrite += day.cacheWrite;
  into.messages += day.messages;
}

/** Day books summed day by day, in date order, with their grand total. */
function expectation(timeZone: string, books: Record<string, UsageTotals>[], sessions: number): ExpectedUsage {
  const merged: Record<string, UsageTotals> = {};
  for (const book of books)
    for (const [key, day] of Object.entries(book)) addTotals((merged[key] ??= emptyTotals()), day);
  const days: Record<string, UsageTotals> = {};
  const totals = { ...emptyTotals(), sessions };
  for (const key of Object.keys(merged).sort()) {
    days[key] = merged[key];
    addTotals(totals, merged[key]);
  }
  return { timeZone, days, totals };
}

/**
 * Sums two expectations of the same zone, e.g. a manifest and an append. `sessions` takes the
 * larger count, because an append continues a session the manifest already counts.
 */
export function mergeExpected(a: ExpectedUsage, b: ExpectedUsage): ExpectedUsage {
  if (a.timeZone !== b.timeZone) throw new Error(`cannot merge ${a.timeZone} with ${b.timeZone}`);
  return expectation(a.timeZone, [a.days, b.days], Math.max(a.totals.sessions, b.totals.sessions));
}

// ---------------------------------------------------------------------------------------------
// Text pools
//
// Tool results are slices of a few megabytes of code- and log-like text built once per corpus:
// drawing every character from the PRNG would make generation CPU-bound far below disk speed.

const WORDS = (
  "usage token session cache scanner snapshot entry line offset buffer state parser record model request " +
  "message total daily week lifetime config path project reader chunk index result summary filter timezone " +
  "counter window refresh stream decoder watcher folder plan quota balance export report delta cursor"
).split(" ");
const TYPES = ["string", "number", "boolean", "Usage", "Snapshot", "Session", "DayTotals", "ScanState", "Buffer"];
const VERBS = ["parse", "read", "load", "merge", "count", "format", "resolve", "collect", "flush", "scan", "apply"];
const PROSE = (
  "the a this that we it should could will now then first next also because so if when while each every " +
  "file line test function change fix update check run build read write value result error issue case " +
  "totals day week cache tokens usage session output input model request response stream parser state " +
  "looks seems works fails passes needs handles counts skips keeps returns reads writes compares expects"
).split(" ");
const CJK = [
  "我们需要",
  "检查",
  "今天的",
  "用量统计",
  "缓存",
  "会话",
  "时区",
  "问题",
  "修复",
  "读取",
  "文件",
  "增量",
  "扫描",
  "结果",
  "小米",
  "模型",
  "本周",
  "总计",
];

function camel(rng: Rng): string {
  const a = rng.pick(WORDS);
  const b = rng.pick(WORDS);
  return `${rng.pick(VERBS)}${a[0].toUpperCase()}${a.slice(1)}${b[0].toUpperCase()}${b.slice(1)}`;
}

function sentence(rng: Rng, words: number): string {
  if (rng.chance(0.08)) {
    let s = "";
    for (let i = 0; i < Math.max(2, words >> 1); i++) s += rng.pick(CJK);
    return `${s}。`;
  }
  const parts: string[] = [];
  for (let i = 0; i < words; i++) parts.push(rng.pick(PROSE));
  const s = parts.join(" ");
  return `${s[0].toUpperCase()}${s.slice(1)}.`;
}

function codeLine(rng: Rng, indent: string): string {
  const a = rng.pick(WORDS);
  const b = rng.pick(WORDS);
  switch (rng.int(0, 15)) {
    case 0:
      return `export function ${camel(rng)}(${a}: ${rng.pick(TYPES)}): ${rng.pick(TYPES)} {`;
    case 1:
      return `${indent}const ${a} = ${b}.${camel(rng)}(${rng.pick(WORDS)});`;
    case 2:
      return `${indent}if (!${a}) return ${b};`;
    case 3:
      return `${indent}for (const ${a} of ${b}s) {`;
    case 4:
      return `${indent}  ${a}.${b} += ${rng.pick(WORDS)}.${rng.pick(WORDS)} ?? 0;`;
    case 5:
      return `${indent}}`;
    case 6:
      return `import { ${camel(rng)}, ${rng.pick(TYPES)} } from "./${a}";`;
    case 7:
      return `${indent}// ${sentence(rng, rng.int(4, 14))}`;
    case 8:
      return `${indent}// 计算${rng.pick(CJK)}${rng.pick(CJK)}`;
    case 9:
      return `${indent}${a}: ${rng.pick(TYPES)};`;
    case 10:
      return `${indent}return { ...${a}, ${b}: ${rng.pick(WORDS)}.length };`;
    case 11:
      return `${indent}throw new Error(\`${sentence(rng, rng.int(3, 8))} \${${a}}\`);`;
    case 12:
      return `${indent}const re = /"usage":\\{"input_tokens":(\\d+)/;`;
    case 13:
      return `${indent}"${a}": ${rng.int(0, 99999)},`;
    case 14:
      return "";
    default:
      return `${indent}await ${camel(rng)}(${a}, { ${b}: ${rng.chance(0.5)} });`;
  }
}

function logLine(rng: Rng): string {
  const a = rng.pick(WORDS);
  const b = rng.pick(WORDS);
  switch (rng.int(0, 11)) {
    case 0:
      return ` PASS  test/${a}/${b}.test.ts (${rng.int(0, 9)}.${rng.int(10, 99)} s)`;
    case 1:
      return `  ✓ ${sentence(rng, rng.int(3, 9))} (${rng.int(1, 400)} ms)`;
    case 2:
      return `  ✕ ${sentence(rng, rng.int(3, 9))} (${rng.int(1, 400)} ms)`;
    case 3:
      return `npm warn deprecated ${a}@${rng.int(0, 9)}.${rng.int(0, 20)}.${rng.int(0, 9)}: ${sentence(rng, 6)}`;
    case 4:
      return `${rng.chars(HEX, 7)} ${sentence(rng, rng.int(3, 10))}`;
    case 5:
      return `src/${a}/${b}.ts:${rng.int(1, 900)}:${rng.int(1, 80)} - error TS${rng.int(2000, 7999)}: ${sentence(rng, 8)}`;
    case 6:
      // Transcripts of people building usage tools quote transcript lines; once escaped inside a
      // JSON string these must never look like a real usage record to a byte-level prefilter.
      return `{"type":"assistant","message":{"model":"mimo-v2.5-pro","usage":{"input_tokens":${rng.int(1, 99)},"output_tokens":${rng.int(1, 999)}}},"requestId":"req_${rng.chars(BASE62, 8)}"}`;
    case 7:
      return `drwxr-xr-x  ${rng.int(2, 30)} dev  staff  ${rng.int(64, 9999)} Feb ${rng.int(1, 28)} 1${rng.int(0, 9)}:${rng.int(10, 59)} ${a}`;
    case 8:
      return `Tests:       ${rng.int(1, 300)} passed, ${rng.int(300, 400)} total`;
    case 9:
      return `src/${a}/${b}.ts:${rng.int(1, 900)}:  const ${a} = ${b}.${camel(rng)}();`;
    case 10:
      return `    at ${camel(rng)} (/Users/dev/code/${a}/src/${b}.ts:${rng.int(1, 900)}:${rng.int(1, 80)})`;
    default:
      return `[${rng.int(10, 23)}:${rng.int(10, 59)}:${rng.int(10, 59)}] ${sentence(rng, rng.int(4, 12))}`;
  }
}

class TextPools {
  readonly code: string;
  readonly numbered: string;
  readonly log: string;
  readonly prose: string;

  constructor(rng: Rng) {
    const code: string[] = [];
    const numbered: string[] = [];
    let n = 1;
    let chars = 0;
    while (chars < 1_500_000) {
      if (rng.chance(0.002)) n = 1;
      const line = codeLine(rng, "  ".repeat(rng.int(0, 3)));
      code.push(line);
      numbered.push(`${String(n).padStart(6)}→${line}`);
      n++;
      chars += line.length + 8;
    }
    this.code = code.join("\n") + "\n";
    this.numbered = numbered.join("\n") + "\n";
    const log: string[] = [];
    chars = 0;
    while (chars < 1_000_000) {
      const line = logLine(rng);
      log.push(line);
      chars += line.length + 1;
    }
    this.log = log.join("\n") + "\n";
    const prose: string[] = [];
    chars = 0;
    while (chars < 300_000) {
      const s = sentence(rng, rng.int(5, 22));
      prose.push(rng.chance(0.15) ? `${s}\n\n` : `${s} `);
      chars += s.length + 1;
    }
    this.prose = prose.join("");
  }

  /** About `chars` characters of prose, starting and ending between words. */
  words(rng: Rng, chars: number): string {
    const want = Math.max(1, Math.floor(chars));
    const from = this.prose.indexOf(" ", rng.int(0, this.prose.length - want - 2)) + 1;
    const to = this.prose.lastIndexOf(" ", from + want);
    return this.prose.slice(from, Math.max(to, from + 1));
  }

  /** About `chars` characters of `pool`, starting and ending on line boundaries. */
  slice(rng: Rng, pool: string, chars: number): string {
    const want = Math.max(1, Math.floor(chars));
    let start = rng.int(0, pool.length - 1);
    const nl = pool.lastIndexOf("\n", start);
    start = nl < 0 ? 0 : nl + 1;
    if (start + want <= pool.length) {
      const end = pool.indexOf("\n", start + want);
      return pool.slice(start, end < 0 ? pool.length : end);
    }
    const pieces: string[] = [pool.slice(start)];
    let have = pool.length - start;
    while (have < want) {
      const take = Math.min(pool.length, want - have);
      const end = pool.indexOf("\n", take);
      const piece = pool.slice(0, end < 0 ? pool.length : end);
      pieces.push(piece);
      have += piece.length;
    }
    return pieces.join("");
  }
}

// ---------------------------------------------------------------------------------------------
// Output

interface LineSink {
  readonly bytes: number;
  readonly lines: number;
  /** Writes a line as it is, e.g. one copied from another file. */
  write(line: string, kind: LineKind): void;
  /** Writes one transcript record as a JSON line. */
  record(value: Record<string, unknown>): void;
}

/** What kind of line a record is, for the mix reported with the benchmark. */
function lineKind(value: Record<string, unknown>): LineKind {
  if (value.isApiErrorMessage === true) return "apiError";
  switch (value.type) {
    case "assistant":
    case "user":
    case "system":
    case "summary":
      return value.type;
    default:
      return "other";
  }
}

/** Counts lines and bytes per kind of line. */
export class MixTally {
  readonly mix: LineMix = {};
  bytes = 0;

  add(kind: LineKind, bytes: number): void {
    this.bytes += bytes;
    const into = (this.mix[kind] ??= { lines: 0, bytes: 0 });
    into.lines++;
    into.bytes += bytes;
  }
}

/** Batches lines and writes ~1 MiB at a time so no whole file is ever held in memory. */
class FileSink implements LineSink {
  bytes = 0;
  lines = 0;
  private fd: number;
  private parts: string[] = [];
  private pending = 0;

  constructor(
    readonly file: string,
    flags: "w" | "a",
    private readonly tally: MixTally | null,
  ) {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    this.fd = fs.openSync(file, flags);
  }

  record(value: Record<string, unknown>): void {
    this.write(JSON.stringify(value), lineKind(value));
  }

  write(line: string, kind: LineKind): void {
    const n = Buffer.byteLength(line) + 1;
    this.parts.push(line, "\n");
    this.pending += n;
    this.bytes += n;
    this.lines++;
    this.tally?.add(kind, n);
    if (this.pending >= 1 << 20) this.flush();
  }

  flush(): void {
    if (this.parts.length === 0) return;
    fs.writeSync(this.fd, this.parts.join(""));
    this.parts = [];
    this.pending = 0;
  }

  close(mtimeMs?: number): void {
    this.flush();
    fs.closeSync(this.fd);
    if (mtimeMs !== undefined) fs.utimesSync(this.file, mtimeMs / 1000, mtimeMs / 1000);
  }
}

// ---------------------------------------------------------------------------------------------
// Sessions

const VERSIONS = ["2.0.14", "2.0.22", "2.0.31", "2.0.37", "2.0.42", "2.0.55", "2.0.61"];
const BRANCHES = ["main", "main", "main", "dev", "feat/usage-cache", "fix/timezone-days", "refactor/scanner", ""];
const BASH_COMMANDS = [
  ["npm test -- --silent", "Run the test suite"],
  ["npx tsc --noEmit", "Type-check the project"],
  ["git status", "Show working tree status"],
  ["git log --oneline -20", "Show recent commits"],
  ['rg -n "usage" src', "Search for usage handling"],
  ["ls -la src", "List source files"],
  ["npm run build", "Build the extension"],
  ["npx eslint src --max-warnings 0", "Lint the sources"],
] as const;

type ToolName = "Read" | "Bash" | "Grep" | "Edit" | "Write" | "Glob" | "TodoWrite" | "Task";
const TOOL_WEIGHTS: readonly ToolName[] = [
  "Read",
  "Read",
  "Read",
  "Read",
  "Bash",
  "Bash",
  "Bash",
  "Grep",
  "Grep",
  "Edit",
  "Edit",
  "Edit",
  "Write",
  "Glob",
  "TodoWrite",
  "Task",
];

interface ToolCall {
  id: string;
  name: ToolName;
  input: Record<string, unknown>;
  filePath: string;
}

interface Session {
  sessionId: string;
  cwd: string;
  version: string;
  gitBranch: string;
  model: string;
  isSidechain: boolean;
  agentId?: string;
  nestedCacheCreation: boolean;
  lastUuid: string | null;
  /** Clock of the session in epoch ms; only ever moves forward. */
  t: number;
  /** Tokens already in the prompt cache: what the next response reads. */
  context: number;
  /** Tokens added since the last response: what the next response writes to the cache. */
  pending: number;
  compactAt: number;
  /** Mean time per turn, chosen so a session's length in time roughly fits its length in bytes. */
  turnMs: number;
  responses: number;
  forceApiError: boolean;
  forceTask: boolean;
  /** Moves the next multi-block response across local midnight (in the first zone tallied). */
  straddleMidnight: boolean;
  /** Starts with a slash command such as /model, as sessions often do. */
  openWithCommand: boolean;
  subagentsLeft: number;
}

interface SubagentHost {
  /** Writes a sub-agent transcript starting at `t`; returns its end time and final text. */
  run(parent: Session, prompt: string, t: number): { endT: number; text: string; agentId: string; tokens: number };
}

/** How long before `latestMs` a session stops starting new turns. */
const SESSION_MARGIN_MS = 30 * 60_000;

class SessionWriter {
  readonly counts: CorpusCounts = {
    sessions: 0,
    resumedSessions: 0,
    subagentFiles: 0,
    stubFiles: 0,
    responses: 0,
    assistantLines: 0,
    replayedLines: 0,
    apiErrors: 0,
    apiRetryLines: 0,
    compactions: 0,
    modelSwitches: 0,
    midnightStraddles: 0,
  };
  /** Sessions that own at least one counted response. */
  readonly countedSessions = new Set<string>();
  subagentHost: SubagentHost | undefined;
  /** Sessions wind down once their clock nears this instant, so no line lands after it. */
  latestMs = Number.POSITIVE_INFINITY;

  constructor(
    readonly rng: Rng,
    readonly pools: TextPools,
    readonly models: readonly string[],
    readonly tricky: boolean,
    readonly books: readonly DayBook[],
    readonly shape: ShapeKnobs,
  ) {}

  newSession(fields: {
    sessionId: string;
    cwd: string;
    t: number;
    turnMs: number;
    isSidechain?: boolean;
    agentId?: string;
    model?: string;
    version?: string;
    gitBranch?: string;
  }): Session {
    const rng = this.rng;
    return {
      sessionId: fields.sessionId,
      cwd: fields.cwd,
      version: fields.version ?? rng.pick(VERSIONS),
      gitBranch: fields.gitBranch ?? rng.pick(BRANCHES),
      model: fields.model ?? (rng.chance(0.7) ? this.models[0] : rng.pick(this.models)),
      isSidechain: fields.isSidechain ?? false,
      agentId: fields.agentId,
      nestedCacheCreation: rng.chance(0.5),
      lastUuid: null,
      t: fields.t,
      context: rng.chance(0.6) ? rng.int(14_000, 22_000) : 0,
      pending: rng.int(3_000, 25_000),
      compactAt: rng.int(140_000, 175_000),
      turnMs: fields.turnMs,
      responses: 0,
      forceApiError: false,
      forceTask: false,
      straddleMidnight: false,
      openWithCommand: false,
      subagentsLeft: fields.isSidechain ? 0 : 3,
    };
  }

  private envelope(s: Session): Record<string, unknown> {
    const base: Record<string, unknown> = {
      parentUuid: s.lastUuid,
      isSidechain: s.isSidechain,
      userType: "external",
      cwd: s.cwd,
      sessionId: s.sessionId,
      version: s.version,
      gitBranch: s.gitBranch,
    };
    if (s.agentId) base.agentId = s.agentId;
    return base;
  }

  private ts(s: Session): string {
    return new Date(s.t).toISOString();
  }

  private tick(s: Session, ms: number): void {
    s.t += Math.max(1, Math.round(ms));
  }

  /** Writes turns until `target` bytes are in the sink; always at least one counted response. */
  run(sink: LineSink, s: Session, target: number, startWithPrompt = true): void {
    let needPrompt = startWithPrompt;
    let safety = 0;
    if (s.openWithCommand) {
      s.openWithCommand = false;
      this.writeLocalCommand(sink, s);
    }
    while (s.responses === 0 || sink.bytes < target) {
      if (++safety > 1_000_000) throw new Error("corpus generator made no progress");
      if (needPrompt) {
        const mean = Math.min(s.turnMs * 0.6, 900_000);
        const think = s.responses === 0 ? this.rng.int(200, 3000) : Math.min(this.rng.exp(mean), 4 * mean);
        if (s.responses > 0 && s.t + think > this.latestMs - SESSION_MARGIN_MS) break;
        this.tick(s, think);
        this.writePrompt(sink, s);
        needPrompt = false;
      }
      if (this.tricky && !s.isSidechain && (s.forceApiError || this.rng.chance(this.shape.apiErrorChance))) {
        s.forceApiError = false;
        this.writeApiError(sink, s);
        needPrompt = true;
        continue;
      }
      if (this.tricky && this.rng.chance(0.02)) this.writeRetryNotices(sink, s);
      const tools = this.planTools(s);
      this.writeResponse(sink, s, tools);
      if (tools.length === 0) {
        needPrompt = true;
        if (!s.isSidechain && this.rng.chance(0.08)) this.writeLocalCommand(sink, s);
        continue;
      }
      for (const tool of tools) this.writeToolResult(sink, s, tool, target - sink.bytes);
      if (s.context + s.pending > s.compactAt) this.writeCompaction(sink, s);
    }
  }

  writeSnapshot(sink: LineSink, s: Session, messageId: string): void {
    const backups: Record<string, unknown> = {};
    for (let i = this.rng.int(0, 3); i > 0; i--) {
      backups[`src/${this.rng.pick(WORDS)}/${this.rng.pick(WORDS)}.ts`] = {
        backupFileName: `${this.rng.chars(HEX, 16)}@v${i}`,
        version: i,
        backupTime: this.ts(s),
      };
    }
    sink.record({
      type: "file-history-snapshot",
      messageId,
      snapshot: { messageId, trackedFileBackups: backups, timestamp: this.ts(s) },
      isSnapshotUpdate: false,
    });
  }

  writePrompt(sink: LineSink, s: Session, text?: string): void {
    const uuid = this.rng.uuid();
    const opening = this.shape.snapshotOnOpening && s.responses === 0;
    if (!s.isSidechain && (opening || this.rng.chance(this.shape.snapshotChance))) this.writeSnapshot(sink, s, uuid);
    const content =
      text ?? this.pools.slice(this.rng, this.pools.prose, this.rng.logUniform(...this.shape.promptChars)).trim();
    sink.record({
      ...this.envelope(s),
      type: "user",
      message: { role: "user", content: content.length > 0 ? content : "continue" },
      uuid,
      timestamp: this.ts(s),
      ...(s.isSidechain ? {} : { thinkingMetadata: { level: "high", disabled: false, triggers: [] } }),
    });
    s.lastUuid = uuid;
    s.pending += Math.ceil(content.length / 3.6);
  }

  private planTools(s: Session): ToolCall[] {
    const rng = this.rng;
    let n = 0;
    if (s.forceTask || rng.chance(this.shape.toolChance)) n = rng.chance(0.7) ? 1 : rng.int(2, this.shape.maxTools);
    const calls: ToolCall[] = [];
    for (let i = 0; i < n; i++) {
      let name = rng.pick(TOOL_WEIGHTS);
      if (s.forceTask && i === 0) name = "Task";
      if (name === "Task" && (s.subagentsLeft <= 0 || !this.subagentHost)) name = "Read";
      if (name === "Task") s.subagentsLeft--;
      s.forceTask = false;
      calls.push(this.toolCall(s, name));
    }
    return calls;
  }

  private toolCall(s: Session, name: ToolName): ToolCall {
    const rng = this.rng;
    const filePath = `${s.cwd}/src/${rng.pick(WORDS)}/${rng.pick(WORDS)}.ts`;
    const id = `toolu_01${rng.chars(BASE62, 22)}`;
    let input: Record<string, unknown>;
    switch (name) {
      case "Read":
        input = rng.chance(0.8)
          ? { file_path: filePath }
          : { file_path: filePath, offset: rng.int(1, 400), limit: 200 };
        break;
      case "Bash": {
        const [command, description] = rng.pick(BASH_COMMANDS);
        input = { command, description };
        break;
      }
      case "Grep":
        input = { pattern: rng.pick(WORDS), path: `${s.cwd}/src`, output_mode: "content", "-n": true };
        break;
      case "Edit":
        input = {
          file_path: filePath,
          old_string: this.pools.slice(
            rng,
            this.pools.code,
            rng.logUniform(this.shape.editChars[0], this.shape.editChars[1]),
          ),
          new_string: this.pools.slice(
            rng,
            this.pools.code,
            rng.logUniform(this.shape.editChars[0], this.shape.editChars[2]),
          ),
        };
        break;
      case "Write":
        input = {
          file_path: filePath,
          content: this.pools.slice(rng, this.pools.code, rng.logUniform(...this.shape.writeChars)),
        };
        break;
      case "Glob":
        input = { pattern: rng.pick(["src/**/*.ts", "**/*.test.ts", "test/**/*.tsx", "*.json"]) };
        break;
      case "TodoWrite": {
        const todos = [];
        for (let i = rng.int(2, 6); i > 0; i--) {
          const content = sentence(rng, rng.int(3, 8));
          todos.push({ content, status: rng.pick(["pending", "in_progress", "completed"]), activeForm: content });
        }
        input = { todos };
        break;
      }
      case "Task":
        input = {
          description: sentence(rng, 4),
          prompt: this.pools.slice(rng, this.pools.prose, rng.logUniform(300, 2000)).trim(),
          subagent_type: rng.pick(["general-purpose", "Explore", "Plan"]),
        };
        break;
    }
    return { id, name, input, filePath };
  }

  private writeResponse(sink: LineSink, s: Session, tools: ToolCall[]): void {
    const rng = this.rng;
    const blocks: Record<string, unknown>[] = [];
    let chars = 0;
    const shape = this.shape;
    const prose = (chars: number): string =>
      shape.cutAtWords ? this.pools.words(rng, chars) : this.pools.slice(rng, this.pools.prose, chars);
    if (rng.chance(shape.thinkingChance)) {
      const thinking = prose(rng.logUniform(...shape.thinkingChars));
      blocks.push({ type: "thinking", thinking, signature: rng.chars(BASE64, rng.int(...shape.signatureChars)) });
      chars += thinking.length;
    }
    const [textMin, textWithTools, textAlone] = shape.textChars;
    if (tools.length === 0 || rng.chance(0.5) || blocks.length + tools.length < shape.minBlocks) {
      const text = prose(rng.logUniform(textMin, tools.length === 0 ? textAlone : textWithTools));
      blocks.push({ type: "text", text });
      chars += text.length;
    }
    const lines = blocks.length + tools.length;
    if (lines < shape.minBlocks || (shape.extraTextChance > 0 && lines < 4 && rng.chance(shape.extraTextChance))) {
      // A short answer still streams as more than one line: Claude Code writes the text in parts.
      const text = prose(rng.logUniform(textMin, textWithTools));
      blocks.push({ type: "text", text });
      chars += text.length;
    }
    for (const tool of tools) {
      blocks.push({ type: "tool_use", id: tool.id, name: tool.name, input: tool.input });
      chars += JSON.stringify(tool.input).length;
    }

    const messageId = `msg_01${rng.chars(BASE62, 22)}`;
    const requestId = `req_011C${rng.chars(BASE62, 20)}`;
    const usage: ResponseUsage = {
      input: rng.chance(0.9) ? rng.int(1, 12) : rng.int(100, 4000),
      cacheWrite: Math.min(80_000, s.pending + rng.int(0, 600)),
      cacheRead: s.context,
      output: Math.max(blocks.length + 1, Math.ceil(chars / 3.3) + rng.int(3, 60)),
    };
    // Claude Code logs each content block as it streams in; the earlier lines carry the
    // output_tokens seen so far, strictly below the final count on the last line.
    const partials: number[] = [];
    const k = blocks.length - 1;
    let prev = 0;
    for (let i = 0; i < k; i++) {
      // Leave one distinct value per later partial plus the final count above this one.
      const ceiling = usage.output - (k - i);
      const room = ceiling - (prev + 1);
      const step = i === 0 ? Math.min(room, 11) : Math.floor(room / (k - i + 1));
      prev = prev + 1 + rng.int(0, Math.max(0, step));
      partials.push(prev);
    }

    this.tick(s, rng.logUniform(600, 12_000));
    let straddle = false;
    const midnight =
      s.straddleMidnight && this.books.length > 0 ? nextLocalMidnight(s.t, this.books[0].timeZone) : Number.NaN;
    if (blocks.length >= 2 && midnight < this.latestMs - SESSION_MARGIN_MS) {
      // The partial lines land on one local day and the final line on the next: only the final
      // line's day is right, and a counter keeping the first copy gets both day and tokens wrong.
      s.t = Math.max(s.t, midnight - rng.int(200, 800));
      s.straddleMidnight = false;
      straddle = true;
      this.counts.midnightStraddles++;
    }
    for (let i = 0; i < blocks.length; i++) {
      const last = i === blocks.length - 1;
      if (i > 0) this.tick(s, straddle ? 1000 : rng.logUniform(150, 5000));
      const uuid = rng.uuid();
      sink.record({
        ...this.envelope(s),
        message: {
          id: messageId,
          type: "message",
          role: "assistant",
          model: s.model,
          content: [blocks[i]],
          stop_reason: last ? (tools.length > 0 ? "tool_use" : "end_turn") : null,
          stop_sequence: null,
          usage: this.usageJson(s, usage, last ? usage.output : partials[i]),
        },
        requestId,
        type: "assistant",
        uuid,
        timestamp: this.ts(s),
      });
      s.lastUuid = uuid;
      this.counts.assistantLines++;
    }
    for (const book of this.books) book.add(s.t, usage);
    this.counts.responses++;
    this.countedSessions.add(s.sessionId);
    s.responses++;
    s.context += usage.cacheWrite + usage.output;
    s.pending = 0;
  }

  private usageJson(s: Session, u: ResponseUsage, output: number): Record<string, unknown> {
    if (s.nestedCacheCreation) {
      return {
        input_tokens: u.input,
        cache_creation_input_tokens: u.cacheWrite,
        cache_read_input_tokens: u.cacheRead,
        cache_creation: { ephemeral_5m_input_tokens: u.cacheWrite, ephemeral_1h_input_tokens: 0 },
        output_tokens: output,
        service_tier: "standard",
      };
    }
    return {
      input_tokens: u.input,
      cache_creation_input_tokens: u.cacheWrite,
      cache_read_input_tokens: u.cacheRead,
      output_tokens: output,
      service_tier: "standard",
    };
  }

  /** Tool output sizes: mostly a few KB, with a long tail up to a few hundred KB. */
  private resultChars(left: number): number {
    const rng = this.rng;
    const r = rng.next();
    const bands = this.shape.resultBands;
    const [, min, max] = bands.find(([upTo]) => r < upTo) ?? bands[bands.length - 1];
    const chars = rng.logUniform(min, max);
    // The content is written twice (message and toolUseResult), so stay near the byte budget.
    return Math.max(120, Math.min(chars, left / 2.2));
  }

  private writeToolResult(sink: LineSink, s: Session, tool: ToolCall, left: number): void {
    const rng = this.rng;
    let content: string;
    let toolUseResult: unknown;
    let isError = false;
    switch (tool.name) {
      case "Read": {
        content = this.pools.slice(rng, this.pools.numbered, this.resultChars(left));
        const numLines = content.split("\n").length;
        toolUseResult = {
          type: "text",
          file: { filePath: tool.filePath, content, numLines, startLine: 1, totalLines: numLines + rng.int(0, 300) },
        };
        this.tick(s, rng.logUniform(20, 400));
        break;
      }
      case "Bash":
      case "Grep": {
        content = this.pools.slice(rng, this.pools.log, this.resultChars(left));
        isError = tool.name === "Bash" && rng.chance(0.08);
        toolUseResult =
          tool.name === "Bash"
            ? { stdout: content, stderr: "", interrupted: false, isImage: false }
            : {
                mode: "content",
                numFiles: rng.int(1, 40),
                filenames: [],
                content,
                numLines: content.split("\n").length,
              };
        this.tick(s, rng.logUniform(50, tool.name === "Bash" ? 60_000 : 2000));
        break;
      }
      case "Edit": {
        const original = this.pools.slice(rng, this.pools.code, this.resultChars(left) * 0.8);
        const snippet = this.pools.slice(rng, this.pools.numbered, rng.logUniform(200, 2500));
        content = `The file ${tool.filePath} has been updated. Here's the result of running \`cat -n\` on a snippet of the edited file:\n${snippet}`;
        toolUseResult = {
          filePath: tool.filePath,
          oldString: tool.input.old_string,
          newString: tool.input.new_string,
          originalFile: original,
          structuredPatch: [
            {
              oldStart: rng.int(1, 300),
              oldLines: rng.int(1, 20),
              newStart: rng.int(1, 300),
              newLines: rng.int(1, 30),
              lines: snippet.split("\n").slice(0, 12),
            },
          ],
          userModified: false,
          replaceAll: false,
        };
        this.tick(s, rng.logUniform(30, 800));
        break;
      }
      case "Write":
        content = `File created successfully at: ${tool.filePath}`;
        toolUseResult = {
          type: "create",
          filePath: tool.filePath,
          content: tool.input.content,
          structuredPatch: [],
          originalFile: null,
        };
        this.tick(s, rng.logUniform(30, 800));
        break;
      case "Glob": {
        const files: string[] = [];
        for (let i = rng.int(1, 60); i > 0; i--) files.push(`${s.cwd}/src/${rng.pick(WORDS)}/${rng.pick(WORDS)}.ts`);
        content = files.join("\n");
        toolUseResult = { filenames: files, durationMs: rng.int(5, 400), numFiles: files.length, truncated: false };
        this.tick(s, rng.logUniform(10, 400));
        break;
      }
      case "TodoWrite":
        content =
          "Todos have been modified successfully. Ensure that you continue to use the todo list to track your progress. Please proceed with the current tasks if applicable";
        toolUseResult = { oldTodos: [], newTodos: tool.input.todos };
        this.tick(s, rng.logUniform(10, 200));
        break;
      case "Task": {
        const prompt = String(tool.input.prompt);
        const host = this.subagentHost;
        if (!host) throw new Error("Task planned without a sub-agent host");
        const started = s.t;
        const result = host.run(s, prompt, s.t + rng.int(100, 1500));
        s.t = Math.max(s.t, result.endT) + rng.int(100, 2000);
        content = result.text;
        toolUseResult = {
          status: "completed",
          prompt,
          agentId: result.agentId,
          content: [{ type: "text", text: result.text }],
          totalDurationMs: s.t - started,
          totalTokens: result.tokens,
          totalToolUseCount: rng.int(1, 40),
        };
        break;
      }
    }
    const uuid = rng.uuid();
    sink.record({
      ...this.envelope(s),
      type: "user",
      message: {
        role: "user",
        content: [
          tool.name === "Task"
            ? { tool_use_id: tool.id, type: "tool_result", content: [{ type: "text", text: content }] }
            : { tool_use_id: tool.id, type: "tool_result", content, is_error: isError },
        ],
      },
      uuid,
      timestamp: this.ts(s),
      toolUseResult,
    });
    s.lastUuid = uuid;
    s.pending += Math.ceil(content.length / 3.6);
  }

  private writeApiError(sink: LineSink, s: Session): void {
    const rng = this.rng;
    this.tick(s, rng.logUniform(1000, 120_000));
    const [status, error, text] = rng.pick([
      [
        529,
        "server_error",
        'API Error: 529 {"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}',
      ],
      [
        500,
        "server_error",
        'API Error: 500 {"type":"error","error":{"type":"api_error","message":"Internal server error"}}',
      ],
      [429, "rate_limit", "API Error: Rate limit reached. Please try again later."],
      [0, "unknown", "API Error: Request timed out."],
    ] as const);
    const uuid = rng.uuid();
    sink.record({
      ...this.envelope(s),
      type: "assistant",
      uuid,
      timestamp: this.ts(s),
      message: {
        id: rng.uuid(),
        container: null,
        model: "<synthetic>",
        role: "assistant",
        stop_reason: "stop_sequence",
        stop_sequence: "",
        type: "message",
        usage: {
          input_tokens: 0,
          output_tokens: 0,
          cache_creation_input_tokens: 0,
          cache_read_input_tokens: 0,
          server_tool_use: { web_search_requests: 0, web_fetch_requests: 0 },
          service_tier: null,
          cache_creation: { ephemeral_1h_input_tokens: 0, ephemeral_5m_input_tokens: 0 },
        },
        content: [{ type: "text", text }],
      },
      error,
      isApiErrorMessage: true,
      ...(status > 0 ? { apiErrorStatus: status } : {}),
    });
    s.lastUuid = uuid;
    this.counts.apiErrors++;
  }

  private writeRetryNotices(sink: LineSink, s: Session): void {
    const rng = this.rng;
    for (let attempt = 1, n = rng.int(1, 3); attempt <= n; attempt++) {
      this.tick(s, rng.logUniform(500, 20_000));
      const uuid = rng.uuid();
      sink.record({
        ...this.envelope(s),
        type: "system",
        subtype: "api_error",
        level: "error",
        error: {
          status: 529,
          headers: {},
          requestID: `req_011C${rng.chars(BASE62, 20)}`,
          error: { type: "error", error: { type: "overloaded_error", message: "Overloaded" } },
        },
        retryInMs: 500 * 2 ** attempt,
        retryAttempt: attempt,
        maxRetries: 10,
        timestamp: this.ts(s),
        uuid,
      });
      s.lastUuid = uuid;
      this.counts.apiRetryLines++;
    }
  }

  private writeLocalCommand(sink: LineSink, s: Session): void {
    const rng = this.rng;
    this.tick(s, rng.logUniform(2000, 60_000));
    const command = this.models.length > 1 && rng.chance(0.5) ? "model" : rng.pick(["cost", "context", "status"]);
    if (command === "model") {
      const others = this.models.filter((m) => m !== s.model);
      if (others.length > 0) {
        s.model = rng.pick(others);
        this.counts.modelSwitches++;
      }
    }
    const uuid = rng.uuid();
    sink.record({
      ...this.envelope(s),
      type: "system",
      subtype: "local_command",
      content: `<command-name>/${command}</command-name>\n<command-message>${command}</command-message>\n<command-args>${command === "model" ? s.model : ""}</command-args>`,
      level: "info",
      timestamp: this.ts(s),
      uuid,
      isMeta: false,
    });
    s.lastUuid = uuid;
  }

  private writeCompaction(sink: LineSink, s: Session): void {
    const rng = this.rng;
    this.tick(s, rng.logUniform(5000, 60_000));
    const boundary = rng.uuid();
    sink.record({
      ...this.envelope(s),
      parentUuid: null,
      logicalParentUuid: s.lastUuid,
      type: "system",
      subtype: "compact_boundary",
      content: "Conversation compacted",
      isMeta: false,
      timestamp: this.ts(s),
      uuid: boundary,
      level: "info",
      compactMetadata: { trigger: "auto", preTokens: s.context + s.pending },
    });
    s.lastUuid = boundary;
    const summary = `This session is being continued from a previous conversation that ran out of context. The conversation is summarized below:\n${this.pools.slice(rng, this.pools.prose, rng.logUniform(2000, 9000))}`;
    const uuid = rng.uuid();
    this.tick(s, rng.int(5, 50));
    sink.record({
      ...this.envelope(s),
      type: "user",
      message: { role: "user", content: summary },
      isVisibleInTranscriptOnly: true,
      isCompactSummary: true,
      uuid,
      timestamp: this.ts(s),
    });
    s.lastUuid = uuid;
    s.context = rng.int(15_000, 30_000);
    s.pending = Math.ceil(summary.length / 3.6);
    s.compactAt = rng.int(140_000, 175_000);
    this.counts.compactions++;
  }

  writeSummaries(sink: LineSink, n: number): void {
    for (let i = 0; i < n; i++) {
      sink.record({ type: "summary", summary: sentence(this.rng, this.rng.int(3, 9)), leafUuid: this.rng.uuid() });
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Corpus

interface Project {
  cwd: string;
  dir: string;
  weight: number;
  /** Finished main sessions, candidates for a later resume. */
  finished: { file: string; sessionId: string; endT: number; bytes: number }[];
}

const USERS = ["lei", "dev", "wang.fang", "chen_jie", "mimo"];
const ROOTS = ["code", "work", "Documents/GitHub", "src", "projects"];
const NAMES = [
  "mimo-usage",
  "raycast-extensions",
  "hyperos.tools",
  "xiaomi_cloud_sync",
  "claude-code-playground",
  "token-meter",
  "web",
  "api-server",
  "infra",
  "notes",
  "dotfiles",
  "ml_experiments",
];

/** Claude Code's folder name for a cwd: every character other than [A-Za-z0-9] becomes "-". */
export function encodeProjectPath(cwd: string): string {
  return cwd.replace(/[^a-zA-Z0-9]/g, "-");
}

function makeProjects(rng: Rng, projectsDir: string, count: number): Project[] {
  const projects: Project[] = [];
  const seen = new Set<string>();
  while (projects.length < count) {
    const home = rng.chance(0.8) ? `/Users/${rng.pick(USERS)}` : `/home/${rng.pick(USERS)}`;
    let cwd = `${home}/${rng.pick(ROOTS)}/${rng.pick(NAMES)}`;
    if (rng.chance(0.2)) cwd += `/${rng.pick(["packages/core", "apps/web", "worktrees/fix-tz", "src"])}`;
    if (seen.has(cwd)) continue;
    seen.add(cwd);
    projects.push({
      cwd,
      dir: path.join(projectsDir, encodeProjectPath(cwd)),
      weight: 1 / (projects.length + 1),
      finished: [],
    });
  }
  return projects;
}

function pickWeighted(rng: Rng, projects: readonly Project[]): Project {
  let total = 0;
  for (const p of projects) total += p.weight;
  let r = rng.next() * total;
  for (const p of projects) {
    r -= p.weight;
    if (r <= 0) return p;
  }
  return projects[projects.length - 1];
}

function rel(dir: string, file: string): string {
  return path.relative(dir, file).split(path.sep).join("/");
}

/** Copies the first `limit` bytes' worth of whole lines of `from` into `sink` under a new session id. */
function replayLines(
  from: string,
  oldSessionId: string,
  newSessionId: string,
  limit: number,
  sink: LineSink,
): { lines: number; lastUuid: string | null } {
  const fd = fs.openSync(from, "r");
  const chunk = Buffer.alloc(1 << 20);
  const needle = `"sessionId":"${oldSessionId}"`;
  const replacement = `"sessionId":"${newSessionId}"`;
  let carry = "";
  let copied = 0;
  let lines = 0;
  let lastUuid: string | null = null;
  try {
    for (;;) {
      const n = fs.readSync(fd, chunk, 0, chunk.length, null);
      if (n === 0) break;
      const parts = (carry + chunk.toString("utf8", 0, n)).split("\n");
      carry = parts.pop() ?? "";
      for (const line of parts) {
        if (line.length === 0) continue;
        const bytes = Buffer.byteLength(line) + 1;
        if (lines > 0 && copied + bytes > limit) return { lines, lastUuid };
        sink.write(line.replace(needle, replacement), lineKind(JSON.parse(line) as Record<string, unknown>));
        copied += bytes;
        lines++;
        const m = /"uuid":"([0-9a-f-]{36})"/.exec(line);
        if (m) lastUuid = m[1];
      }
    }
    return { lines, lastUuid };
  } finally {
    fs.closeSync(fd);
  }
}

/**
 * Writes a deterministic corpus to `<dir>/projects/...` and returns what it holds, including the
 * per-day totals a correct counter must report.
 */
export async function generateCorpus(options: CorpusOptions): Promise<CorpusManifest> {
  const began = Date.now();
  const seed = options.seed ?? 1;
  const startDate = options.startDate ?? DEFAULT_START_DATE;
  const days = options.days ?? DEFAULT_DAYS;
  const models = [...(options.models ?? DEFAULT_MODELS)];
  if (models.length === 0) throw new Error("at least one model is needed");
  const tricky = options.tricky ?? true;
  const subagents = options.subagents ?? true;
  const timeZone = options.timeZone ?? "UTC";
  const zones = [timeZone, ...(options.extraTimeZones ?? []).filter((z) => z !== timeZone)];
  // Small corpora still get many sessions: no session may take more than a sixth of the budget.
  const shapeName = options.shape ?? "real";
  const shape = SHAPES[shapeName];
  const maxSession = Math.max(
    8000,
    Math.min(options.maxSessionBytes ?? shape.maxSessionBytes, options.targetBytes / 6),
  );
  const dir = path.resolve(options.dir);
  const projectsDir = path.join(dir, "projects");
  fs.mkdirSync(projectsDir, { recursive: true });

  const rng = new Rng(seed);
  const pools = new TextPools(new Rng(seed ^ 0x5eed));
  const books = zones.map((z) => new DayBook(z));
  const writer = new SessionWriter(rng, pools, models, tricky, books, shape);
  writer.latestMs = startDate.getTime();
  const files: CorpusFile[] = [];
  const tally = new MixTally();

  const endMs = startDate.getTime();
  const spanMs = Math.max(1, days) * 86_400_000;
  const beginMs = endMs - spanMs;
  // Sessions must end before startDate, so leave room for the longest ones.
  const headroom = Math.min(12 * 3_600_000, spanMs / 2);

  const projects = makeProjects(rng, projectsDir, Math.max(3, Math.min(24, Math.round(options.targetBytes / 25e6))));

  writer.subagentHost = {
    run: (parent, prompt, t) => {
      const agentId = rng.chars(HEX, 8);
      const file = path.join(
        projectsDir,
        encodeProjectPath(parent.cwd),
        parent.sessionId,
        "subagents",
        `agent-${agentId}.jsonl`,
      );
      const sink = new FileSink(file, "w", tally);
      const left = Math.max(4000, (options.targetBytes - tally.bytes) * 0.3);
      const target = Math.min(rng.logUniform(8000, shape.maxSubagentBytes), left, maxSession / 2);
      const s = writer.newSession({
        sessionId: parent.sessionId,
        cwd: parent.cwd,
        t,
        turnMs: rng.logUniform(5000, 60_000),
        isSidechain: true,
        agentId,
        model: models[models.length > 1 ? 1 : 0],
        version: parent.version,
        gitBranch: parent.gitBranch,
      });
      s.lastUuid = null;
      writer.writePrompt(sink, s, prompt);
      writer.run(sink, s, target, false);
      sink.close(s.t);
      files.push({
        path: rel(dir, file),
        kind: "subagent",
        sessionId: s.sessionId,
        bytes: sink.bytes,
        lines: sink.lines,
        mtimeMs: s.t,
      });
      writer.counts.subagentFiles++;
      const text = pools.slice(rng, pools.prose, rng.logUniform(300, 3000)).trim();
      return {
        endT: s.t,
        text: text.length > 0 ? text : "Done.",
        agentId,
        tokens: s.context,
      };
    },
  };

  let index = 0;
  while (tally.bytes < options.targetBytes) {
    const left = options.targetBytes - tally.bytes;
    const project = pickWeighted(rng, projects);
    const sessionId = rng.uuid();
    const file = path.join(project.dir, `${sessionId}.jsonl`);

    if (index > 3 && rng.chance(0.05)) {
      // Claude Code leaves files with no usage at all: a lone summary, or a prompt never answered.
      const sink = new FileSink(file, "w", tally);
      const t = beginMs + rng.next() * (spanMs - headroom);
      if (rng.chance(0.5)) writer.writeSummaries(sink, 1);
      else {
        const s = writer.newSession({ sessionId, cwd: project.cwd, t, turnMs: 60_000 });
        writer.writePrompt(sink, s);
      }
      sink.close(t);
      files.push({ path: rel(dir, file), kind: "stub", sessionId, bytes: sink.bytes, lines: sink.lines, mtimeMs: t });
      writer.counts.stubFiles++;
      index++;
      continue;
    }

    const target = Math.min(rng.logUniform(Math.min(8000, maxSession / 4), maxSession), Math.max(left, 4000));
    const durationMs = Math.min(headroom * 0.8, rng.logUniform(10 * 60_000, 8 * 3_600_000));
    const turnMs = durationMs / Math.max(1, target / 45_000);
    const candidates = project.finished.filter((f) => f.endT + 3 * 3_600_000 < endMs - headroom);
    const resume = tricky && candidates.length > 0 && (index === 2 || rng.chance(0.1));
    const sink = new FileSink(file, "w", tally);
    let s: Session;
    if (resume) {
      // A resumed session starts with a copy of an earlier one: same message ids, request ids and
      // timestamps, now under the new session id. Counting both copies would double the usage.
      const prev = rng.pick(candidates);
      writer.writeSummaries(sink, rng.int(1, 3));
      const limit = Math.min(prev.bytes, rng.logUniform(20_000, 2_000_000));
      const copied = replayLines(path.join(dir, prev.file), prev.sessionId, sessionId, limit, sink);
      writer.counts.replayedLines += copied.lines;
      writer.counts.resumedSessions++;
      const t = prev.endT + rng.logUniform(60_000, 3 * 3_600_000);
      s = writer.newSession({ sessionId, cwd: project.cwd, t, turnMs });
      s.lastUuid = copied.lastUuid;
      s.context = rng.int(20_000, 60_000);
    } else {
      const t = beginMs + rng.next() * (spanMs - headroom);
      s = writer.newSession({ sessionId, cwd: project.cwd, t, turnMs });
      if (rng.chance(0.2)) writer.writeSummaries(sink, rng.int(1, 3));
    }
    // Small corpora still need every shape, so the first sessions force the rare ones.
    if (index === 0 && subagents) s.forceTask = true;
    if (index === 1 && tricky) s.forceApiError = true;
    // The fourth session tries to straddle midnight; in the real shape, every later one too until one has.
    const straddleDue = index === 3 || (shapeName === "real" && index > 3 && writer.counts.midnightStraddles === 0);
    if (tricky && !resume && (straddleDue || rng.chance(0.02))) s.straddleMidnight = true;
    if (index === 2 || rng.chance(0.05)) s.openWithCommand = true;
    if (!subagents) s.subagentsLeft = 0;
    writer.run(sink, s, target);
    sink.close(s.t);
    const kind: CorpusFileKind = resume ? "resumed" : "session";
    files.push({ path: rel(dir, file), kind, sessionId, bytes: sink.bytes, lines: sink.lines, mtimeMs: s.t });
    project.finished.push({ file: rel(dir, file), sessionId, endT: s.t, bytes: sink.bytes });
    writer.counts.sessions++;
    index++;
    // Lets timers and I/O callbacks run between files when generating hundreds of megabytes.
    await new Promise<void>((resolve) => setImmediate(resolve));
  }

  const byZone: Record<string, ExpectedUsage> = {};
  for (const book of books) byZone[book.timeZone] = book.result(writer.countedSessions.size);
  let lines = 0;
  for (const f of files) lines += f.lines;
  return {
    formatVersion: CORPUS_FORMAT_VERSION,
    dir,
    seed,
    startDate: startDate.toISOString(),
    days,
    models,
    tricky,
    subagents,
    shape: shapeName,
    targetBytes: options.targetBytes,
    bytes: tally.bytes,
    lines,
    files,
    mix: tally.mix,
    counts: writer.counts,
    expected: byZone[timeZone],
    expectedByTimeZone: byZone,
    generationMs: Date.now() - began,
  };
}

// ---------------------------------------------------------------------------------------------
// Appending

interface TailInfo {
  sessionId: string;
  cwd: string;
  version: string;
  gitBranch: string;
  uuid: string | null;
  t: number;
  model: string | null;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function str(value: unknown): string | undefined {
  return typeof value === "string" ? value : undefined;
}

/** Reads whole lines from the end of a file until it knows the session's envelope and model. */
function readTail(file: string): TailInfo {
  const size = fs.statSync(file).size;
  const fd = fs.openSync(file, "r");
  try {
    for (let window = 256 * 1024; ; window *= 4) {
      const start = Math.max(0, size - window);
      const buf = Buffer.alloc(size - start);
      fs.readSync(fd, buf, 0, buf.length, start);
      const lines = buf.toString("utf8").split("\n");
      if (start > 0) lines.shift();
      let info: TailInfo | null = null;
      for (let i = lines.length - 1; i >= 0; i--) {
        if (lines[i].length === 0) continue;
        let value: unknown;
        try {
          value = JSON.parse(lines[i]);
        } catch {
          continue;
        }
        if (!isRecord(value)) continue;
        const message = isRecord(value.message) ? value.message : undefined;
        const model = str(message?.model);
        if (!info) {
          const sessionId = str(value.sessionId);
          const cwd = str(value.cwd);
          const timestamp = str(value.timestamp);
          if (!sessionId || !cwd || !timestamp) continue;
          info = {
            sessionId,
            cwd,
            version: str(value.version) ?? VERSIONS[VERSIONS.length - 1],
            gitBranch: str(value.gitBranch) ?? "main",
            uuid: str(value.uuid) ?? null,
            t: Date.parse(timestamp),
            model: null,
          };
        }
        if (value.type === "assistant" && model && model !== "<synthetic>") {
          info.model = model;
          return info;
        }
      }
      if (info && start === 0) return info;
      if (start === 0) throw new Error(`${file} holds no session line to continue`);
    }
  } finally {
    fs.closeSync(fd);
  }
}

/** Main session files (not sub-agents) under `<dir>/projects`, newest modification first. */
export function listSessionFiles(dir: string): { file: string; mtimeMs: number; size: number }[] {
  const projectsDir = path.join(dir, "projects");
  const out: { file: string; mtimeMs: number; size: number }[] = [];
  for (const project of fs.readdirSync(projectsDir, { withFileTypes: true })) {
    if (!project.isDirectory()) continue;
    const projectDir = path.join(projectsDir, project.name);
    for (const entry of fs.readdirSync(projectDir, { withFileTypes: true })) {
      if (!entry.isFile() || !entry.name.endsWith(".jsonl")) continue;
      const file = path.join(projectDir, entry.name);
      const st = fs.statSync(file);
      out.push({ file, mtimeMs: st.mtimeMs, size: st.size });
    }
  }
  return out.sort((a, b) => b.mtimeMs - a.mtimeMs || (a.file < b.file ? 1 : -1));
}

/**
 * Appends about `bytes` bytes of new turns (complete lines only) to the most recently modified
 * session file, as a live Claude Code session would.
 */
export async function appendToCorpus(dir: string, bytes: number, options: AppendOptions = {}): Promise<AppendResult> {
  const newest = listSessionFiles(path.resolve(dir)).find((f) => f.size > 0);
  if (!newest) throw new Error(`no session file under ${dir}/projects`);
  const tail = readTail(newest.file);
  let pathHash = 0;
  for (let i = 0; i < newest.file.length; i++) pathHash = (Math.imul(pathHash, 31) + newest.file.charCodeAt(i)) >>> 0;
  // Mixing in the current size makes successive appends to one file differ.
  const rng = new Rng(((options.seed ?? 1) ^ pathHash ^ Math.imul(newest.size >>> 0, 0x9e3779b1)) >>> 0);
  const pools = new TextPools(new Rng((options.seed ?? 1) ^ 0x5eed));
  const timeZone = options.timeZone ?? "UTC";
  const zones = [timeZone, ...(options.extraTimeZones ?? []).filter((z) => z !== timeZone)];
  const books = zones.map((z) => new DayBook(z));
  const models = [...(options.models ?? (tail.model ? [tail.model] : DEFAULT_MODELS))];
  const writer = new SessionWriter(rng, pools, models, false, books, SHAPES[options.shape ?? "real"]);
  const sink = new FileSink(newest.file, "a", null);
  const s = writer.newSession({
    sessionId: tail.sessionId,
    cwd: tail.cwd,
    t: tail.t + rng.int(20_000, 300_000),
    turnMs: 30_000,
    model: tail.model ?? models[0],
    version: tail.version,
    gitBranch: tail.gitBranch,
  });
  s.lastUuid = tail.uuid;
  s.subagentsLeft = 0;
  try {
    writer.run(sink, s, bytes);
  } finally {
    sink.close();
  }
  const byZone: Record<string, ExpectedUsage> = {};
  for (const book of books) byZone[book.timeZone] = book.result(writer.countedSessions.size);
  return {
    file: newest.file,
    bytesAppended: sink.bytes,
    linesAppended: sink.lines,
    expected: byZone[timeZone],
    expectedByTimeZone: byZone,
  };
}
