import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import {
  appendToCorpus,
  CorpusManifest,
  ExpectedUsage,
  generateCorpus,
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

  // The expected totals are the generator's own plan (what each response it wrote used, on the day of
  // its final line), never a second reading of the files under our counting rules; ccusage below is
  // the independent check that the files say the same.
  it("plans one counted message per response, in every zone, owned by the sessions that wrote them", () => {
    for (const manifest of [tricky, plain]) {
      for (const zone of ZONES)
        expect(manifest.expectedByTimeZone[zone].totals.messages).toBe(manifest.counts.responses);
      expect(manifest.expected).toBe(manifest.expectedByTimeZone.UTC);
      const owners = manifest.files.filter((f) => f.kind === "session" || f.kind === "resumed");
      expect(manifest.expected.totals.sessions).toBe(owners.length);
    }
  });

  it("has the real shape's line mix: two thirds assistant lines, user lines carrying most bytes", async () => {
    const real = await generateCorpus({ dir: path.join(tmp, "mix"), targetBytes: 3_000_000, seed: 3 });
    const mix = real.mix;
    const lines = Object.values(mix).reduce((n, m) => n + m.lines, 0);
    const share = (kind: keyof typeof mix) => (mix[kind]?.lines ?? 0) / lines;
    const average = (kind: keyof typeof mix) => (mix[kind]?.bytes ?? 0) / (mix[kind]?.lines ?? 1);
    expect(lines).toBe(real.lines);
    expect(share("assistant")).toBeGreaterThan(0.6);
    expect(average("assistant")).toBeGreaterThan(800);
    expect(average("assistant")).toBeLessThan(1400);
    expect(average("user")).toBeGreaterThan(3500);
    expect(mix.user?.bytes ?? 0).toBeGreaterThan(real.bytes / 2);
    expect(share("apiError")).toBeGreaterThan(0.004);
    expect(share("apiError")).toBeLessThan(0.02);
    // About 1,300 transcripts per 300 MB; a small corpus caps its sessions lower, so it has a few more.
    expect(real.files.length).toBeGreaterThan(8);
    expect(real.files.length).toBeLessThan(40);
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
