import { PlatformErrorKindSchema, type PlatformErrorKind } from "../../src/core/chain/report-schema";
import { FAILURES } from "../../src/core/chain/failures";
import { getPlanStatus } from "../../src/tools/get-plan-status";
import { NOW, PLATFORM, SESSIONS } from "./corpus";
import { corpusFixture, rescan, type CorpusFixture } from "../helpers/report";

let corpus: CorpusFixture;
beforeEach(async () => {
  corpus = await corpusFixture(SESSIONS, { now: NOW });
});
afterEach(() => corpus.cleanup());

const DAY = 86_400_000;
/**
 * The corpus's Credits since the period began on 2026-11-10, at MiMo's rates: 73,900 tokens of
 * mimo-v2.5-pro and mimo-v2.5 (see the corpus), of which this Mac's share of the plan's 6.2B.
 */
const THIS_MAC = 12_915_000;

describe("get-plan-status when the platform answers", () => {
  it("gives credits, reset time, pace and balance", async () => {
    const report = await rescan(corpus, { platform: { ok: true, value: PLATFORM } });
    expect(getPlanStatus(report, NOW)).toEqual({
      available: true,
      source: "platform",
      updatedAt: "2026-11-29T11:59:00.000Z",
      stale: false,
      problem: null,
      plan: {
        code: "token_plan_pro",
        name: null,
        expired: false,
        resetsAt: "2026-12-10T00:00:00.000Z",
        resetsAtLocal: "2026-12-10 00:00",
      },
      quota: {
        name: "month_total_token",
        usedCredits: 6_200_000_000,
        limitCredits: 10_000_000_000,
        remainingCredits: 3_800_000_000,
        usedPercent: 62,
        estimated: false,
      },
      estimate: null,
      thisMacCredits: THIS_MAC,
      elsewhereCredits: 6_200_000_000 - THIS_MAC,
      elsewhereFrom: "plan",
      splitAsOf: "2026-11-29T11:59:00.000Z",
      compensation: {
        name: "compensation_total_token",
        usedCredits: 0,
        limitCredits: 500_000,
        remainingCredits: 500_000,
        usedPercent: 0,
      },
      quotas: [
        {
          name: "month_total_token",
          usedCredits: 6_200_000_000,
          limitCredits: 10_000_000_000,
          remainingCredits: 3_800_000_000,
          usedPercent: 62,
        },
        {
          name: "compensation_total_token",
          usedCredits: 0,
          limitCredits: 500_000,
          remainingCredits: 500_000,
          usedPercent: 0,
        },
      ],
      // 19.5 of the 30 days before 2026-12-10 have passed: 65% expected, 62% used. With a single answer the
      // run-out rate is this Mac's Credits of the last 7 days, far too few to spend 3.8B before the reset.
      pace: {
        usedPercent: 62,
        expectedPercent: 65,
        aheadByPoints: -3,
        summary: "3% behind pace",
        runsOutAt: null,
        runsOutAtLocal: null,
        rateFrom: null,
      },
      balance: { amount: 12.34, currency: "CNY", cashAmount: 10, giftAmount: 2.34 },
      timeZone: "UTC",
      notes: [],
    });
  });

  it("shows the plan name and a plan used past its limit", async () => {
    const over = { name: "month_total_token", used: 10_500_000, limit: 10_000_000, fraction: 1.05 };
    const report = await rescan(corpus, {
      platform: {
        ok: true,
        value: {
          ...PLATFORM,
          plan: { ...PLATFORM.plan!, name: "Max" },
          quota: { primary: over, items: [over] },
        },
      },
    });
    const status = getPlanStatus(report, NOW);
    expect(status.plan?.name).toBe("Max");
    expect(status.quota).toMatchObject({ usedPercent: 105, remainingCredits: -500_000 });
    expect(status.compensation).toBeNull();
  });

  it("dates the run-out from the credit samples of the last days", async () => {
    // Four answers a day apart: 600K credits a day, 4.2M left at NOW, so 7 days to go.
    for (const [i, used] of [4_000_000, 4_600_000, 5_200_000, 5_800_000].entries()) {
      const at = new Date(NOW.getTime() - (3 - i) * DAY);
      const primary = { name: "month_total_token", used, limit: 10_000_000, fraction: used / 10_000_000 };
      await rescan(corpus, {
        now: at,
        platform: {
          ok: true,
          value: { ...PLATFORM, fetchedAt: at.toISOString(), quota: { primary, items: [primary] } },
        },
        timeZone: "Asia/Shanghai",
      });
    }
    const report = await rescan(corpus, {
      now: NOW,
      platform: { ok: false, error: { kind: "timeout", message: "slow" } },
      timeZone: "Asia/Shanghai",
    });
    const status = getPlanStatus(report, NOW);
    expect(status.source).toBe("estimate");
    expect(status.pace).toMatchObject({
      runsOutAt: "2026-12-06T12:00:00.000Z",
      runsOutAtLocal: "2026-12-06 20:00",
      rateFrom: "samples",
    });
  });

  it("reports the parts the platform could not give", async () => {
    const report = await rescan(corpus, {
      platform: {
        ok: true,
        value: {
          ...PLATFORM,
          plan: null,
          planError: {
            kind: "unexpectedPayload",
            message: "The MiMo platform sent plan details in an unexpected shape.",
          },
          quota: null,
          quotaError: { kind: "timeout", message: "The MiMo platform did not answer plan usage within 10 s." },
        },
      },
    });
    expect(getPlanStatus(report, NOW)).toMatchObject({
      available: true,
      plan: null,
      quota: null,
      quotas: [],
      pace: null,
      balance: { amount: 12.34 },
      notes: [
        "Plan details could not be read: The MiMo platform sent plan details in an unexpected shape.",
        "Plan usage could not be read: The MiMo platform did not answer plan usage within 10 s.",
      ],
    });
  });

  it("says when the account has no token plan", async () => {
    const report = await rescan(corpus, { platform: { ok: true, value: { ...PLATFORM, plan: null, quota: null } } });
    expect(getPlanStatus(report, NOW)).toMatchObject({
      available: true,
      plan: null,
      notes: ["The account has no token plan; only the balance applies."],
    });
  });
});

