import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import {
  appendToCorpus,
  CorpusManifest,
  ExpectedUsage,
  generateCorpus,
  localDay,
  mergeExpected,
  UsageTotals,
} from "../../bench/corpus";
import { ccusageDaily } from "../helpers/ccusage";

const ZONES = ["UTC", "America/Los_Angeles", "Asia/Shanghai", "Asia/Kolkata"];
const UUID = "[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}";
const LINE_TYPES = new Set(["user", "assistant", "system", "summary", "file-history-snapshot"]);

type Json = Record<string, unknown>;

function isRecord(value: unknown): value is Json {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function record(value: unknown): Json {
  if (!isRecord(value)) throw new Error(`expected an object, got ${JSON.stringify(value)}`);
  return value;
}

function num(value: unknown): number {
  if (typeof value !== "number") throw new Error(`expected a number, got ${JSON.stringify(value)}`);
  return value;
}

interface Line {
  file: string;
  index: number;
  value: Json;
}

function walk(dir: string): string[] {
  const out: string[] = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...walk(full));
    else out.push(full);
  }
  return out;
}

function relFiles(dir: string): string[] {
  return walk(path.join(dir, "projects"))
    .map((f) => path.relative(dir, f).split(path.sep).join("/"))
    .sort();
}

function readLines(dir: string, manifest: CorpusManifest): Line[] {
  const lines: Line[] = [];
  for (const file of manifest.files) {
    const text = fs.readFileSync(path.join(dir, file.path), "utf8");
    expect(text.endsWith("\n")).toBe(true);
    const raw = text.slice(0, -1).split("\n");
    expect(raw).toHaveLength(file.lines);
    raw.forEach((line, index) => lines.push({ file: file.path, index, value: record(JSON.parse(line)) }));
  }
  return lines;
}

function isSynthetic(value: Json): boolean {
  return value.isApiErrorMessage === true || record(value.message).model === "<synthetic>";
}

/** An independent reading of the counting rules, straight from the files. */
function recount(lines: Line[], timeZone: string): ExpectedUsage {
  const latest = new Map<string, { t: number; usage: Json }>();
  for (const { value } of lines) {
    if (value.type !== "assistant" || isSynthetic(value)) continue;
    const message = record(value.message);
    const key = `${String(message.id)}\u0000${String(value.requestId)}`;
    const t = Date.parse(String(value.timestamp));
    const seen = latest.get(key);
    if (!seen || t > seen.t) latest.set(key, { t, usage: record(message.usage) });
  }
  const days: Record<string, UsageTotals> = {};
  const totals = { input: 0, output: 0, cacheRead: 0, cacheWrite: 0, messages: 0, sessions: 0 };
  for (const { t, usage } of latest.values()) {
    const day = (days[localDay(t, timeZone)] ??= { input: 0, output: 0, cacheRead: 0, cacheWrite: 0, messages: 0 });
    for (const into of [day, totals]) {
      into.input += num(usage.input_tokens);
      into.output += num(usage.output_tokens);
      into.cacheRead += num(usage.cache_read_input_tokens);
      into.cacheWrite += num(usage.cache_creation_input_tokens);
      into.messages += 1;
    }
  }
  const sorted: Record<string, UsageTotals> = {};
  for (const key of Object.keys(days).sort()) sorted[key] = days[key];
  return { timeZone, days: sorted, totals };
}

function withoutSessions(e: ExpectedUsage): { days: Record<string, UsageTotals>; totals: UsageTotals } {
  const { input, output, cacheRead, cacheWrite, messages } = e.totals;
  return { days: e.days, totals: { input, output, cacheRead, cacheWrite, messages } };
}

function tokenDays(e: ExpectedUsage): Record<string, Omit<UsageTotals, "messages">> {
  const out: Record<string, Omit<UsageTotals, "messages">> = {};
  for (const [day, t] of Object.entries(e.days)) {
    out[day] = { input: t.input, output: t.output, cacheRead: t.cacheRead, cacheWrite: t.cacheWrite };
  }
  return out;
}

function digest(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const rel of relFiles(dir)) {
    out[rel] = createHash("sha256")
      .update(fs.readFileSync(path.join(dir, rel)))
      .digest("hex");
  }
  return out;
}

