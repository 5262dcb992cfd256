import type { UsageReport } from "../../src/core/chain/report-schema";
import { getUsage, type UsageAnswer } from "../../src/tools/get-usage";
import type { Unavailable } from "../../src/tools/answer";
import { NOW, SESSIONS } from "./corpus";
import { corpusFixture, rescan, type CorpusFixture } from "../helpers/report";

let corpus: CorpusFixture;
let utc: UsageReport;
beforeAll(async () => {
  corpus = await corpusFixture(SESSIONS, { now: NOW });
  utc = await rescan(corpus);
});
afterAll(() => corpus.cleanup());

function answer(result: UsageAnswer | Unavailable): UsageAnswer {
  if (!result.available) throw new Error(`expected figures, got: ${result.reason}`);
  return result;
}

const cny = (amount: number, partial = false) => ({ amount, currency: "CNY", partial });
const PARTIAL_NOTE =
  "16000 tokens are of a model or date with no known MiMo rate: they are in the token figures, not in credits or estimatedCost, which are lower bounds.";

describe("get-usage over named periods (UTC, weeks from Monday, now Sunday 2026-11-29 12:00)", () => {
  it("today", () => {
    expect(getUsage({ period: "today" }, utc, NOW)).toEqual({
      available: true,
      period: "today",
      from: "2026-11-29",
      to: "2026-11-29",
      days: 1,
      activeDays: 1,
      inputTokens: 8_000,
      outputTokens: 0,
      cacheReadTokens: 0,
      cacheWriteTokens: 300,
      totalTokens: 8_300,
      messages: 1,
      // 8,300 cache-miss tokens (input and cache write) of mimo-v2.5 at 100 Credits each.
      credits: 830_000,
      uncreditedTokens: 0,
      estimatedCost: cny(0.0083),
      sessions: 1,
      busiestDay: { date: "2026-11-29", weekday: "Sunday", totalTokens: 8_300, credits: 830_000 },
      daily: [
        {
          date: "2026-11-29",
          weekday: "Sunday",
          inputTokens: 8_000,
          outputTokens: 0,
          cacheReadTokens: 0,
          cacheWriteTokens: 300,
          totalTokens: 8_300,
          messages: 1,
          credits: 830_000,
          uncreditedTokens: 0,
          estimatedCost: cny(0.0083),
        },
      ],
      timeZone: "UTC",
      weekStart: "monday",
      source: "local",
      updatedAt: NOW.toISOString(),
      notes: [],
    });
  });

  it("is today when nothing is asked", () => {
    expect(getUsage({}, utc, NOW)).toEqual(getUsage({ period: "today" }, utc, NOW));
    expect(getUsage(undefined, utc, NOW)).toEqual(getUsage({ period: "today" }, utc, NOW));
  });

  it("yesterday, with a cost that leaves out the unpriced model", () => {
    const result = answer(getUsage({ period: "yesterday" }, utc, NOW));
    expect(result).toMatchObject({
      from: "2026-11-28",
      to: "2026-11-28",
      inputTokens: 48_000,
      outputTokens: 500,
      cacheReadTokens: 10_000,
      cacheWriteTokens: 0,
      totalTokens: 58_500,
      messages: 3,
      sessions: 3,
      credits: 9_925_000,
      uncreditedTokens: 16_000,
      estimatedCost: cny(0.09925, true),
      notes: [PARTIAL_NOTE],
    });
  });

  it("this week and last week, weeks starting Monday", () => {
    const week = answer(getUsage({ period: "this-week" }, utc, NOW));
    expect(week).toMatchObject({
      from: "2026-11-23",
      to: "2026-11-29",
      days: 7,
      activeDays: 4,
      inputTokens: 62_000,
      outputTokens: 600,
      cacheReadTokens: 10_000,
      cacheWriteTokens: 300,
      totalTokens: 72_900,
      messages: 6,
      sessions: 5,
      estimatedCost: cny(0.12615, true),
      busiestDay: { date: "2026-11-28", weekday: "Saturday", totalTokens: 58_500 },
    });
    // Every date is listed, the quiet ones as zeros.
    expect(
      week.daily?.map((day) => [day.date, day.weekday, day.totalTokens, day.estimatedCost?.amount ?? null]),
    ).toEqual([
      ["2026-11-23", "Monday", 2_100, 0.0066],
      ["2026-11-24", "Tuesday", 0, null],
      ["2026-11-25", "Wednesday", 0, null],
      ["2026-11-26", "Thursday", 0, null],
      ["2026-11-27", "Friday", 4_000, 0.012],
      ["2026-11-28", "Saturday", 58_500, 0.09925],
      ["2026-11-29", "Sunday", 8_300, 0.0083],
    ]);
    // The engine's own week window agrees.
    expect(week.totalTokens).toBe(utc.local?.snapshot.week.total);

    expect(getUsage({ period: "last-week" }, utc, NOW)).toMatchObject({
      from: "2026-11-16",
      to: "2026-11-22",
      totalTokens: 1_000,
      messages: 1,
      sessions: 1,
      activeDays: 1,
      estimatedCost: cny(0.003),
    });
  });

  it("this week and last week, weeks starting Sunday", async () => {
    const sunday = await rescan(corpus, { weekStart: "sunday" });
    expect(getUsage({ period: "this-week" }, sunday, NOW)).toMatchObject({
      from: "2026-11-29",
      to: "2026-11-29",
      totalTokens: 8_300,
      sessions: 1,
      weekStart: "sunday",
    });
    expect(getUsage({ period: "last-week" }, sunday, NOW)).toMatchObject({
      from: "2026-11-22",
      to: "2026-11-28",
      inputTokens: 55_000,
      outputTokens: 600,
      cacheReadTokens: 10_000,
      totalTokens: 65_600,
      messages: 6,
      sessions: 5,
      estimatedCost: cny(0.12085, true),
    });
  });

  it("a week boundary seen from a Monday", async () => {
    const monday = new Date("2026-11-23T12:00:00Z");
    const report = await rescan(corpus, { now: monday });
    expect(getUsage({ period: "this-week" }, report, monday)).toMatchObject({
      from: "2026-11-23",
      to: "2026-11-23",
      totalTokens: 2_100,
      sessions: 1,
    });
    expect(getUsage({ period: "last-week" }, report, monday)).toMatchObject({
      from: "2026-11-16",
      to: "2026-11-22",
      totalTokens: 1_000,
    });
    const sundayWeeks = await rescan(corpus, { now: monday, weekStart: "sunday" });
    expect(getUsage({ period: "this-week" }, sundayWeeks, monday)).toMatchObject({
      from: "2026-11-22",
      to: "2026-11-23",
      totalTokens: 3_100,
      sessions: 2,
    });
  });

  it("this month, last month and lifetime", () => {
    const month = answer(getUsage({ period: "this-month" }, utc, NOW));
    expect(month).toMatchObject({
      from: "2026-11-01",
      to: "2026-11-29",
      days: 29,
      activeDays: 6,
      totalTokens: 74_110,
      messages: 8,
      sessions: 7,
    });
    expect(month.daily).toHaveLength(29);

    const october = answer(getUsage({ period: "last-month" }, utc, NOW));
    expect(october).toMatchObject({
      from: "2026-10-01",
      to: "2026-10-31",
      days: 31,
      totalTokens: 100,
      sessions: 1,
      estimatedCost: cny(0.0003),
    });
    expect(october.daily).toHaveLength(31);

    const lifetime = answer(getUsage({ period: "lifetime" }, utc, NOW));
    expect(lifetime).toMatchObject({
      from: "2026-10-31",
      to: "2026-11-29",
      days: 30,
      activeDays: 7,
      inputTokens: 63_300,
      outputTokens: 610,
      cacheReadTokens: 10_000,
      cacheWriteTokens: 300,
      totalTokens: 74_210,
      messages: 9,
      sessions: 8,
      estimatedCost: cny(0.13011, true),
    });
    expect(lifetime.totalTokens).toBe(utc.local?.snapshot.lifetime.total);
  });
});

