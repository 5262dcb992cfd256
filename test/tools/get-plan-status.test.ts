import { PlatformErrorKindSchema, type PlatformErrorKind } from "../../src/core/chain/report-schema";
import { getPlanStatus, PLATFORM_REASONS } from "../../src/tools/get-plan-status";
import { makeCorpus, NOW, PLATFORM, type Corpus } from "./corpus";

let corpus: Corpus;
beforeEach(async () => {
  corpus = await makeCorpus();
});
afterEach(() => corpus.cleanup());

describe("get-plan-status when the platform answers", () => {
  it("gives quota, reset time, pace and balance", async () => {
    const report = await corpus.load({ platform: { ok: true, value: PLATFORM } });
    expect(getPlanStatus(report, NOW)).toEqual({
      available: true,
      source: "platform",
      updatedAt: "2026-11-29T11:59:00.000Z",
      stale: false,
      problem: null,
      plan: {
        code: "token_plan_pro",
        expired: false,
        resetsAt: "2026-12-10T00:00:00.000Z",
        resetsAtLocal: "2026-12-10 00:00",
      },
      quota: {
        name: "month_total_token",
        usedTokens: 6_200_000,
        limitTokens: 10_000_000,
        remainingTokens: 3_800_000,
        usedPercent: 62,
      },
      quotas: [
        {
          name: "month_total_token",
          usedTokens: 6_200_000,
          limitTokens: 10_000_000,
          remainingTokens: 3_800_000,
          usedPercent: 62,
        },
        {
          name: "compensation_total_token",
          usedTokens: 0,
          limitTokens: 500_000,
          remainingTokens: 500_000,
          usedPercent: 0,
        },
      ],
      // 19.5 of the 30 days before 2026-12-10 have passed: 65% expected, 62% used.
      pace: {
        usedPercent: 62,
        expectedPercent: 65,
        aheadByPoints: -3,
        summary: "3% behind pace",
        runsOutAt: null,
        runsOutAtLocal: null,
      },
      balance: { amount: 12.34, currency: "CNY", cashAmount: 10, giftAmount: 2.34 },
      timeZone: "UTC",
      notes: [],
    });
  });

  it("says when the quota runs out before the reset at the last seven days' rate", async () => {
    const primary = { name: "month_total_token", used: 9_990_000, limit: 10_000_000, fraction: 0.999 };
    const report = await corpus.load({
      platform: { ok: true, value: { ...PLATFORM, quota: { primary, items: [primary] } } },
      timeZone: "Asia/Shanghai",
    });
    // 72,900 tokens in the seven local days up to today leave 10,000 tokens for 0.96 of a day.
    const runsOut = new Date(NOW.getTime() + (10_000 / (72_900 / 7)) * 86_400_000);
    const status = getPlanStatus(report, NOW);
    expect(status.pace).toEqual({
      usedPercent: 99.9,
      expectedPercent: 65,
      aheadByPoints: 34.9,
      summary: "35% ahead of pace",
      runsOutAt: runsOut.toISOString(),
      runsOutAtLocal: "2026-11-30 19:02",
    });
    expect(status.plan?.resetsAtLocal).toBe("2026-12-10 08:00");
    expect(status.timeZone).toBe("Asia/Shanghai");
  });

  it("reports the parts the platform could not give", async () => {
    const report = await corpus.load({
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
    const report = await corpus.load({ platform: { ok: true, value: { ...PLATFORM, plan: null, quota: null } } });
    expect(getPlanStatus(report, NOW)).toMatchObject({
      available: true,
      plan: null,
      notes: ["The account has no token plan; only the balance applies."],
    });
  });
});

describe("get-plan-status when the platform fails", () => {
  it("shows its last answer from the cache, with why and how old", async () => {
    await corpus.load({ platform: { ok: true, value: PLATFORM } });
    const expired = { kind: "expired" as const, message: "The MiMo session has expired; log in again." };
    const report = await corpus.load({ platform: { ok: false, error: expired } });
    expect(getPlanStatus(report, NOW)).toMatchObject({
      available: true,
      source: "cache",
      updatedAt: "2026-11-29T11:59:00.000Z",
      stale: false,
      problem: { kind: "expired", explanation: PLATFORM_REASONS.expired, detail: expired.message },
      quota: { usedTokens: 6_200_000, usedPercent: 62 },
      notes: ["These are the platform's figures as of 2026-11-29 11:59, not live ones."],
    });

    const muchLater = new Date("2026-11-30T12:00:00Z");
    const stale = await corpus.load({ platform: { ok: false, error: expired }, now: muchLater });
    expect(getPlanStatus(stale, muchLater)).toMatchObject({ source: "cache", stale: true });
  });

  it("explains a missing cookie", async () => {
    const report = await corpus.load({ platform: null });
    expect(getPlanStatus(report, NOW)).toEqual({
      available: false,
      source: null,
      updatedAt: null,
      stale: false,
      problem: { kind: "noCookie", explanation: PLATFORM_REASONS.noCookie, detail: "No platform cookie is set." },
      plan: null,
      quota: null,
      quotas: [],
      pace: null,
      balance: null,
      timeZone: "UTC",
      notes: [],
    });
    expect(PLATFORM_REASONS.noCookie).toBe(
      "The MiMo platform is not connected: no cookie is set. To see plan quota and balance, paste the Cookie header of " +
        "a logged-in platform.xiaomimimo.com tab into the extension's MiMo Platform Cookie preference.",
    );
  });

  // Every failure kind the platform client can report, so a new kind cannot go unexplained.
  it.each<PlatformErrorKind>(PlatformErrorKindSchema.options.filter((kind) => kind !== "noCookie"))(
    "explains %s in plain words when nothing is cached",
    async (kind) => {
      const error = { kind, message: `detail of ${kind}` };
      const report = await corpus.load({ platform: { ok: false, error } });
      expect(getPlanStatus(report, NOW)).toMatchObject({
        available: false,
        source: null,
        problem: { kind, explanation: PLATFORM_REASONS[kind], detail: `detail of ${kind}` },
        quota: null,
        balance: null,
      });
    },
  );
});
