import path from "node:path";
import type { UsageReport } from "../../src/core/chain/report-schema";
import { loadUsageReport } from "../../src/core/chain/report";
import { getTopSessions, type TopSessionsAnswer } from "../../src/tools/get-top-sessions";
import type { Unavailable } from "../../src/tools/answer";
import { tempDir, writeTranscript } from "../helpers/transcripts";
import { longSession, NOW, PROJECTS, SESSIONS } from "./corpus";
import { chainOptions, corpusFixture, rescan, type CorpusFixture } from "../helpers/report";
import { promises as fs } from "node:fs";

let corpus: CorpusFixture;
let utc: UsageReport;
beforeAll(async () => {
  corpus = await corpusFixture(SESSIONS, { now: NOW });
  utc = await rescan(corpus);
});
afterAll(() => corpus.cleanup());

function answer(result: TopSessionsAnswer | Unavailable): TopSessionsAnswer {
  if (!result.available) throw new Error(`expected figures, got: ${result.reason}`);
  return result;
}

const cny = (amount: number, partial = false) => ({ amount, currency: "CNY", partial });

describe("get-top-sessions by session", () => {
  it("ranks every session of all time by tokens, five by default", () => {
    const result = answer(getTopSessions({}, utc, NOW));
    expect(result).toMatchObject({
      period: "lifetime",
      from: "2026-10-31",
      to: "2026-11-29",
      groupBy: "session",
      periodTotalTokens: 74_210,
      activeCount: 8,
      projects: null,
      timeZone: "UTC",
      weekStart: "monday",
      source: "local",
      updatedAt: NOW.toISOString(),
      notes: [],
    });
    expect(result.sessions?.map((row) => [row.rank, row.sessionId, row.periodTokens, row.sessionTotalTokens])).toEqual([
      [1, "s-late", 32_000, 32_000],
      [2, "s-unpriced", 16_000, 16_000],
      [3, "s-night", 14_500, 14_500],
      [4, "s-today", 8_300, 8_300],
      [5, "s-mon", 2_100, 2_100],
    ]);
  });

  it("counts only the period's tokens of a session that runs past it, and gives the whole session's too", () => {
    const result = answer(getTopSessions({ period: "yesterday", limit: 10 }, utc, NOW));
    expect(result).toMatchObject({ from: "2026-11-28", to: "2026-11-28", periodTotalTokens: 58_500, activeCount: 3 });
    expect(result.sessions).toEqual([
      expect.objectContaining({ rank: 1, sessionId: "s-late", periodTokens: 32_000 }),
      expect.objectContaining({ rank: 2, sessionId: "s-unpriced", periodTokens: 16_000, sessionEstimatedCost: null }),
      {
        rank: 3,
        sessionId: "s-night",
        project: PROJECTS.gamma,
        summary: "Night migration",
        periodTokens: 10_500,
        sessionTotalTokens: 14_500,
        sessionMessages: 2,
        // mimo-v2.5-pro: 4,000 misses × 300 + 500 output × 600 + 10,000 hits × 2.5.
        sessionCredits: 1_525_000,
        sessionEstimatedCost: cny(0.01525),
        models: ["mimo-v2.5-pro"],
        firstActiveAt: "2026-11-27T23:30:00.000Z",
        lastActiveAt: "2026-11-28T00:30:00.000Z",
        lastActiveLocal: "2026-11-28 00:30",
      },
    ]);
  });

  it("honours the limit and a custom range", () => {
    const result = answer(getTopSessions({ from: "2026-11-22", to: "2026-11-23", limit: 1 }, utc, NOW));
    expect(result).toMatchObject({ period: "custom", periodTotalTokens: 3_100, activeCount: 2 });
    expect(result.sessions?.map((row) => row.sessionId)).toEqual(["s-mon"]);
  });

  it("finds nothing in a quiet range", () => {
    expect(getTopSessions({ from: "2026-11-24", to: "2026-11-26" }, utc, NOW)).toMatchObject({
      periodTotalTokens: 0,
      activeCount: 0,
      sessions: [],
    });
  });

  it("shows local times in the engine's zone", async () => {
    const shanghai = await rescan(corpus, { timeZone: "Asia/Shanghai" });
    const result = answer(getTopSessions({ period: "today" }, shanghai, NOW));
    expect(result.sessions?.map((row) => [row.sessionId, row.periodTokens, row.lastActiveLocal])).toEqual([
      ["s-late", 32_000, "2026-11-29 01:00"],
      ["s-today", 8_300, "2026-11-29 17:00"],
    ]);
  });
});

