import { estimatePlan } from "../../../src/core/platform/estimate";
import { rootsFingerprint, type CreditSample } from "../../../src/core/platform/credit-history";
import type { PlanCredits } from "../../../src/core/chain/report-schema";
import type { Snapshot } from "../../../src/core/views/schema";
import { localSnapshot, messagesAt, rescan, scanMessages, writeCorpus, type CorpusFixture } from "../../helpers/report";

const ANSWERED = "2026-11-25T10:00:00.000Z";
const PERIOD_END = "2026-12-10T00:00:00.000Z";

/**
 * The last answer: 620 of 1,000 credits, with 40,000 lifetime tokens counted at that moment in the folders of
 * `scan` (so that its lifetime count can be compared with the answer's).
 */
function credits(
  scan: Snapshot | null,
  overrides: Partial<CreditSample> = {},
  creditsPerToken: number | null = 0.01,
): PlanCredits {
  return {
    lastAnswer: {
      at: ANSWERED,
      used: 620,
      limit: 1_000,
      periodEnd: PERIOD_END,
      localTokens: 40_000,
      roots: scan ? rootsFingerprint(scan.roots) : null,
      creditsPerToken,
      ...overrides,
    },
    creditsPerToken,
    creditsPerDay: null,
  };
}

const made: CorpusFixture[] = [];
afterAll(() => Promise.all(made.map((fixture) => fixture.cleanup())));

/** 39,000 tokens long before the answer. */
const EARLIER = { "2026-11-01T10:00:00Z": 39_000 };
/** 40,000 lifetime tokens, the last of them at the answer: what the answer counted. */
const AS_ANSWERED = { ...EARLIER, "2026-11-25T10:00:00Z": 1_000 };

/** The real chain's snapshot at `now` of one message per entry (its instant and input tokens). */
async function scanAt(now: Date, messages: Record<string, number>): Promise<Snapshot> {
  const { snapshot, fixture } = await scanMessages(messages, { now });
  made.push(fixture);
  return snapshot;
}

describe("the estimate when the platform cannot answer", () => {
  const now = new Date("2026-11-25T12:00:00.000Z");

  it("is exactly the last answer without local use since", async () => {
    const scan = await scanAt(now, AS_ANSWERED);
    const usage = estimatePlan(credits(scan), scan, now);
    expect(usage).toEqual({
      used: 620,
      limit: 1_000,
      fraction: 0.62,
      estimated: true,
      periodEnd: PERIOD_END,
      basis: { kind: "lastAnswer", answeredAt: ANSWERED, localTokens: 0, creditsPerToken: 0.01 },
    });
  });

  it("adds local use since the answer at the measured credits per token", async () => {
    // 12,000 tokens since the answer: 52,000 lifetime.
    const scan = await scanAt(now, { ...EARLIER, "2026-11-25T11:00:00Z": 13_000 });
    const usage = estimatePlan(credits(scan), scan, now);
    expect(usage.used).toBe(620 + 120);
    expect(usage.fraction).toBeCloseTo(0.74);
    expect(usage.basis).toEqual({ kind: "localUse", answeredAt: ANSWERED, localTokens: 12_000, creditsPerToken: 0.01 });
  });

  it("grows with more use and holds still without it", async () => {
    // 45,000 lifetime at 11:00; 5,000 more at 11:15, scanned at 11:30; nothing more by 12:00.
    const { snapshot: at11, fixture } = await scanMessages(
      { ...EARLIER, "2026-11-25T10:30:00Z": 6_000 },
      { now: new Date("2026-11-25T11:00:00Z") },
    );
    made.push(fixture);
    await writeCorpus(fixture.root, messagesAt({ "2026-11-25T11:15:00Z": 5_000 }, "more"));
    const at1130 = localSnapshot(await rescan(fixture, { now: new Date("2026-11-25T11:30:00Z") }));
    const at12 = localSnapshot(await rescan(fixture, { now }));
    const first = estimatePlan(credits(at11), at11, now);
    const more = estimatePlan(credits(at11), at1130, now);
    const same = estimatePlan(credits(at11), at12, now);
    expect([first.used, more.used, same.used]).toEqual([670, 720, 720]);
  });

  it("keeps the last answer, saying so, when no ratio has been measured", async () => {
    const scan = await scanAt(now, { ...EARLIER, "2026-11-25T11:00:00Z": 13_000 });
    const usage = estimatePlan(credits(scan, {}, null), scan, now);
    expect(usage.used).toBe(620);
    expect(usage.basis.kind).toBe("uncalibrated");
    expect(usage.basis.localTokens).toBe(12_000);
  });

  it("holds the last answer without any local figures", () => {
    expect(estimatePlan(credits(null), null, now)).toMatchObject({ used: 620, basis: { kind: "lastAnswer" } });
  });

  it("restarts from the reset once the period has ended", async () => {
    const later = new Date("2026-12-11T12:00:00.000Z");
    // Since the reset at 2026-12-10 00:00 UTC: the 10th and the 11th so far (4,000 + 2,000), not the 9th.
    const scan = await scanAt(later, {
      "2026-11-01T10:00:00Z": 85_000,
      "2026-12-09T10:00:00Z": 9_000,
      "2026-12-10T10:00:00Z": 4_000,
      "2026-12-11T10:00:00Z": 2_000,
    });
    const usage = estimatePlan(credits(scan), scan, later);
    expect(usage).toMatchObject({
      used: 60,
      limit: 1_000,
      periodEnd: "2027-01-09T00:00:00.000Z",
      basis: { kind: "reset", localTokens: 6_000 },
    });
  });

  it("steps over several whole periods", async () => {
    const muchLater = new Date("2027-01-20T00:00:00.000Z");
    const scan = await scanAt(muchLater, AS_ANSWERED);
    const usage = estimatePlan(credits(scan), scan, muchLater);
    expect(usage).toMatchObject({ used: 0, periodEnd: "2027-02-08T00:00:00.000Z", basis: { kind: "reset" } });
  });
});
