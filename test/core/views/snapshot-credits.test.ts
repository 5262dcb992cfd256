import { promises as fs } from "node:fs";
import { refreshUsage, type EngineConfig } from "../../../src/core/chain/local";
import type { Snapshot } from "../../../src/core/views/schema";
import { assistant, configFor, tempDir, writeTranscript } from "../../helpers/transcripts";

/**
 * The snapshot converts tokens to Credits once per local date × client × model and sums those, and
 * converts single cells only for hours and sessions. Each figure must still be every response at
 * the rate of its own model and local date: here across the day the rate table starts (2026-05-27)
 * in a zone whose midnight falls inside a UTC hour, so one hour and one session hold both an unrated
 * and a rated response of the same model.
 *
 * Rates (rates.ts): mimo-v2.5-pro 2.5 / 300 / 600 and mimo-v2.5 2 / 100 / 200 Credits per hit, miss
 * and output token from 2026-05-27; mimo-v2-flash has none.
 */

let root: string;

beforeEach(async () => {
  root = await tempDir("mimo-snapshot-credits-");
  await writeTranscript(root, "one.jsonl", [
    // 23:40 on 26 May in Kolkata: before the table, unrated.
    assistant({ id: "1", req: "1", session: "s1", ts: "2026-05-26T18:10:00Z", input: 1_000, output: 100 }),
    // 00:10 on 27 May in Kolkata, the same UTC hour: 1,000 miss, 100 output, 1,000 hit.
    assistant({
      id: "2",
      req: "2",
      session: "s1",
      ts: "2026-05-26T18:40:00Z",
      input: 1_000,
      output: 100,
      cacheRead: 1_000,
    }),
  ]);
  await writeTranscript(root, "two.jsonl", [
    // Today (28 May): 10 cache writes (billed as misses) and 5 output on v2.5, and 7 unrated tokens.
    assistant({
      id: "3",
      req: "3",
      session: "s2",
      ts: "2026-05-28T06:00:00Z",
      cacheWrite: 10,
      output: 5,
      model: "mimo-v2.5",
    }),
    assistant({ id: "4", req: "4", session: "s2", ts: "2026-05-28T06:05:00Z", input: 7, model: "mimo-v2-flash" }),
  ]);
});

afterEach(async () => {
  await fs.rm(root, { recursive: true, force: true });
});

async function scan(overrides: Partial<EngineConfig> = {}): Promise<Snapshot> {
  const result = await refreshUsage(
    configFor([root], {
      timeZone: "Asia/Kolkata",
      now: () => new Date("2026-05-28T12:00:00Z"),
      ...overrides,
    }),
  );
  if (!result.ok) throw new Error(result.error);
  return result.snapshot;
}

const credit = (row: { total: number; credits: number; uncreditedTokens: number }) => ({
  total: row.total,
  credits: row.credits,
  uncreditedTokens: row.uncreditedTokens,
});

// 1,000 × 300 + 100 × 600 + 1,000 × 2.5 on v2.5-pro.
const RATED_PRO = 362_500;
// 10 × 100 + 5 × 200 on v2.5.
const RATED_TODAY = 2_000;

describe("Credits in the snapshot", () => {
  it("rates each day, model and window at its own local date", async () => {
    const s = await scan();
    expect(s.days.map((d) => [d.date, credit(d)])).toEqual([
      ["2026-05-26", { total: 1_100, credits: 0, uncreditedTokens: 1_100 }],
      ["2026-05-27", { total: 2_100, credits: RATED_PRO, uncreditedTokens: 0 }],
      ["2026-05-28", { total: 22, credits: RATED_TODAY, uncreditedTokens: 7 }],
    ]);
    expect(s.models.map((m) => [m.model, credit(m)])).toEqual([
      ["mimo-v2.5-pro", { total: 3_200, credits: RATED_PRO, uncreditedTokens: 1_100 }],
      ["mimo-v2.5", { total: 15, credits: RATED_TODAY, uncreditedTokens: 0 }],
      ["mimo-v2-flash", { total: 7, credits: 0, uncreditedTokens: 7 }],
    ]);
    expect(s.dayModels.filter((r) => r.date === "2026-05-27").map((r) => [r.model, r.credits])).toEqual([
      ["mimo-v2.5-pro", RATED_PRO],
    ]);
    expect({ ...credit(s.today), sessions: s.today.sessions }).toEqual({
      total: 22,
      credits: RATED_TODAY,
      uncreditedTokens: 7,
      sessions: 1,
    });
    // The week starts on Monday 25 May: all three days.
    expect({ ...credit(s.week), sessions: s.week.sessions }).toEqual({
      total: 3_222,
      credits: RATED_PRO + RATED_TODAY,
      uncreditedTokens: 1_107,
      sessions: 2,
    });
    expect(credit(s.lifetime)).toEqual(credit(s.week));
    const claude = s.clients.find((c) => c.name === "claude-code");
    expect(claude && credit(claude.lifetime)).toEqual(credit(s.lifetime));
  });

  it("splits an hour and a session that cross the table's first day by each response's date", async () => {
    const s = await scan();
    expect(s.hours.map((h) => [new Date(h.at).toISOString(), credit(h)])).toEqual([
      ["2026-05-26T18:00:00.000Z", { total: 3_200, credits: RATED_PRO, uncreditedTokens: 1_100 }],
      ["2026-05-28T06:00:00.000Z", { total: 22, credits: RATED_TODAY, uncreditedTokens: 7 }],
    ]);
    const one = s.sessions.find((x) => x.sessionId === "s1");
    expect(one && credit(one)).toEqual({ total: 3_200, credits: RATED_PRO, uncreditedTokens: 1_100 });
    expect(one?.series.map((p) => [p.at, p.total, p.credits])).toEqual([
      ["2026-05-26T18:00:00.000Z", 1_100, 0],
      ["2026-05-26T18:30:00.000Z", 2_100, RATED_PRO],
    ]);
  });

  it("gives the same figures when the refresh builds no sessions, as the menu bar asks", async () => {
    const withSessions = await scan();
    const without = await scan({ sessions: false });
    expect(without.sessions).toEqual([]);
    expect({ ...without, sessions: [], stats: null }).toEqual({ ...withSessions, sessions: [], stats: null });
  });
});