describe("get-usage when messages are dated after today", () => {
  it("keeps them in lifetime, as the engine does, and says so", async () => {
    const early = new Date("2026-11-25T12:00:00Z");
    const report = await rescan(corpus, { now: early });
    expect(getUsage({ period: "lifetime" }, report, early)).toMatchObject({
      from: "2026-10-31",
      to: "2026-11-29",
      totalTokens: 74_210,
      sessions: 8,
      notes: ["Some usage is dated after today (2026-11-25); lifetime includes it.", PARTIAL_NOTE],
    });
    expect(getUsage({ period: "this-week" }, report, early)).toMatchObject({
      from: "2026-11-23",
      to: "2026-11-25",
      totalTokens: 2_100,
    });
  });
});

describe("get-usage over custom ranges", () => {
  it("counts sessions per range from their activity, a session across midnight in both days", () => {
    expect(getUsage({ from: "2026-11-27", to: "2026-11-27" }, utc, NOW)).toMatchObject({
      period: "custom",
      totalTokens: 4_000,
      sessions: 1,
    });
    expect(getUsage({ from: "2026-11-27", to: "2026-11-28" }, utc, NOW)).toMatchObject({
      from: "2026-11-27",
      to: "2026-11-28",
      days: 2,
      totalTokens: 62_500,
      messages: 4,
      sessions: 3,
    });
    expect(getUsage({ from: "2026-11-24", to: "2026-11-26" }, utc, NOW)).toMatchObject({
      totalTokens: 0,
      messages: 0,
      sessions: 0,
      activeDays: 0,
      estimatedCost: null,
      busiestDay: null,
      notes: [],
    });
  });

  it("runs from `from` through today when `to` is left out", () => {
    expect(getUsage({ from: "2026-11-28" }, utc, NOW)).toMatchObject({
      from: "2026-11-28",
      to: "2026-11-29",
      totalTokens: 66_800,
      sessions: 4,
    });
  });

  it("counts a range that ends after today through today, and says so", () => {
    expect(getUsage({ from: "2026-11-29", to: "2026-12-05" }, utc, NOW)).toMatchObject({
      from: "2026-11-29",
      to: "2026-11-29",
      totalTokens: 8_300,
      notes: ["to 2026-12-05 is after today; counted through today, 2026-11-29."],
    });
  });

  it("lists no days for long ranges but keeps the busiest one", () => {
    expect(getUsage({ from: "2026-01-01", to: "2026-11-29" }, utc, NOW)).toMatchObject({
      days: 333,
      daily: null,
      totalTokens: 74_210,
      sessions: 8,
      busiestDay: { date: "2026-11-28", weekday: "Saturday", totalTokens: 58_500 },
    });
  });

  it("forgives blank fields and loose period spelling", () => {
    expect(getUsage({ period: "This Week", from: "", to: " " }, utc, NOW)).toMatchObject({
      period: "this-week",
      totalTokens: 72_900,
    });
  });
});

