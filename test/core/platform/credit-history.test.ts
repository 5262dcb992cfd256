import { promises as fs } from "node:fs";
import path from "node:path";
import {
  addSample,
  CREDIT_HISTORY_FILE,
  HISTORY_MAX_AGE_MS,
  MAX_SAMPLES,
  readCreditHistory,
  rootsFingerprint,
  writeCreditHistory,
  type CreditSample,
} from "../../../src/core/platform/credit-history";
import { tempDir } from "../../helpers/transcripts";

const HOUR = 3_600_000;
const START = Date.parse("2026-11-20T00:00:00.000Z");

function sampleAt(ms: number, used = 100, periodEnd = "2026-12-10T00:00:00.000Z"): CreditSample {
  return {
    at: new Date(ms).toISOString(),
    used,
    limit: 1_000,
    periodEnd,
    localTokens: 50,
    roots: "abc",
    localCredits: 12_345.5,
    localUncredited: 7,
    periodLocalCredits: 10_000,
  };
}

let dir: string;
let file: string;
beforeEach(async () => {
  dir = await tempDir("mimo-history-");
  file = path.join(dir, "support", CREDIT_HISTORY_FILE);
});
afterEach(() => fs.rm(dir, { recursive: true, force: true }));

describe("the credit history file", () => {
  it("round-trips samples, oldest first", async () => {
    const samples = [sampleAt(START + 2 * HOUR), sampleAt(START)];
    await writeCreditHistory(file, samples);
    expect(await readCreditHistory(file)).toEqual([sampleAt(START), sampleAt(START + 2 * HOUR)]);
    // Written atomically: no temporary file is left beside it.
    expect(await fs.readdir(path.dirname(file))).toEqual([CREDIT_HISTORY_FILE]);
  });

  it("reads a file written before Credits were counted, keeping every sample", async () => {
    const old = { version: 1, samples: [{ ...sampleAt(START), creditsPerToken: 2 }] };
    for (const key of ["localCredits", "localUncredited", "periodLocalCredits"] as const) delete old.samples[0][key];
    await fs.mkdir(path.dirname(file), { recursive: true });
    await fs.writeFile(file, JSON.stringify(old));
    expect(await readCreditHistory(file)).toEqual([
      { ...sampleAt(START), localCredits: null, localUncredited: null, periodLocalCredits: null },
    ]);
  });

  it.each([
    ["absent", null],
    ["not JSON", '{"version":1,"samples":['],
    ["another version", JSON.stringify({ version: 9, samples: [] })],
    ["a bad sample", JSON.stringify({ version: 1, samples: [{ at: "yesterday", used: -1 }] })],
  ])("starts over when the file is %s", async (_name, body) => {
    if (body !== null) {
      await fs.mkdir(path.dirname(file), { recursive: true });
      await fs.writeFile(file, body);
    }
    expect(await readCreditHistory(file)).toEqual([]);
  });
});

describe("keeping the history bounded", () => {
  it("keeps about one sample an hour, always with the newest", () => {
    let samples: CreditSample[] = [];
    for (let minutes = 0; minutes <= 240; minutes += 5) {
      samples = addSample(samples, sampleAt(START + minutes * 60_000, minutes), new Date(START + minutes * 60_000));
    }
    const times = samples.map((s) => (Date.parse(s.at) - START) / 60_000);
    expect(times.at(-1)).toBe(240);
    expect(samples.at(-1)?.used).toBe(240);
    // Any two samples but the newest pair lie two hours apart: at most one an hour over time.
    for (let i = 2; i < times.length; i++) expect(times[i] - times[i - 2]).toBeGreaterThanOrEqual(120);
    expect(samples.length).toBeLessThanOrEqual(5);
  });

  it("never merges away the last sample of a period", () => {
    const old = "2026-11-20T06:00:00.000Z";
    let samples = [sampleAt(START, 10, old), sampleAt(START + 20 * 60_000, 900, old)];
    samples = addSample(samples, sampleAt(START + 30 * 60_000, 5), new Date(START + 30 * 60_000));
    expect(samples.map((s) => s.used)).toEqual([10, 900, 5]);
  });

  it("drops samples older than 60 days and caps the count", () => {
    const now = new Date(START);
    const old = sampleAt(START - HISTORY_MAX_AGE_MS - HOUR);
    expect(addSample([old], sampleAt(START), now)).toEqual([sampleAt(START)]);
    const many = Array.from({ length: MAX_SAMPLES + 50 }, (_, i) =>
      sampleAt(START - (MAX_SAMPLES + 50 - i) * (HOUR / 2)),
    );
    const kept = addSample(many, sampleAt(START), now);
    expect(kept).toHaveLength(MAX_SAMPLES);
    expect(kept.at(-1)).toEqual(sampleAt(START));
  });

  it("names folders by a hash that does not show their paths", () => {
    const roots = [{ path: "/Users/me/.claude-envs/mimo/.claude", kind: "dedicated" as const }];
    const name = rootsFingerprint(roots);
    expect(name).toMatch(/^[0-9a-f]{16}$/);
    expect(rootsFingerprint([...roots])).toBe(name);
    expect(rootsFingerprint([{ ...roots[0], kind: "shared" }])).not.toBe(name);
  });
});
