import { promises as fs } from "node:fs";
import path from "node:path";
import { localDate, weekStartOf } from "../../../src/core/views/calendar";
import { refreshUsage } from "../../../src/core/chain/local";
import { datesIn, isLocalDate, resolvePeriod, type PeriodName } from "../../../src/core/views/calendar";
import { sessionInRange, sessionsInRange, sumDays } from "../../../src/core/views/range-totals";
import type { SessionRecord, Snapshot } from "../../../src/core/views/schema";
import { longSession } from "../../tools/corpus";
import { assistant, configFor, tempDir, writeTranscript } from "../../helpers/transcripts";

describe("isLocalDate", () => {
  it.each(["2026-11-29", "2024-02-29", "2026-12-31", "1970-01-01"])("accepts %s", (date) => {
    expect(isLocalDate(date)).toBe(true);
  });
  it.each([
    "2026-02-29",
    "2026-13-01",
    "2026-11-31",
    "2026-00-10",
    "2026-1-5",
    "26-11-29",
    "2026-11-29T00:00",
    "",
    "0099-01-01",
  ])("rejects %j", (date) => {
    expect(isLocalDate(date)).toBe(false);
  });
});

describe("resolvePeriod", () => {
  const cases: [PeriodName, string, "monday" | "sunday", [string, string]][] = [
    // Sunday 2026-11-29.
    ["today", "2026-11-29", "monday", ["2026-11-29", "2026-11-29"]],
    ["yesterday", "2026-11-29", "monday", ["2026-11-28", "2026-11-28"]],
    ["this-week", "2026-11-29", "monday", ["2026-11-23", "2026-11-29"]],
    ["last-week", "2026-11-29", "monday", ["2026-11-16", "2026-11-22"]],
    ["this-week", "2026-11-29", "sunday", ["2026-11-29", "2026-11-29"]],
    ["last-week", "2026-11-29", "sunday", ["2026-11-22", "2026-11-28"]],
    // Monday 2026-11-30.
    ["this-week", "2026-11-30", "monday", ["2026-11-30", "2026-11-30"]],
    ["last-week", "2026-11-30", "monday", ["2026-11-23", "2026-11-29"]],
    ["this-week", "2026-11-30", "sunday", ["2026-11-29", "2026-11-30"]],
    ["last-week", "2026-11-30", "sunday", ["2026-11-22", "2026-11-28"]],
    // Saturday 2026-11-28, the last day of a Sunday week.
    ["this-week", "2026-11-28", "sunday", ["2026-11-22", "2026-11-28"]],
    // Weeks and months across a year end.
    ["last-week", "2027-01-02", "monday", ["2026-12-21", "2026-12-27"]],
    ["this-month", "2026-11-29", "monday", ["2026-11-01", "2026-11-29"]],
    ["this-month", "2026-11-01", "monday", ["2026-11-01", "2026-11-01"]],
    ["last-month", "2026-11-29", "monday", ["2026-10-01", "2026-10-31"]],
    ["last-month", "2027-01-15", "monday", ["2026-12-01", "2026-12-31"]],
    ["last-month", "2026-03-31", "monday", ["2026-02-01", "2026-02-28"]],
    ["last-month", "2024-03-01", "monday", ["2024-02-01", "2024-02-29"]],
    ["yesterday", "2026-03-01", "monday", ["2026-02-28", "2026-02-28"]],
  ];
  it.each(cases)("%s seen from %s with %s weeks", (name, today, weekStart, [from, to]) => {
    expect(resolvePeriod(name, today, weekStart, null)).toEqual({ from, to });
  });

  it("spans the days with usage for lifetime, or today without any", () => {
    const span = { from: "2026-10-31", to: "2026-11-20" };
    expect(resolvePeriod("lifetime", "2026-11-29", "monday", span)).toEqual({ from: "2026-10-31", to: "2026-11-29" });
    expect(resolvePeriod("lifetime", "2026-11-29", "monday", null)).toEqual({ from: "2026-11-29", to: "2026-11-29" });
    // A skewed clock can date usage after today; lifetime still holds it all.
    expect(resolvePeriod("lifetime", "2026-11-29", "monday", { from: "2026-12-01", to: "2026-12-02" })).toEqual({
      from: "2026-11-29",
      to: "2026-12-02",
    });
  });
});

