import { promises as fs } from "node:fs";
import path from "node:path";
import { refreshUsage, type EngineConfig } from "../../../src/core/chain/local";
import type { Snapshot } from "../../../src/core/views/schema";
import { assistant, configFor, tempDir, writeTranscript } from "../../helpers/transcripts";

/**
 * The counting rules must hold across refreshes, not only within one: what the saved state already
 * counted and what arrives later are held to the same rules as one cold scan of everything.
 */

let dir: string;
let root: string;
let statePath: string;

beforeEach(async () => {
  dir = await tempDir("mimo-saved-state-");
  root = path.join(dir, "mimo");
  statePath = path.join(dir, "support", "usage-state.bin");
});
afterEach(() => fs.rm(dir, { recursive: true, force: true }));

async function scan(overrides: Partial<EngineConfig> = {}): Promise<Snapshot> {
  const result = await refreshUsage(configFor([root], { statePath, ...overrides }));
  if (!result.ok) throw new Error(result.error);
  return result.snapshot;
}

async function coldScan(overrides: Partial<EngineConfig> = {}): Promise<Snapshot> {
  return scan({ statePath: null, ...overrides });
}

describe("latest wins across refreshes", () => {
  const final = assistant({ id: "m1", req: "r1", session: "a", ts: "2026-11-25T10:00:05Z", input: 100, output: 40 });
  const streamed = assistant({ id: "m1", req: "r1", session: "b", ts: "2026-11-25T10:00:01Z", input: 100, output: 2 });

  it("keeps the final usage when an older copy of the response turns up later in another file", async () => {
    await writeTranscript(root, "a.jsonl", [final]);
    expect((await scan()).lifetime).toMatchObject({ total: 140, messages: 1 });

    await writeTranscript(root, "b.jsonl", [streamed], { project: "-work-other" });
    const after = await scan();
    expect(after.stats.filesRead).toBe(1);
    expect(after.lifetime).toMatchObject({ total: 140, output: 40, messages: 1 });
    expect(after.lifetime).toEqual((await coldScan()).lifetime);
  });

  it("moves the response to the final copy when that one turns up later in another file", async () => {
    await writeTranscript(root, "b.jsonl", [streamed], { project: "-work-other" });
    expect((await scan()).lifetime).toMatchObject({ total: 102, messages: 1 });

    await writeTranscript(root, "a.jsonl", [final]);
    const after = await scan();
    expect(after.lifetime).toMatchObject({ total: 140, output: 40, messages: 1 });
    // The response now belongs to the session of its final copy, as in a cold scan.
    const cold = await coldScan();
    expect(after.sessions.map((s) => [s.sessionId, s.total])).toEqual(cold.sessions.map((s) => [s.sessionId, s.total]));
  });
});

describe("a time zone change over saved state", () => {
  it("regroups days and windows in the new zone without reading a byte, as a cold scan there would", async () => {
    await writeTranscript(root, "late.jsonl", [
      // 23:30 UTC on the 24th is 07:30 on the 25th in Shanghai.
      assistant({ id: "m1", req: "r1", ts: "2026-11-24T23:30:00Z", input: 10 }),
      assistant({ id: "m2", req: "r2", ts: "2026-11-25T10:00:00Z", input: 20 }),
    ]);
    const now = () => new Date("2026-11-25T12:00:00Z");
    const utc = await scan({ now, timeZone: "UTC" });
    expect(utc.days.map((d) => [d.date, d.total])).toEqual([
      ["2026-11-24", 10],
      ["2026-11-25", 20],
    ]);
    expect(utc.today.total).toBe(20);

    const shanghai = await scan({ now, timeZone: "Asia/Shanghai" });
    expect(shanghai.stats.bytesRead).toBe(0);
    expect(shanghai.days.map((d) => [d.date, d.total])).toEqual([["2026-11-25", 30]]);
    expect(shanghai.today.total).toBe(30);
    const cold = await coldScan({ now, timeZone: "Asia/Shanghai" });
    expect({ days: shanghai.days, today: shanghai.today, week: shanghai.week }).toEqual({
      days: cold.days,
      today: cold.today,
      week: cold.week,
    });
  });
});
