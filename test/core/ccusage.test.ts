import { promises as fs } from "node:fs";
import path from "node:path";
import { generateCorpus } from "../../bench/corpus";
import { refreshUsage } from "../../src/core/chain/local";
import type { Snapshot } from "../../src/core/views/schema";
import { ccusageDaily, type DayBuckets } from "../helpers/ccusage";
import { assistant, configFor, tempDir, writeTranscript } from "../helpers/transcripts";

/**
 * Users compare our figures with ccusage's, so on ordinary transcripts (streamed responses, resumed
 * sessions replaying lines, sub-agents, days crossing midnight) our per-day totals must equal
 * ccusage 20.0.24's exactly. Where we count differently on purpose, the cases below show it.
 */

const ZONES = ["UTC", "America/New_York", "Asia/Shanghai", "Asia/Kolkata"];

async function ourDays(root: string, timeZone: string): Promise<Record<string, DayBuckets>> {
  const result = await refreshUsage(configFor([root], { timeZone }));
  if (!result.ok) throw new Error(result.error);
  return daysOf(result.snapshot);
}

function daysOf(snapshot: Snapshot): Record<string, DayBuckets> {
  return Object.fromEntries(
    snapshot.days.map((d) => [
      d.date,
      { input: d.input, output: d.output, cacheRead: d.cacheRead, cacheWrite: d.cacheWrite },
    ]),
  );
}

let dir: string;
let home: string;
beforeAll(async () => {
  dir = await tempDir("mimo-ccusage-");
  home = path.join(dir, "home");
  await fs.mkdir(home);
});
afterAll(async () => {
  await fs.rm(dir, { recursive: true, force: true });
});

describe("agreement with ccusage 20.0.24", () => {
  let corpus: string;
  beforeAll(async () => {
    corpus = path.join(dir, "corpus");
    await generateCorpus({ dir: corpus, targetBytes: 3 * 1024 * 1024, seed: 11, days: 12 });
  });

  it.each(ZONES)("has the same per-day totals in %s", async (zone) => {
    const ours = await ourDays(corpus, zone);
    expect(Object.keys(ours).length).toBeGreaterThan(5);
    expect(ours).toEqual(ccusageDaily(corpus, home, zone));
  });
});

describe("where we count differently on purpose", () => {
  let root: string;
  beforeEach(async () => {
    root = await tempDir("mimo-differ-");
  });
  afterEach(async () => {
    await fs.rm(root, { recursive: true, force: true });
  });

  it("never counts <synthetic> or API-error lines, which ccusage adds to the totals", async () => {
    await writeTranscript(root, "s1.jsonl", [
      assistant({ id: "a", req: "a", ts: "2026-11-20T10:00:00Z", input: 10, output: 10 }),
      assistant({ id: "b", req: "b", ts: "2026-11-20T10:01:00Z", output: 1000, model: "<synthetic>" }),
      assistant({ id: "c", req: "c", ts: "2026-11-20T10:02:00Z", output: 500, extra: { isApiErrorMessage: true } }),
    ]);
    expect((await ourDays(root, "UTC"))["2026-11-20"].output).toBe(10);
    expect(ccusageDaily(root, home, "UTC")["2026-11-20"].output).toBe(1510);
  });

  it("merges repeated lines of a message without a requestId, which ccusage counts each time", async () => {
    await writeTranscript(root, "s1.jsonl", [
      assistant({ id: "m", req: null, ts: "2026-11-20T10:00:00Z", output: 3 }),
      assistant({ id: "m", req: null, ts: "2026-11-20T10:00:01Z", output: 40 }),
    ]);
    expect((await ourDays(root, "UTC"))["2026-11-20"].output).toBe(40);
    expect(ccusageDaily(root, home, "UTC")["2026-11-20"].output).toBe(43);
  });
});