describe("datesIn", () => {
  it("lists every date, across month and DST changes", () => {
    expect(datesIn({ from: "2026-10-30", to: "2026-11-02" })).toEqual([
      "2026-10-30",
      "2026-10-31",
      "2026-11-01",
      "2026-11-02",
    ]);
    expect(datesIn({ from: "2026-11-02", to: "2026-11-02" })).toEqual(["2026-11-02"]);
  });
});

describe("sumDays", () => {
  it("sums only the range's days, Credits exactly", () => {
    // 2.5 Credits a cache hit: tenths that a float sum of many days would drift on.
    const day = (date: string, total: number, uncreditedTokens = 0) => ({
      date,
      input: total,
      output: 0,
      cacheRead: 0,
      cacheWrite: 0,
      total,
      messages: 1,
      credits: total * 0.1 + 2.5,
      uncreditedTokens,
    });
    const days = [day("2026-11-01", 1_000), day("2026-11-02", 2_000), day("2026-11-04", 4_000, 7)];
    expect(sumDays(days, { from: "2026-11-02", to: "2026-11-04" })).toEqual({
      input: 6_000,
      output: 0,
      cacheRead: 0,
      cacheWrite: 0,
      total: 6_000,
      messages: 2,
      activeDays: 2,
      credits: 605,
      uncreditedTokens: 7,
    });
    const many = Array.from({ length: 1000 }, (_, i) => ({ ...day("2026-11-05", 1), credits: 0.1 + (i % 2) * 2.5 }));
    expect(sumDays(many, { from: "2026-11-05", to: "2026-11-05" }).credits).toBe(1350);
  });
});

const SLOT = 15 * 60_000;

function session(
  series: { at: string; total: number }[],
  lastAt = series[series.length - 1].at,
  seriesStepMs = SLOT,
): SessionRecord {
  return {
    sessionId: "x",
    project: null,
    file: null,
    summary: null,
    firstAt: series[0].at,
    lastAt,
    models: ["mimo-v2.5-pro"],
    messages: series.length,
    input: 0,
    output: 0,
    cacheRead: 0,
    cacheWrite: 0,
    total: series.reduce((n, point) => n + point.total, 0),
    credits: 0,
    uncreditedTokens: 0,
    series: series.map((point) => ({ ...point, credits: 0 })),
    seriesStepMs,
  };
}

describe("sessionInRange", () => {
  it("dates each point of a short session exactly", () => {
    const s = session([
      { at: "2026-11-27T23:45:00.000Z", total: 10 },
      { at: "2026-11-28T00:00:00.000Z", total: 20 },
    ]);
    expect(sessionInRange(s, { from: "2026-11-27", to: "2026-11-27" }, "UTC", SLOT)).toEqual({
      presence: "in",
      tokens: 10,
      approximate: false,
    });
    expect(sessionInRange(s, { from: "2026-11-28", to: "2026-11-28" }, "UTC", SLOT)).toEqual({
      presence: "in",
      tokens: 20,
      approximate: false,
    });
    expect(sessionInRange(s, { from: "2026-11-29", to: "2026-11-30" }, "UTC", SLOT)).toEqual({
      presence: "out",
      tokens: 0,
      approximate: false,
    });
    // In Shanghai both points fall on the 28th.
    expect(sessionInRange(s, { from: "2026-11-28", to: "2026-11-28" }, "Asia/Shanghai", SLOT)).toMatchObject({
      tokens: 30,
    });
  });

  it("calls a long session only possibly active when a merged point straddles the range's edge", () => {
    // Two points 191 slots apart over a 193-slot span: the step is at most 3 slots, so the last point may
    // hold activity up to 00:00 of the 22nd, where lastAt also says the session went on.
    const s = session(
      [
        { at: "2026-11-20T00:00:00.000Z", total: 10 },
        { at: "2026-11-21T23:45:00.000Z", total: 20 },
      ],
      "2026-11-22T00:05:00.000Z",
      3 * SLOT,
    );
    expect(sessionInRange(s, { from: "2026-11-22", to: "2026-11-22" }, "UTC", SLOT)).toEqual({
      presence: "maybe",
      tokens: 0,
      approximate: true,
    });
    expect(sessionInRange(s, { from: "2026-11-21", to: "2026-11-21" }, "UTC", SLOT)).toEqual({
      presence: "maybe",
      tokens: 20,
      approximate: true,
    });
    // The first point always starts on a counted slot.
    expect(sessionInRange(s, { from: "2026-11-20", to: "2026-11-20" }, "UTC", SLOT)).toMatchObject({ presence: "in" });
    expect(sessionInRange(s, { from: "2026-11-23", to: "2026-11-30" }, "UTC", SLOT).presence).toBe("out");
  });

  it("treats an empty series as no activity", () => {
    const s = { ...session([{ at: "2026-11-20T00:00:00.000Z", total: 1 }]), series: [] };
    expect(sessionInRange(s, { from: "2026-11-01", to: "2026-11-30" }, "UTC", SLOT).presence).toBe("out");
  });
});