describe("synthetic Claude Code corpus", () => {
  let tmp: string;
  let home: string;
  let tricky: CorpusManifest;
  let plain: CorpusManifest;
  let lines: Line[];

  beforeAll(async () => {
    tmp = await fs.promises.mkdtemp(path.join(os.tmpdir(), "mimo-corpus-"));
    home = path.join(tmp, "home");
    fs.mkdirSync(home);
    const common = { targetBytes: 400_000, seed: 7, extraTimeZones: ZONES.slice(1) };
    tricky = await generateCorpus({ ...common, dir: path.join(tmp, "tricky") });
    plain = await generateCorpus({ ...common, dir: path.join(tmp, "plain"), tricky: false });
    lines = readLines(tricky.dir, tricky);
  });

  afterAll(async () => {
    if (tmp) await fs.promises.rm(tmp, { recursive: true, force: true });
  });

  it("writes about the requested size and reports it", () => {
    const onDisk = tricky.files.reduce((sum, f) => sum + fs.statSync(path.join(tricky.dir, f.path)).size, 0);
    expect(onDisk).toBe(tricky.bytes);
    expect(tricky.bytes).toBeGreaterThanOrEqual(400_000);
    expect(tricky.bytes).toBeLessThan(400_000 * 1.5);
  });

  it("puts files where Claude Code puts them", () => {
    expect(relFiles(tricky.dir)).toEqual(tricky.files.map((f) => f.path).sort());
    const mainIds = new Set<string>();
    for (const f of tricky.files) {
      if (f.kind === "subagent") continue;
      expect(f.path).toMatch(new RegExp(`^projects/-[A-Za-z0-9-]+/${UUID}\\.jsonl$`));
      expect(path.basename(f.path, ".jsonl")).toBe(f.sessionId);
      mainIds.add(path.dirname(f.path) + "/" + f.sessionId);
    }
    const subagents = tricky.files.filter((f) => f.kind === "subagent");
    expect(subagents.length).toBeGreaterThan(0);
    for (const f of subagents) {
      expect(f.path).toMatch(new RegExp(`^projects/-[A-Za-z0-9-]+/${UUID}/subagents/agent-[0-9a-f]{8}\\.jsonl$`));
      // The sub-agent folder is named after a session transcript that sits beside it.
      expect(mainIds.has(f.path.split("/").slice(0, 3).join("/"))).toBe(true);
    }
  });

  it("writes only valid JSON lines of the known kinds, carrying the right session", () => {
    const types = new Set<string>();
    for (const { file, value } of lines) {
      const type = String(value.type);
      expect(LINE_TYPES.has(type)).toBe(true);
      types.add(type);
      if (type === "summary" || type === "file-history-snapshot") continue;
      const meta = tricky.files.find((f) => f.path === file);
      expect(value.sessionId).toBe(meta?.sessionId);
      expect(value.isSidechain).toBe(meta?.kind === "subagent");
      expect(String(value.timestamp)).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
      expect(Date.parse(String(value.timestamp))).toBeLessThanOrEqual(Date.parse(tricky.startDate));
      if (meta?.kind === "subagent") expect(file).toContain(`agent-${String(value.agentId)}.jsonl`);
    }
    expect([...types].sort()).toEqual([...LINE_TYPES].sort());
  });

  it("streams each response as several lines sharing ids, output_tokens rising to the final count", () => {
    const groups = new Map<string, Json[]>();
    for (const { file, value } of lines) {
      if (value.type !== "assistant" || isSynthetic(value)) continue;
      const message = record(value.message);
      expect(String(message.id)).toMatch(/^msg_01[A-Za-z0-9]{22}$/);
      expect(String(value.requestId)).toMatch(/^req_011C[A-Za-z0-9]{20}$/);
      expect(tricky.models).toContain(message.model);
      const key = `${file}\u0000${String(message.id)}\u0000${String(value.requestId)}`;
      const group = groups.get(key) ?? [];
      group.push(value);
      groups.set(key, group);
    }
    let multi = 0;
    for (const group of groups.values()) {
      if (group.length < 2) continue;
      multi++;
      const usages = group.map((v) => record(record(v.message).usage));
      for (let i = 1; i < group.length; i++) {
        expect(num(usages[i].output_tokens)).toBeGreaterThan(num(usages[i - 1].output_tokens));
        expect(Date.parse(String(group[i].timestamp))).toBeGreaterThan(Date.parse(String(group[i - 1].timestamp)));
        expect(usages[i].input_tokens).toBe(usages[0].input_tokens);
        expect(usages[i].cache_read_input_tokens).toBe(usages[0].cache_read_input_tokens);
        expect(usages[i].cache_creation_input_tokens).toBe(usages[0].cache_creation_input_tokens);
      }
      for (const v of group.slice(0, -1)) expect(record(v.message).stop_reason).toBeNull();
      expect(["tool_use", "end_turn"]).toContain(record(group[group.length - 1].message).stop_reason);
    }
    expect(multi).toBeGreaterThan(10);
  });

  it("includes the tricky shapes: replays, API errors, a response across midnight", () => {
    const c = tricky.counts;
    expect(c.resumedSessions).toBeGreaterThan(0);
    expect(c.replayedLines).toBeGreaterThan(0);
    expect(c.apiErrors).toBeGreaterThan(0);
    expect(c.midnightStraddles).toBeGreaterThan(0);
    const errors = lines.filter(({ value }) => value.isApiErrorMessage === true);
    // Replays copy error lines too, so count them once.
    expect(new Set(errors.map(({ value }) => value.uuid)).size).toBe(c.apiErrors);
    for (const { value } of errors) {
      const message = record(value.message);
      expect(message.model).toBe("<synthetic>");
      const usage = record(message.usage);
      expect(num(usage.input_tokens) + num(usage.output_tokens)).toBe(0);
    }
    // A replayed response appears in two files with identical ids and timestamps.
    const where = new Map<string, Set<string>>();
    for (const { file, value } of lines) {
      if (value.type !== "assistant" || isSynthetic(value)) continue;
      const key = `${String(record(value.message).id)}|${String(value.requestId)}|${String(value.timestamp)}`;
      const files = where.get(key) ?? new Set<string>();
      files.add(file);
      where.set(key, files);
    }
    expect([...where.values()].some((files) => files.size > 1)).toBe(true);
  });

  it("has none of them when tricky cases are off", () => {
    expect(plain.counts.resumedSessions).toBe(0);
    expect(plain.counts.apiErrors).toBe(0);
    expect(plain.counts.replayedLines).toBe(0);
    expect(plain.counts.midnightStraddles).toBe(0);
    const plainLines = readLines(plain.dir, plain);
    expect(plainLines.some(({ value }) => value.type === "assistant" && isSynthetic(value))).toBe(false);
  });

  it("tallies the same totals as re-reading the files under the counting rules", () => {
    for (const manifest of [tricky, plain]) {
      const all = manifest === tricky ? lines : readLines(plain.dir, plain);
      for (const zone of ZONES) {
        const expected = manifest.expectedByTimeZone[zone];
        expect(expected.totals.messages).toBe(manifest.counts.responses);
        expect(withoutSessions(expected)).toEqual(withoutSessions(recount(all, zone)));
      }
      expect(manifest.expected).toBe(manifest.expectedByTimeZone.UTC);
      const owners = manifest.files.filter((f) => f.kind === "session" || f.kind === "resumed");
      expect(manifest.expected.totals.sessions).toBe(owners.length);
    }
  });

  it("is deterministic for a seed", async () => {
    const again = await generateCorpus({
      dir: path.join(tmp, "again"),
      targetBytes: 400_000,
      seed: 7,
      extraTimeZones: ZONES.slice(1),
    });
    expect(digest(again.dir)).toEqual(digest(tricky.dir));
    expect(again.expectedByTimeZone).toEqual(tricky.expectedByTimeZone);
    expect(again.files).toEqual(tricky.files);
    const other = await generateCorpus({ dir: path.join(tmp, "other"), targetBytes: 100_000, seed: 8 });
    expect(Object.keys(digest(other.dir))).not.toEqual(Object.keys(digest(tricky.dir)));
  });

  it.each(ZONES)("matches ccusage 20.0.24 per-day totals exactly without tricky cases (%s)", (zone) => {
    expect(ccusageDaily(plain.dir, home, zone)).toEqual(tokenDays(plain.expectedByTimeZone[zone]));
  });

  it.each(ZONES)("matches ccusage 20.0.24 per-day totals exactly with tricky cases (%s)", (zone) => {
    expect(ccusageDaily(tricky.dir, home, zone)).toEqual(tokenDays(tricky.expectedByTimeZone[zone]));
  });

  it("appends whole lines of new activity to the newest session file", async () => {
    const base = await generateCorpus({ dir: path.join(tmp, "append"), targetBytes: 150_000, seed: 11 });
    const newest = [...base.files]
      .filter((f) => f.kind !== "subagent")
      .sort((a, b) => b.mtimeMs - a.mtimeMs || (a.path < b.path ? 1 : -1))[0];
    const appended = await appendToCorpus(base.dir, 60_000);
    expect(path.relative(base.dir, appended.file).split(path.sep).join("/")).toBe(newest.path);
    expect(appended.bytesAppended).toBeGreaterThanOrEqual(60_000);
    expect(appended.bytesAppended).toBeLessThan(60_000 * 1.5);
    const text = fs.readFileSync(appended.file, "utf8");
    expect(Buffer.byteLength(text)).toBe(newest.bytes + appended.bytesAppended);
    const tail = text.slice(0, -1).split("\n").slice(newest.lines);
    expect(tail).toHaveLength(appended.linesAppended);
    for (const line of tail) {
      const value = record(JSON.parse(line));
      if (value.sessionId !== undefined) expect(value.sessionId).toBe(newest.sessionId);
    }
    expect(appended.expected.totals.messages).toBeGreaterThan(0);
    const merged = mergeExpected(base.expected, appended.expected);
    expect(ccusageDaily(base.dir, home, "UTC")).toEqual(tokenDays(merged));
    // A second append continues after the first instead of repeating it.
    const second = await appendToCorpus(base.dir, 20_000);
    expect(second.file).toBe(appended.file);
    const both = mergeExpected(merged, second.expected);
    expect(ccusageDaily(base.dir, home, "UTC")).toEqual(tokenDays(both));
  });
});
