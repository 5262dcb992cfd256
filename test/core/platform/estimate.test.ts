import { estimatePlan } from "../../../src/core/platform/estimate";
import { describeEstimate } from "../../../src/core/query/summary";
import { planSplit, planUsage } from "../../../src/core/query/plan";
import type { PlatformSnapshot } from "../../../src/core/chain/report-schema";
import {
  corpusFixture,
  localSnapshot,
  rescan,
  writeCorpus,
  type CorpusFixture,
  type CorpusSession,
} from "../../helpers/report";

/**
 * The plan estimate after the cookie lapses, through the real chain: the platform answers, then fails
 * (401), while this Mac keeps working. The estimate must be the answer plus this Mac's Credits since,
 * at MiMo's per-model, per-bucket rates, whatever the model or cache mix after the answer.
 */

const ANSWERED = new Date("2026-12-01T10:00:00.000Z");
const LATER = new Date("2026-12-01T12:00:00.000Z");
const PERIOD_END = "2026-12-20T00:00:00.000Z";

function platform(used: number, at: Date): PlatformSnapshot {
  return {
    fetchedAt: at.toISOString(),
    balance: { amount: 0, currency: "CNY", cash: null, gift: null },
    plan: { code: "lite", name: "Lite", periodEnd: PERIOD_END, expired: false },
    planError: null,
    quota: {
      primary: { name: "month_total_token", used, limit: 49_200_000_000, fraction: used / 49_200_000_000 },
      items: [],
    },
    quotaError: null,
  };
}

const LAPSED = { ok: false as const, error: { kind: "loginRequired" as const, message: "Login required (401)." } };

/** Before the answer: a day of ordinary use, in the period. */
const BEFORE: CorpusSession = {
  id: "before",
  cwd: "/work/app",
  lines: [{ ts: "2026-12-01T09:00:00Z", model: "mimo-v2.5-pro", input: 1_000, cacheRead: 50_000, output: 2_000 }],
};

/** The two requests after the lapse: a cache-miss-heavy v2.5 turn and a cache-heavy v2.5-pro one. */
const AFTER: CorpusSession = {
  id: "after",
  cwd: "/work/app",
  lines: [
    {
      ts: "2026-12-01T11:00:00Z",
      model: "mimo-v2.5",
      input: 1_200_000,
      cacheWrite: 300_000,
      cacheRead: 400_000,
      output: 100_000,
    },
    { ts: "2026-12-01T11:30:00Z", model: "mimo-v2.5-pro", input: 100_000, cacheRead: 2_000_000, output: 50_000 },
  ],
};

/** 1.5M misses × 100 + 0.4M hits × 2 + 0.1M output × 200, then 0.1M × 300 + 2M × 2.5 + 50K × 600. */
const AFTER_CREDITS = 150_000_000 + 800_000 + 20_000_000 + (30_000_000 + 5_000_000 + 30_000_000);

const made: CorpusFixture[] = [];
afterAll(() => Promise.all(made.map((fixture) => fixture.cleanup())));

async function answeredThenLapsed(after: CorpusSession): Promise<{ fixture: CorpusFixture }> {
  const fixture = await corpusFixture([BEFORE], {});
  made.push(fixture);
  await rescan(fixture, { now: ANSWERED, platform: { ok: true, value: platform(9_000_000_000, ANSWERED) } });
  await writeCorpus(fixture.root, [after]);
  return { fixture };
}

