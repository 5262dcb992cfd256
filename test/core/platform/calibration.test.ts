import {
  burnRate,
  calibrate,
  latestCalibration,
  localTokensSince,
  localTokensSinceAnswer,
} from "../../../src/core/platform/calibration";
import { startOfLocalDay } from "../../../src/core/views/calendar";
import { rootsFingerprint, type CreditSample } from "../../../src/core/platform/credit-history";
import type { Snapshot } from "../../../src/core/views/schema";
import { scanMessages, type CorpusFixture } from "../../helpers/report";

const at = (iso: string) => Date.parse(iso);

function sample(overrides: Partial<CreditSample> & Pick<CreditSample, "at" | "used">): CreditSample {
  return {
    limit: 1_000_000,
    periodEnd: "2026-12-10T00:00:00.000Z",
    localTokens: null,
    roots: null,
    creditsPerToken: null,
    ...overrides,
  };
}

const made: CorpusFixture[] = [];
afterAll(() => Promise.all(made.map((fixture) => fixture.cleanup())));

/** The snapshot the real chain makes at `now` of one message per entry (its instant and input tokens). */
async function scanned(messages: Record<string, number>, now: string, timeZone = "UTC"): Promise<Snapshot> {
  const { snapshot, fixture } = await scanMessages(messages, { now: new Date(now), timeZone });
  made.push(fixture);
  return snapshot;
}

describe("local tokens since an instant", () => {
  // Scanned at 2026-11-25 12:00 UTC: 1,000 on the 23rd, 2,000 on the 24th, 600 on the 25th, last at 11:00.
  const days = {
    "2026-11-23T10:00:00Z": 1000,
    "2026-11-24T10:00:00Z": 2000,
    "2026-11-25T11:00:00Z": 600,
  };
  let snapshot: Snapshot;
  beforeAll(async () => {
    snapshot = await scanned(days, "2026-11-25T12:00:00Z");
  });

  it("counts later dates whole and the instant's date for the share after it", () => {
    // 2026-11-24 06:00 UTC: three quarters of that day remain, then all of the 25th.
    expect(localTokensSince(snapshot, at("2026-11-24T06:00:00Z"))).toBe(1500 + 600);
    expect(localTokensSince(snapshot, at("2026-11-23T00:00:00Z"))).toBe(3600);
  });

  it("shares today over its elapsed part only", () => {
    // Today runs from 00:00 to the scan at 12:00; 09:00 leaves a quarter of it.
    expect(localTokensSince(snapshot, at("2026-11-25T09:00:00Z"))).toBe(150);
  });

  it("is exactly zero after the last message or the scan", async () => {
    const quiet = await scanned(
      { "2026-11-23T10:00:00Z": 1000, "2026-11-24T10:00:00Z": 2000, "2026-11-25T08:00:00Z": 600 },
      "2026-11-25T12:00:00Z",
    );
    expect(localTokensSince(quiet, at("2026-11-25T09:00:00Z"))).toBe(0);
    expect(localTokensSince(snapshot, at("2026-11-25T12:00:00Z"))).toBe(0);
  });

  it("cuts days at local midnight in the snapshot's zone", async () => {
    // In Shanghai (UTC+8): 2,400 at 10:00 on the 24th, 100 at 09:00 on the 25th.
    const shanghai = await scanned(
      { "2026-11-24T02:00:00Z": 2400, "2026-11-25T01:00:00Z": 100 },
      "2026-11-25T12:00:00Z",
      "Asia/Shanghai",
    );
    // 2026-11-24 04:00 UTC is 12:00 in Shanghai: half of that local day remains.
    expect(localTokensSince(shanghai, at("2026-11-24T04:00:00Z"))).toBe(1200 + 100);
    expect(new Date(startOfLocalDay("2026-11-24", "Asia/Shanghai")).toISOString()).toBe("2026-11-23T16:00:00.000Z");
    // A DST day in New York has 23 hours and starts at 05:00 UTC the day before the change.
    expect(new Date(startOfLocalDay("2026-03-08", "America/New_York")).toISOString()).toBe("2026-03-08T05:00:00.000Z");
  });
});

