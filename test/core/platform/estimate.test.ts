import { estimatePlan } from "../../../src/core/platform/estimate";
import { rootsFingerprint, type CreditSample } from "../../../src/core/platform/credit-history";
import type { PlanCredits } from "../../../src/core/chain/report-schema";
import { snapshotWith } from "../../helpers/report";

const ANSWERED = "2026-11-25T10:00:00.000Z";
const PERIOD_END = "2026-12-10T00:00:00.000Z";
const ROOTS = ["/mimo"];

/** The last answer: 620 of 1,000 credits, with 40,000 lifetime tokens counted at that moment. */
function credits(overrides: Partial<CreditSample> = {}, creditsPerToken: number | null = 0.01): PlanCredits {
  const snapshotRoots = snapshotWith({ updatedAt: ANSWERED, days: {}, roots: ROOTS }).roots;
  return {
    lastAnswer: {
      at: ANSWERED,
      used: 620,
      limit: 1_000,
      periodEnd: PERIOD_END,
      localTokens: 40_000,
      roots: rootsFingerprint(snapshotRoots),
      creditsPerToken,
      ...overrides,
    },
    creditsPerToken,
    creditsPerDay: null,
  };
}

function scanAt(updatedAt: string, lifetime: number, days: Record<string, number>, lastActivity?: string) {
  return snapshotWith({ updatedAt, lifetime, days, roots: ROOTS, lastActivity });
}

describe("the estimate when the platform cannot answer", () => {
  const now = new Date("2026-11-25T12:00:00.000Z");

  it("is exactly the last answer without local use since", () => {
    const usage = estimatePlan(credits(), scanAt(now.toISOString(), 40_000, { "2026-11-25": 1_000 }, ANSWERED), now);
    expect(usage).toEqual({
      used: 620,
      limit: 1_000,
      fraction: 0.62,
      estimated: true,
      periodEnd: PERIOD_END,
      basis: { kind: "lastAnswer", answeredAt: ANSWERED, localTokens: 0, creditsPerToken: 0.01 },
    });
  });

  it("adds local use since the answer at the measured credits per token", () => {
    const usage = estimatePlan(credits(), scanAt(now.toISOString(), 52_000, { "2026-11-25": 13_000 }), now);
    expect(usage.used).toBe(620 + 120);
    expect(usage.fraction).toBeCloseTo(0.74);
    expect(usage.basis).toEqual({ kind: "localUse", answeredAt: ANSWERED, localTokens: 12_000, creditsPerToken: 0.01 });
  });

  it("grows with more use and holds still without it", () => {
    const first = estimatePlan(credits(), scanAt("2026-11-25T11:00:00.000Z", 45_000, {}), now);
    const more = estimatePlan(credits(), scanAt("2026-11-25T11:30:00.000Z", 50_000, {}), now);
    const same = estimatePlan(credits(), scanAt("2026-11-25T12:00:00.000Z", 50_000, {}), now);
    expect([first.used, more.used, same.used]).toEqual([670, 720, 720]);
  });

  it("keeps the last answer, saying so, when no ratio has been measured", () => {
    const usage = estimatePlan(credits({}, null), scanAt(now.toISOString(), 52_000, {}), now);
    expect(usage.used).toBe(620);
    expect(usage.basis.kind).toBe("uncalibrated");
    expect(usage.basis.localTokens).toBe(12_000);
  });

  it("holds the last answer without any local figures", () => {
    expect(estimatePlan(credits(), null, now)).toMatchObject({ used: 620, basis: { kind: "lastAnswer" } });
  });

  it("restarts from the reset once the period has ended", () => {
    const later = new Date("2026-12-11T12:00:00.000Z");
    // Since the reset at 2026-12-10 00:00 UTC: all of the 10th and the elapsed half of the 11th.
    const scan = scanAt(later.toISOString(), 100_000, {
      "2026-12-09": 9_000,
      "2026-12-10": 4_000,
      "2026-12-11": 2_000,
    });
    const usage = estimatePlan(credits(), scan, later);
    expect(usage).toMatchObject({
      used: 60,
      limit: 1_000,
      periodEnd: "2027-01-09T00:00:00.000Z",
      basis: { kind: "reset", localTokens: 6_000 },
    });
  });

  it("steps over several whole periods", () => {
    const muchLater = new Date("2027-01-20T00:00:00.000Z");
    const usage = estimatePlan(credits(), scanAt(muchLater.toISOString(), 40_000, {}, ANSWERED), muchLater);
    expect(usage).toMatchObject({ used: 0, periodEnd: "2027-02-08T00:00:00.000Z", basis: { kind: "reset" } });
  });
});
