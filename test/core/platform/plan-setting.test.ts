import { PLAN_TIERS, planSettingFrom, settingPeriod } from "../../../src/core/platform/plan-setting";
import { planName, planUsage } from "../../../src/core/query/plan";
import { getPlanStatus } from "../../../src/tools/get-plan-status";
import { corpusFixture, rescan, type CorpusFixture, type CorpusSession } from "../../helpers/report";
import { PLATFORM } from "../../tools/corpus";
import type { PlatformResult } from "../../../src/core/chain/report-schema";

describe("the plan named in preferences", () => {
  it("reads a tier, a custom size and a renewal day, and refuses what it cannot read", () => {
    expect(planSettingFrom("none", "", "1")).toEqual({ ok: true, setting: null });
    expect(planSettingFrom("lite", "", "")).toEqual({
      ok: true,
      setting: { title: "Lite", credits: 4_100_000_000, renewsOn: 1 },
    });
    expect(planSettingFrom("custom", "49.2B", "15")).toEqual({
      ok: true,
      setting: { title: "Custom", credits: 49_200_000_000, renewsOn: 15 },
    });
    expect(planSettingFrom("custom", "lots", "15")).toMatchObject({
      ok: false,
      problem: expect.stringContaining("lots"),
    });
    expect(planSettingFrom("max", "", "32")).toMatchObject({ ok: false, problem: expect.stringContaining("1 to 31") });
    expect(Object.values(PLAN_TIERS).map((tier) => tier.credits)).toEqual([4.1e9, 11e9, 38e9, 82e9]);
  });

  it("runs from the last renewal at local midnight to the next, a short month renewing on its last day", () => {
    const setting = { title: "Max", credits: 82e9, renewsOn: 31 };
    // 2026-03-05 in Shanghai: the last renewal was 2026-02-28 (February has no 31st), the next 2026-03-31.
    const period = settingPeriod(setting, new Date("2026-03-05T12:00:00Z"), "Asia/Shanghai");
    expect(new Date(period.start).toISOString()).toBe("2026-02-27T16:00:00.000Z");
    expect(new Date(period.end).toISOString()).toBe("2026-03-30T16:00:00.000Z");
    // On the renewal day itself the new period has begun.
    const onDay = settingPeriod({ ...setting, renewsOn: 6 }, new Date("2026-12-06T01:00:00Z"), "UTC");
    expect(new Date(onDay.start).toISOString()).toBe("2026-12-06T00:00:00.000Z");
    expect(new Date(onDay.end).toISOString()).toBe("2027-01-06T00:00:00.000Z");
  });
});

describe("a plan from preferences in the report", () => {
  const NOW = new Date("2026-12-06T12:00:00Z");
  const lite = { title: "Lite", credits: 4_100_000_000, renewsOn: 1 };
  // One request in November (before the renewal on the 1st) and one on 2026-12-03: 1M misses on v2.5 = 100M Credits.
  const sessions: CorpusSession[] = [
    {
      id: "s",
      cwd: "/w",
      lines: [
        { ts: "2026-11-30T10:00:00Z", model: "mimo-v2.5", input: 5_000_000 },
        { ts: "2026-12-03T10:00:00Z", model: "mimo-v2.5", input: 1_000_000 },
      ],
    },
  ];
  const made: CorpusFixture[] = [];
  afterAll(() => Promise.all(made.map((fixture) => fixture.cleanup())));

  async function report(platform: PlatformResult | null) {
    const fixture = await corpusFixture(sessions, { now: NOW, planSetting: lite });
    made.push(fixture);
    return rescan(fixture, { platform });
  }

  it("shows this Mac's Credits since the renewal against the plan, marked as such, without a cookie", async () => {
    const withSetting = await report(null);
    expect(planUsage(withSetting, NOW)).toMatchObject({
      used: 100_000_000,
      limit: 4_100_000_000,
      estimated: true,
      periodEnd: "2027-01-01T00:00:00.000Z",
      basis: { kind: "preferences", answeredAt: null, local: { credits: 100_000_000 } },
    });
    expect(planName(withSetting)).toBe("Lite (preferences)");
    expect(getPlanStatus(withSetting, NOW)).toMatchObject({
      available: true,
      source: "preferences",
      quota: { usedCredits: 100_000_000, limitCredits: 4_100_000_000, estimated: true },
      thisMacCredits: 100_000_000,
      elsewhereCredits: null,
      notes: [expect.stringContaining("other devices and clients on the same key are not seen")],
    });
  });

  it("gives way to any platform answer", async () => {
    const answered = await report({ ok: true, value: PLATFORM });
    expect(planUsage(answered, NOW)).toMatchObject({ used: 6_200_000_000, basis: { kind: "platform" } });
    expect(getPlanStatus(answered, NOW).source).toBe("platform");
  });
});