describe("get-plan-status with the platform's daily list", () => {
  it("takes what was used elsewhere from the list, day by day and model by model, when it covers the period", async () => {
    // The whole account on 2026-11-28: a million cache misses of mimo-v2.5-pro (300M Credits), this Mac's own
    // use of that model that day (9,925,000 Credits, as get-usage counts it) included.
    const row = {
      date: "2026-11-28",
      model: "mimo-v2.5-pro",
      hit: 0,
      miss: 1_000_000,
      output: 0,
      total: 1_000_000,
      requests: null,
    };
    const asOf = "2026-11-29T11:59:30.000Z";
    const report = await rescan(corpus, {
      platform: { ok: true, value: PLATFORM },
      accountList: {
        ok: true,
        answers: [
          { month: { year: 2026, month: 10 }, asOf, rows: [] },
          { month: { year: 2026, month: 11 }, asOf, rows: [row] },
        ],
      },
    });
    const status = getPlanStatus(report, NOW);
    expect(status).toMatchObject({ thisMacCredits: THIS_MAC, elsewhereFrom: "account", splitAsOf: asOf });
    expect(status.elsewhereCredits).toBe(300_000_000 - 9_925_000);
  });
});

describe("get-plan-status when the platform fails", () => {
  const expired = { kind: "expired" as const, message: "The MiMo platform said the session has expired." };

  it("returns the estimate with its basis, why and how old", async () => {
    await rescan(corpus, { platform: { ok: true, value: PLATFORM } });
    const report = await rescan(corpus, { platform: { ok: false, error: expired } });
    expect(getPlanStatus(report, NOW)).toMatchObject({
      available: true,
      source: "estimate",
      updatedAt: "2026-11-29T11:59:00.000Z",
      stale: false,
      problem: { kind: "expired", explanation: FAILURES.expired.explanation, detail: expired.message },
      quota: { usedCredits: 6_200_000_000, usedPercent: 62, estimated: true },
      estimate: {
        basis: "lastAnswer",
        lastAnswerAt: "2026-11-29T11:59:00.000Z",
        lastAnswerAtLocal: "2026-11-29 11:59",
        localTokensSince: 0,
        localCreditsSince: 0,
        uncreditedTokensSince: 0,
        unratedModels: [],
        explanation: expect.stringContaining("use on other devices, other clients on the same key and the console"),
      },
      thisMacCredits: THIS_MAC,
      elsewhereCredits: 6_200_000_000 - THIS_MAC,
      elsewhereFrom: "plan",
      splitAsOf: "2026-11-29T11:59:00.000Z",
      notes: [],
    });

    const muchLater = new Date("2026-11-30T12:00:00Z");
    const stale = await rescan(corpus, { platform: { ok: false, error: expired }, now: muchLater });
    expect(getPlanStatus(stale, muchLater)).toMatchObject({ source: "estimate", stale: true });
  });

  it("explains a missing cookie", async () => {
    const report = await rescan(corpus, { platform: null });
    expect(getPlanStatus(report, NOW)).toEqual({
      available: false,
      source: null,
      updatedAt: null,
      stale: false,
      problem: {
        kind: "noCookie",
        explanation: FAILURES.noCookie.explanation,
        detail: "No MiMo platform cookie is set.",
      },
      plan: null,
      quota: null,
      estimate: null,
      thisMacCredits: null,
      elsewhereCredits: null,
      elsewhereFrom: null,
      splitAsOf: null,
      compensation: null,
      quotas: [],
      pace: null,
      balance: null,
      timeZone: "UTC",
      notes: [],
    });
    expect(FAILURES.noCookie.explanation).toBe(
      "The MiMo platform is not connected: no cookie is set. To see plan credits and balance, paste the Cookie header " +
        "of a logged-in platform.xiaomimimo.com tab into the extension's MiMo Platform Cookie preference.",
    );
  });

  // Every failure kind the platform client can report, so a new kind cannot go unexplained.
  it.each<PlatformErrorKind>(PlatformErrorKindSchema.options.filter((kind) => kind !== "noCookie"))(
    "explains %s in plain words when nothing is cached",
    async (kind) => {
      const error = { kind, message: `detail of ${kind}` };
      const report = await rescan(corpus, { platform: { ok: false, error } });
      expect(getPlanStatus(report, NOW)).toMatchObject({
        available: false,
        source: null,
        problem: { kind, explanation: FAILURES[kind].explanation, detail: `detail of ${kind}` },
        quota: null,
        balance: null,
      });
    },
  );
});
