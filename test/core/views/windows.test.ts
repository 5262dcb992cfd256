import { promises as fs } from "node:fs";
import { refreshUsage, type EngineConfig } from "../../../src/core/chain/local";
import { weekStartOf } from "../../../src/core/views/calendar";
import type { Snapshot } from "../../../src/core/views/schema";
import { assistant, configFor, tempDir, writeTranscript } from "../../helpers/transcripts";

async function scan(config: EngineConfig): Promise<Snapshot> {
  const result = await refreshUsage(config);
  if (!result.ok) throw new Error(result.error);
  return result.snapshot;
}

let root: string;
beforeEach(async () => {
  root = await tempDir();
});
afterEach(async () => {
  await fs.rm(root, { recursive: true, force: true });
});

/** One response of `input` tokens at each instant, each with its own key. */
async function writeAt(instants: [string, number][]): Promise<void> {
  await writeTranscript(
    root,
    "s1.jsonl",
    instants.map(([ts, input], i) => assistant({ id: `m${i}`, req: `r${i}`, ts, input })),
  );
}

const dayTotals = (s: Snapshot) => Object.fromEntries(s.days.map((d) => [d.date, d.input]));

describe("local days", () => {
  it("puts each line on its local date in the configured time zone", async () => {
    await writeAt([
      ["2026-11-24T15:59:59Z", 1], // 23:59:59 in Shanghai (UTC+8)
      ["2026-11-24T16:00:00Z", 2], // 00:00 on the 25th in Shanghai
    ]);
    const shanghai = await scan(configFor([root], { timeZone: "Asia/Shanghai" }));
    expect(dayTotals(shanghai)).toEqual({ "2026-11-24": 1, "2026-11-25": 2 });
    const utc = await scan(configFor([root], { timeZone: "UTC" }));
    expect(dayTotals(utc)).toEqual({ "2026-11-24": 3 });
  });

  it("handles half-hour zones", async () => {
    await writeAt([
      ["2026-11-24T18:29:00Z", 1], // 23:59 in Kolkata (UTC+5:30)
      ["2026-11-24T18:30:00Z", 2], // 00:00 on the 25th
    ]);
    const s = await scan(configFor([root], { timeZone: "Asia/Kolkata" }));
    expect(dayTotals(s)).toEqual({ "2026-11-24": 1, "2026-11-25": 2 });
  });

  it("lands lines on the right date across DST changes", async () => {
    // New York: DST ends 2026-11-01 at 02:00 EDT (06:00Z); starts 2026-03-08 at 02:00 EST (07:00Z).
    await writeAt([
      ["2026-11-01T03:59:00Z", 1], // 23:59 EDT on Oct 31
      ["2026-11-01T04:00:00Z", 2], // 00:00 EDT on Nov 1
      ["2026-11-02T04:59:00Z", 4], // 23:59 EST on Nov 1 (a 25-hour day)
      ["2026-11-02T05:00:00Z", 8], // 00:00 EST on Nov 2
      ["2026-03-08T04:59:00Z", 16], // 23:59 EST on Mar 7
      ["2026-03-09T03:59:00Z", 32], // 23:59 EDT on Mar 8 (a 23-hour day)
      ["2026-03-09T04:00:00Z", 64], // 00:00 EDT on Mar 9
    ]);
    const s = await scan(configFor([root], { timeZone: "America/New_York" }));
    expect(dayTotals(s)).toEqual({
      "2026-03-07": 16,
      "2026-03-08": 32,
      "2026-03-09": 64,
      "2026-10-31": 1,
      "2026-11-01": 6,
      "2026-11-02": 8,
    });
  });
});

describe("windows", () => {
  // Wednesday 2026-11-25, noon UTC.
  const now = () => new Date("2026-11-25T12:00:00Z");

  beforeEach(async () => {
    await writeAt([
      ["2026-11-22T10:00:00Z", 1], // Sunday
      ["2026-11-23T10:00:00Z", 2], // Monday
      ["2026-11-24T10:00:00Z", 4], // Tuesday
      ["2026-11-25T10:00:00Z", 8], // Wednesday (today)
      ["2026-11-15T10:00:00Z", 16], // Sunday of the week before
    ]);
  });

  it("starts the week on Monday", async () => {
    const s = await scan(configFor([root], { now, weekStart: "monday" }));
    expect(s.today.input).toBe(8);
    expect(s.week.input).toBe(14);
    expect(s.lifetime.input).toBe(31);
    expect(s.windows).toEqual({ today: "2026-11-25", weekFrom: "2026-11-23", lifetimeFrom: "2026-11-15" });
  });

  it("starts the week on Sunday", async () => {
    const s = await scan(configFor([root], { now, weekStart: "sunday" }));
    expect(s.week.input).toBe(15);
    expect(s.windows.weekFrom).toBe("2026-11-22");
  });

  it("shows 0 for today on a day without usage, not the last day that had some", async () => {
    const s = await scan(configFor([root], { now: () => new Date("2026-11-26T12:00:00Z") }));
    expect(s.today).toMatchObject({ input: 0, total: 0, messages: 0, sessions: 0, credits: 0, uncreditedTokens: 0 });
    expect(s.week.input).toBe(14);
  });

  it("applies a time zone override to today and the week", async () => {
    // At 2026-11-25T12:00Z it is already Thursday the 26th in Kiritimati (UTC+14), and every line
    // moves a day later: Sunday's line lands on Monday, inside this week.
    const s = await scan(configFor([root], { now, timeZone: "Pacific/Kiritimati" }));
    expect(s.windows.today).toBe("2026-11-26");
    expect(s.today.input).toBe(8);
    expect(s.week.input).toBe(15);
    expect(dayTotals(s)).toEqual({
      "2026-11-16": 16,
      "2026-11-23": 1,
      "2026-11-24": 2,
      "2026-11-25": 4,
      "2026-11-26": 8,
    });
  });

  it("computes the week start for every weekday", () => {
    const days = ["2026-11-22", "2026-11-23", "2026-11-24", "2026-11-28"];
    expect(days.map((d) => weekStartOf(d, "monday"))).toEqual(["2026-11-16", "2026-11-23", "2026-11-23", "2026-11-23"]);
    expect(days.map((d) => weekStartOf(d, "sunday"))).toEqual(["2026-11-22", "2026-11-22", "2026-11-22", "2026-11-22"]);
  });
});