/** A deterministic stream of numbers in [0, 1). */
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1_103_515_245 + 12_345) % 2 ** 31;
    return state / 2 ** 31;
  };
}

/** An instant whose local date in `timeZone` is `date`. */
function instantOn(date: string, timeZone: string): Date {
  for (let hour = -14; hour <= 14; hour++) {
    const at = Date.parse(`${date}T12:00:00Z`) + hour * 3_600_000;
    if (localDate(at, timeZone) === date) return new Date(at);
  }
  throw new Error(`no instant on ${date} in ${timeZone}`);
}

async function snapshotAt(root: string, now: Date, timeZone: string): Promise<Snapshot> {
  const result = await refreshUsage(configFor([root], { timeZone, now: () => now }));
  if (!result.ok) throw new Error(result.error);
  return result.snapshot;
}

/** Counts from the series alone, bypassing the exact windows `sessionsInRange` takes when it can. */
function fromSeries(snapshot: Snapshot, range: { from: string; to: string }) {
  const activity = snapshot.sessions.map((s) => sessionInRange(s, range, snapshot.timeZone, snapshot.slotMs));
  return {
    in: activity.filter((a) => a.presence === "in").length,
    maybe: activity.filter((a) => a.presence === "maybe").length,
    tokens: activity.reduce((n, a) => n + a.tokens, 0),
    approximate: activity.some((a) => a.approximate),
  };
}

describe("session counts against the engine's own windows", () => {
  let dir: string;
  let root: string;
  beforeAll(async () => {
    dir = await tempDir("mimo-periods-");
    root = path.join(dir, "mimo");
    const next = random(42);
    const base = Date.parse("2026-11-20T00:00:00Z");
    for (let s = 0; s < 24; s++) {
      // Each session spans under a day, so its series keeps one point per 15-minute slot.
      const start = base + Math.floor(next() * 5 * 24 * 4) * 900_000;
      const lines = Array.from({ length: 1 + Math.floor(next() * 6) }, (_, i) =>
        assistant({
          id: `m-${s}-${i}`,
          req: `r-${s}-${i}`,
          session: `s${s}`,
          ts: new Date(start + Math.floor(next() * 20 * 60) * 60_000).toISOString(),
          input: 1 + Math.floor(next() * 1_000),
        }),
      );
      await writeTranscript(root, `s${s}.jsonl`, lines);
    }
  });
  afterAll(() => fs.rm(dir, { recursive: true, force: true }));

  it.each(["UTC", "Asia/Kathmandu", "America/Los_Angeles", "Pacific/Chatham"])(
    "counts every day and week-to-date exactly in %s",
    async (timeZone) => {
      const dates = datesIn({ from: "2026-11-19", to: "2026-11-26" });
      let activeDays = 0;
      for (const date of dates) {
        const snapshot = await snapshotAt(root, instantOn(date, timeZone), timeZone);
        const day = fromSeries(snapshot, { from: date, to: date });
        expect({ date, sessions: day.in, maybe: day.maybe, tokens: day.tokens, approximate: day.approximate }).toEqual({
          date,
          sessions: snapshot.today.sessions,
          maybe: 0,
          tokens: snapshot.today.total,
          approximate: false,
        });
        const week = fromSeries(snapshot, { from: snapshot.windows.weekFrom, to: date });
        expect({ date, sessions: week.in, maybe: week.maybe }).toEqual({
          date,
          sessions: snapshot.week.sessions,
          maybe: 0,
        });
        expect(snapshot.windows.weekFrom).toBe(weekStartOf(date, "monday"));
        if (snapshot.today.sessions > 0) activeDays++;
      }
      expect(activeDays).toBeGreaterThan(3);
    },
  );

  it("takes the engine's figure for the windows it already counted", async () => {
    const snapshot = await snapshotAt(root, instantOn("2026-11-24", "UTC"), "UTC");
    const { today, weekFrom, lifetimeFrom } = snapshot.windows;
    expect(sessionsInRange(snapshot, { from: today, to: today })).toEqual({
      count: snapshot.today.sessions,
      uncertain: 0,
    });
    expect(sessionsInRange(snapshot, { from: weekFrom, to: today })).toEqual({
      count: snapshot.week.sessions,
      uncertain: 0,
    });
    expect(sessionsInRange(snapshot, { from: lifetimeFrom ?? today, to: "2026-12-31" })).toEqual({
      count: snapshot.lifetime.sessions,
      uncertain: 0,
    });
    expect(sessionsInRange(snapshot, { from: "2026-10-01", to: "2026-10-31" })).toEqual({ count: 0, uncertain: 0 });
  });
});