describe("get-top-sessions by project", () => {
  it("adds up sessions by working folder", () => {
    const result = answer(getTopSessions({ groupBy: "project" }, utc, NOW));
    expect(result).toMatchObject({ groupBy: "project", activeCount: 3, sessions: null });
    expect(result.projects).toEqual([
      {
        rank: 1,
        project: PROJECTS.beta,
        sessions: 3,
        periodTokens: 35_100,
        sessionsTotalTokens: 35_100,
        sessionsCredits: 10_560_000,
        sessionsEstimatedCost: cny(0.1056),
        lastActiveAt: "2026-11-28T17:00:00.000Z",
        lastActiveLocal: "2026-11-28 17:00",
      },
      {
        rank: 2,
        project: PROJECTS.gamma,
        sessions: 2,
        periodTokens: 30_500,
        sessionsTotalTokens: 30_500,
        sessionsCredits: 1_525_000,
        sessionsEstimatedCost: cny(0.01525, true),
        lastActiveAt: "2026-11-28T15:00:00.000Z",
        lastActiveLocal: "2026-11-28 15:00",
      },
      {
        rank: 3,
        project: PROJECTS.alpha,
        sessions: 3,
        periodTokens: 8_610,
        sessionsTotalTokens: 8_610,
        sessionsCredits: 926_000,
        sessionsEstimatedCost: cny(0.00926),
        lastActiveAt: "2026-11-29T09:00:00.000Z",
        lastActiveLocal: "2026-11-29 09:00",
      },
    ]);
  });

  it("keeps to the period", () => {
    const result = answer(getTopSessions({ period: "yesterday", groupBy: "projects" }, utc, NOW));
    expect(
      result.projects?.map((row) => [row.project, row.sessions, row.periodTokens, row.sessionsTotalTokens]),
    ).toEqual([
      [PROJECTS.beta, 1, 32_000, 32_000],
      [PROJECTS.gamma, 2, 26_500, 30_500],
    ]);
  });
});

describe("get-top-sessions with a session longer than a day", () => {
  it("says when a period's tokens are approximate", async () => {
    const dir = await tempDir("mimo-long-");
    try {
      const root = path.join(dir, "mimo");
      await writeTranscript(root, "long.jsonl", longSession("long", "2026-11-20T00:05:00Z", 121, 1_000));
      const now = new Date("2026-11-22T12:00:00Z");
      const report = await loadUsageReport(chainOptions(dir, { timeZone: "Asia/Kathmandu", now }));
      const result = answer(getTopSessions({ from: "2026-11-21", to: "2026-11-21" }, report, now));
      // 48 messages fell on the 21st in Kathmandu; the merged point across midnight is dated the 20th.
      expect(result.periodTotalTokens).toBe(48_000);
      expect(result.sessions?.map((row) => row.periodTokens)).toEqual([47_000]);
      expect(result.notes).toEqual([
        "periodTokens of 1 long session active around the range's edge are approximate: their activity is kept in coarser steps.",
      ]);
    } finally {
      await fs.rm(dir, { recursive: true, force: true });
    }
  });
});

describe("get-top-sessions input errors", () => {
  it.each([
    [{ groupBy: "folder" }, /groupBy "folder" is not session or project/],
    [{ limit: 0 }, /limit must be at least 1/],
    [{ limit: 51 }, /limit must be at most 50/],
    [{ limit: 2.5 }, /limit must be a whole number from 1 to 50, not 2.5/],
    [{ limit: "5" }, /limit must be a whole number from 1 to 50, not "5"/],
    [{ period: "this-year" }, /period "this-year" is not one of/],
    [{ from: "2026-11-31" }, /from "2026-11-31" is not a real date/],
    [{ sort: "cost" }, /unknown field "sort" \(fields: period, from, to, groupBy, limit, client\)/],
  ])("rejects %j", (input, message) => {
    expect(() => getTopSessions(input, utc, NOW)).toThrow(message);
    expect(() => getTopSessions(input, utc, NOW)).toThrow(/^Invalid input for get-top-sessions: /);
  });
});