describe("get-usage with the engine's time zone", () => {
  it("dates messages in Shanghai (UTC+8)", async () => {
    const shanghai = await rescan(corpus, { timeZone: "Asia/Shanghai" });
    expect(getUsage({ period: "today" }, shanghai, NOW)).toMatchObject({
      from: "2026-11-29",
      inputTokens: 40_000,
      cacheWriteTokens: 300,
      totalTokens: 40_300,
      messages: 2,
      sessions: 2,
      estimatedCost: cny(0.1043),
      timeZone: "Asia/Shanghai",
    });
    expect(getUsage({ period: "yesterday" }, shanghai, NOW)).toMatchObject({
      from: "2026-11-28",
      totalTokens: 30_500,
      messages: 3,
      sessions: 2,
      estimatedCost: cny(0.01525, true),
    });
    const sundayWeeks = await rescan(corpus, { timeZone: "Asia/Shanghai", weekStart: "sunday" });
    expect(getUsage({ period: "this-week" }, sundayWeeks, NOW)).toMatchObject({
      from: "2026-11-29",
      to: "2026-11-29",
      totalTokens: 40_300,
    });
  });

  it("dates messages in Los Angeles, across the end of daylight saving time", async () => {
    const la = await rescan(corpus, { timeZone: "America/Los_Angeles" });
    expect(getUsage({ period: "last-month" }, la, NOW)).toMatchObject({
      from: "2026-10-01",
      to: "2026-10-31",
      totalTokens: 310,
      sessions: 2,
      estimatedCost: cny(0.00096),
    });
    expect(getUsage({ period: "this-month" }, la, NOW)).toMatchObject({ totalTokens: 73_900, sessions: 6 });
    expect(getUsage({ period: "yesterday" }, la, NOW)).toMatchObject({ totalTokens: 48_000, sessions: 2 });
    expect(getUsage({ from: "2026-11-27", to: "2026-11-27" }, la, NOW)).toMatchObject({
      totalTokens: 14_500,
      messages: 2,
      sessions: 1,
    });
  });
});