describe("a session longer than a day", () => {
  let dir: string;
  let root: string;
  beforeAll(async () => {
    dir = await tempDir("mimo-long-");
    root = path.join(dir, "mimo");
    // 121 messages 15 minutes apart: 30 hours, more slots than a series keeps.
    await writeTranscript(root, "long.jsonl", longSession("long", "2026-11-20T00:05:00Z", 121, 1_000));
  });
  afterAll(() => fs.rm(dir, { recursive: true, force: true }));

  it("has its series merged in steps of two slots, and says so", async () => {
    const snapshot = await snapshotAt(root, new Date("2026-11-22T12:00:00Z"), "UTC");
    const [long] = snapshot.sessions;
    expect(long.series).toHaveLength(Math.ceil(121 / 2));
    expect(long.seriesStepMs).toBe(2 * snapshot.slotMs);
    const gaps = long.series.slice(1).map((point, i) => Date.parse(point.at) - Date.parse(long.series[i].at));
    expect(new Set(gaps)).toEqual(new Set([30 * 60_000]));
  });

  it("is exact where merged points do not straddle midnight (UTC)", async () => {
    const snapshot = await snapshotAt(root, new Date("2026-11-21T12:00:00Z"), "UTC");
    expect(fromSeries(snapshot, { from: "2026-11-20", to: "2026-11-20" })).toEqual({
      in: 1,
      maybe: 0,
      tokens: 96_000,
      approximate: false,
    });
    expect(fromSeries(snapshot, { from: "2026-11-21", to: "2026-11-21" })).toEqual({
      in: 1,
      maybe: 0,
      tokens: snapshot.today.total,
      approximate: false,
    });
  });

  it("is approximate where a merged point straddles local midnight, yet never misses the session", async () => {
    // Kathmandu is UTC+05:45: midnight falls inside a 30-minute point.
    for (const date of ["2026-11-20", "2026-11-21", "2026-11-22"]) {
      const snapshot = await snapshotAt(root, instantOn(date, "Asia/Kathmandu"), "Asia/Kathmandu");
      const day = fromSeries(snapshot, { from: date, to: date });
      expect({ date, sessions: day.in + day.maybe }).toEqual({ date, sessions: snapshot.today.sessions });
      expect(sessionsInRange(snapshot, { from: date, to: date }).count).toBe(snapshot.today.sessions);
      if (date === "2026-11-21") {
        expect(snapshot.today.total).toBe(48_000);
        expect(day).toEqual({ in: 1, maybe: 0, tokens: 47_000, approximate: true });
      }
    }
  });
});