describe("the estimate when the platform cannot answer", () => {
  it("adds exactly this Mac's Credits since the answer, at each model's rates (the issue's scenario)", async () => {
    expect(AFTER_CREDITS).toBe(235_800_000);
    const { fixture } = await answeredThenLapsed(AFTER);
    const report = await rescan(fixture, { now: LATER, platform: LAPSED });
    expect(report.plan?.source).toBe("estimate");
    const usage = planUsage(report, LATER);
    expect(usage).toMatchObject({ used: 9_000_000_000 + AFTER_CREDITS, estimated: true, periodEnd: PERIOD_END });
    expect(usage?.basis).toMatchObject({
      kind: "localUse",
      answeredAt: ANSWERED.toISOString(),
      local: { tokens: 4_150_000, credits: AFTER_CREDITS, uncreditedTokens: 0, approximate: false },
    });
    const words = usage && describeEstimate(usage, "UTC");
    expect(words).toContain("this Mac's 236M Credits");
    expect(words).toContain("other devices");
    expect(words).not.toMatch(/per token|calibrat/);
  });

  it("stays exact when the mix changes after the answer: a model switch and a cold cache", async () => {
    // All misses on v2.5-pro, then all hits on v2.5: 120× apart per token, so a ratio would be far off.
    const cold: CorpusSession = {
      id: "cold",
      cwd: "/work/app",
      lines: [
        { ts: "2026-12-01T10:30:00Z", model: "mimo-v2.5-pro", input: 10_000, output: 0 },
        { ts: "2026-12-01T11:30:00Z", model: "mimo-v2.5", cacheRead: 1_000_000 },
      ],
    };
    const { fixture } = await answeredThenLapsed(cold);
    const usage = planUsage(await rescan(fixture, { now: LATER, platform: LAPSED }), LATER);
    expect(usage?.used).toBe(9_000_000_000 + 10_000 * 300 + 1_000_000 * 2);
  });

  it("names tokens of a model without a rate instead of converting them", async () => {
    const unrated: CorpusSession = {
      id: "unrated",
      cwd: "/work/app",
      lines: [
        { ts: "2026-12-01T10:30:00Z", model: "mimo-v2.5", input: 1_000 },
        { ts: "2026-12-01T11:00:00Z", model: "mimo-x-preview", input: 1_200_000 },
      ],
    };
    const { fixture } = await answeredThenLapsed(unrated);
    const usage = planUsage(await rescan(fixture, { now: LATER, platform: LAPSED }), LATER);
    expect(usage?.used).toBe(9_000_000_000 + 100_000);
    expect(usage?.basis.local).toMatchObject({ uncreditedTokens: 1_200_000, unratedModels: ["mimo-x-preview"] });
    expect(usage && describeEstimate(usage, "UTC")).toContain("1.2M tokens of mimo-x-preview, rate unknown");
  });

  it("is exactly the last answer without use since, and holds it without any local figures", async () => {
    const { fixture } = await answeredThenLapsed({ id: "none", cwd: "/w", lines: [] });
    const report = await rescan(fixture, { now: LATER, platform: LAPSED });
    expect(planUsage(report, LATER)).toMatchObject({ used: 9_000_000_000, basis: { kind: "lastAnswer" } });
    const credits = report.plan?.credits;
    if (!credits) throw new Error("expected the credit history");
    expect(estimatePlan(credits, null, LATER)).toMatchObject({ used: 9_000_000_000, basis: { kind: "lastAnswer" } });
  });

  it("restarts from the reset once the period has ended, counting this Mac's Credits since", async () => {
    const { fixture } = await answeredThenLapsed({
      id: "next",
      cwd: "/w",
      // Before the reset (not counted) and after it: 10,000 misses on v2.5 = 1,000,000 Credits.
      lines: [
        { ts: "2026-12-19T23:00:00Z", model: "mimo-v2.5", input: 50_000 },
        { ts: "2026-12-20T02:00:00Z", model: "mimo-v2.5", input: 10_000 },
      ],
    });
    const after = new Date("2026-12-21T00:00:00Z");
    const usage = planUsage(await rescan(fixture, { now: after, platform: LAPSED }), after);
    expect(usage).toMatchObject({
      used: 1_000_000,
      periodEnd: "2027-01-19T00:00:00.000Z",
      basis: { kind: "reset", local: { credits: 1_000_000 } },
    });
  });
});

describe("the plan's Credits split between this Mac and elsewhere", () => {
  it("takes this Mac's Credits in the period from the platform's used, at the answer", async () => {
    const fixture = await corpusFixture([BEFORE], {});
    made.push(fixture);
    const report = await rescan(fixture, {
      now: ANSWERED,
      platform: { ok: true, value: platform(9_000_000_000, ANSWERED) },
    });
    // 1,000 misses × 300 + 50,000 hits × 2.5 + 2,000 output × 600 on v2.5-pro.
    const thisMac = 300_000 + 125_000 + 1_200_000;
    expect(localSnapshot(report).lifetime.credits).toBe(thisMac);
    expect(planSplit(report)).toEqual({
      asOf: ANSWERED.toISOString(),
      thisMacCredits: thisMac,
      elsewhereCredits: 9_000_000_000 - thisMac,
      thisMacShare: thisMac / 9_000_000_000,
      ratesOutOfDate: false,
    });
    // After the lapse, the split of the last answer stands, as of that answer.
    const lapsed = await rescan(fixture, { now: LATER, platform: LAPSED });
    expect(planSplit(lapsed)).toMatchObject({ asOf: ANSWERED.toISOString(), thisMacCredits: thisMac });
  });

  it("says the rate table is out of date when this Mac alone counted clearly more than the plan", async () => {
    const fixture = await corpusFixture([BEFORE], {});
    made.push(fixture);
    const report = await rescan(fixture, { now: ANSWERED, platform: { ok: true, value: platform(100_000, ANSWERED) } });
    expect(planSplit(report)).toMatchObject({ elsewhereCredits: 0, thisMacShare: 1, ratesOutOfDate: true });
  });
});