describe("get-usage input errors", () => {
  it.each([
    [
      { period: "fortnight" },
      /period "fortnight" is not one of today, yesterday, this-week, last-week, this-month, last-month, lifetime/,
    ],
    [{ from: "2026-02-30" }, /from "2026-02-30" is not a real date in the form YYYY-MM-DD/],
    [{ from: "yesterday" }, /from "yesterday" is not a real date in the form YYYY-MM-DD/],
    [{ from: "2026-11-01", to: "11/20/2026" }, /to "11\/20\/2026" is not a real date/],
    [{ from: 20261101 }, /from must be a date string like 2026-11-25, not 20261101/],
    [{ from: "2026-11-20", to: "2026-11-01" }, /from 2026-11-20 is after to 2026-11-01; from must be on or before to/],
    [{ from: "2026-12-01" }, /from 2026-12-01 is after today \(2026-11-29 in UTC\)/],
    [{ to: "2026-11-20" }, /to "2026-11-20" needs a from date too/],
    [{ period: "today", from: "2026-11-01" }, /give either period or from\/to, not both/],
    [{ start: "2026-11-01" }, /unknown field "start" \(fields: period, from, to\)/],
  ])("rejects %j with a readable message", (input, message) => {
    expect(() => getUsage(input, utc, NOW)).toThrow(message);
    expect(() => getUsage(input, utc, NOW)).toThrow(/^Invalid input for get-usage: /);
  });

  it("lists every problem at once", () => {
    expect(() => getUsage({ period: "soon", from: "x" }, utc, NOW)).toThrow(
      'Invalid input for get-usage: period "soon" is not one of today, yesterday, this-week, last-week, this-month, last-month, lifetime; from "x" is not a real date in the form YYYY-MM-DD.',
    );
  });
});

describe("get-usage when the scan fails", () => {
  it("answers from the last good scan, and says so", async () => {
    const fresh = await corpusFixture(SESSIONS, { now: NOW });
    try {
      await rescan(fresh);
      const later = new Date("2026-11-29T18:00:00Z");
      const cached = await rescan(fresh, { modelFilter: "(", now: later });
      const result = answer(getUsage({ period: "today" }, cached, later));
      expect(result).toMatchObject({ source: "cache", updatedAt: NOW.toISOString(), totalTokens: 8_300 });
      expect(result.notes).toEqual([
        'The local scan failed (The model filter "(" is not a valid regular expression); these are the figures of ' +
          "the last good scan, at 2026-11-29 12:00, so later activity is missing.",
      ]);
    } finally {
      await fresh.cleanup();
    }
  });

  it("says why there are no figures when no scan ever worked", async () => {
    const fresh = await corpusFixture(SESSIONS, { now: NOW });
    try {
      const report = await rescan(fresh, { modelFilter: "(" });
      expect(getUsage({ period: "today" }, report, NOW)).toEqual({
        available: false,
        reason:
          'No local usage could be read: The model filter "(" is not a valid regular expression. The Model Filter ' +
          "preference cannot be used: it is not a valid regular expression, is longer than 200 characters, or " +
          "repeats a group that itself repeats (like (a+)+), which can make matching hang. No transcript was " +
          "counted. Fix it in the extension's preferences (the default is mimo).",
      });
      // Bad input is still reported as such.
      expect(() => getUsage({ period: "never" }, report, NOW)).toThrow(/period "never"/);
    } finally {
      await fresh.cleanup();
    }
  });
});