describe("calibration: credits per local token", () => {
  let snapshot: Snapshot;
  beforeAll(async () => {
    // The period ending 2026-12-10 began on 2026-11-10; the 9th is before it.
    snapshot = await scanned(
      { "2026-11-09T10:00:00Z": 50_000, "2026-11-12T10:00:00Z": 100_000, "2026-11-20T10:00:00Z": 300_000 },
      "2026-11-25T12:00:00Z",
    );
  });

  it("divides the credits of the period by the local tokens since it began", () => {
    expect(calibrate(1_200_000, "2026-12-10T00:00:00.000Z", snapshot)).toBe(3);
  });

  it("knows no ratio without credits, local use or a period", async () => {
    expect(calibrate(0, "2026-12-10T00:00:00.000Z", snapshot)).toBeNull();
    const unused = await scanned({}, "2026-10-20T00:00:00Z");
    expect(calibrate(5, "2026-10-01T00:00:00.000Z", unused)).toBeNull();
    expect(calibrate(5, null, snapshot)).toBeNull();
    expect(calibrate(5, "2026-12-10T00:00:00.000Z", null)).toBeNull();
  });

  it("carries the newest known ratio over", () => {
    const samples = [
      sample({ at: "2026-11-01T00:00:00.000Z", used: 1, creditsPerToken: 2 }),
      sample({ at: "2026-11-02T00:00:00.000Z", used: 1, creditsPerToken: 4 }),
      sample({ at: "2026-11-03T00:00:00.000Z", used: 1, creditsPerToken: null }),
    ];
    expect(latestCalibration(samples)).toBe(4);
    expect(latestCalibration([])).toBeNull();
  });
});

describe("local use since an answer", () => {
  // 90,000 lifetime tokens: 80,000 on the 1st, 10,000 on the 25th at 11:30; scanned at 12:00.
  let snapshot: Snapshot;
  beforeAll(async () => {
    snapshot = await scanned(
      { "2026-11-01T10:00:00Z": 80_000, "2026-11-25T11:30:00Z": 10_000 },
      "2026-11-25T12:00:00Z",
    );
  });

  it("is the difference of two counts over the same folders", () => {
    const answer = sample({
      at: "2026-11-25T11:00:00.000Z",
      used: 5,
      localTokens: 87_500,
      roots: rootsFingerprint(snapshot.roots),
    });
    expect(localTokensSinceAnswer(answer, snapshot)).toBe(2_500);
  });

  it("falls back to the per-date figure when the folders changed or the count went down", () => {
    const moved = sample({ at: "2026-11-25T06:00:00.000Z", used: 5, localTokens: 80_000, roots: "other" });
    expect(localTokensSinceAnswer(moved, snapshot)).toBe(5_000);
    const shrunk = sample({
      at: "2026-11-25T06:00:00.000Z",
      used: 5,
      localTokens: 95_000,
      roots: rootsFingerprint(snapshot.roots),
    });
    expect(localTokensSinceAnswer(shrunk, snapshot)).toBe(5_000);
    expect(localTokensSinceAnswer(shrunk, null)).toBe(0);
  });
});

describe("burn rate from the samples", () => {
  const now = new Date("2026-11-25T12:00:00.000Z");

  it("needs samples spanning at least a day", () => {
    expect(burnRate([], now)).toBeNull();
    expect(
      burnRate(
        [sample({ at: "2026-11-25T00:00:00.000Z", used: 100 }), sample({ at: "2026-11-25T11:00:00.000Z", used: 900 })],
        now,
      ),
    ).toBeNull();
  });

  it("averages the credits spent per day over the last 7 days", () => {
    const samples = [
      sample({ at: "2026-11-10T00:00:00.000Z", used: 0 }), // older than 7 days: left out
      sample({ at: "2026-11-21T12:00:00.000Z", used: 1_000 }),
      sample({ at: "2026-11-23T12:00:00.000Z", used: 5_000 }),
      sample({ at: "2026-11-25T12:00:00.000Z", used: 9_000 }),
    ];
    expect(burnRate(samples, now)).toBe(2_000);
  });

  it("counts a new period's figure as spent since the reset", () => {
    const samples = [
      sample({ at: "2026-11-20T00:00:00.000Z", used: 9_000, periodEnd: "2026-11-22T00:00:00.000Z" }),
      sample({ at: "2026-11-22T00:00:00.000Z", used: 11_000, periodEnd: "2026-11-22T00:00:00.000Z" }),
      sample({ at: "2026-11-24T00:00:00.000Z", used: 2_000, periodEnd: "2026-12-22T00:00:00.000Z" }),
    ];
    // 2,000 before the reset and 2,000 after it, in 4 days.
    expect(burnRate(samples, now)).toBe(1_000);
  });

  it("never counts a figure that went down within a period as negative", () => {
    const samples = [
      sample({ at: "2026-11-23T00:00:00.000Z", used: 5_000 }),
      sample({ at: "2026-11-24T00:00:00.000Z", used: 4_000 }),
      sample({ at: "2026-11-25T00:00:00.000Z", used: 6_000 }),
    ];
    expect(burnRate(samples, now)).toBe(1_000);
  });
});
