import { LocalStorage } from "@raycast/api";
import { ALERT_MEMORY_KEY, checkAlerts, notificationScript, type Notify } from "../../src/raycast/alerts";
import type { AlertNotification } from "../../src/core/query/alerts";
import type { PlatformSnapshot } from "../../src/core/chain/report-schema";
import { resetRaycastDouble } from "./api-double";
import { makeReport, PLATFORM, REPORT_NOW, REPORT_TOKENS, type ReportFixture } from "../helpers/report";

/** The platform fixture with the plan at `fraction` of its 10M quota. */
function platformAt(fraction: number, periodEnd = "2026-12-10T00:00:00.000Z"): PlatformSnapshot {
  const primary = { name: "month_total_token", used: fraction * 10_000_000, limit: 10_000_000, fraction };
  return {
    ...PLATFORM,
    plan: { code: "token_plan_pro", periodEnd, expired: false },
    quota: { primary, items: [primary] },
  };
}

const made: ReportFixture[] = [];
async function reportAt(fraction: number, periodEnd?: string) {
  const fixture = await makeReport({ platform: { ok: true, value: platformAt(fraction, periodEnd) } });
  made.push(fixture);
  return fixture.report;
}

afterAll(() => Promise.all(made.map((fixture) => fixture.cleanup())));
beforeEach(() => resetRaycastDouble());

function recorder(): { notify: Notify; posted: AlertNotification[] } {
  const posted: AlertNotification[] = [];
  return { posted, notify: async (notification) => void posted.push(notification) };
}

const options = { thresholds: "80,95", weeklyBudget: null, now: REPORT_NOW };

describe("checkAlerts", () => {
  it("posts one notification at 85% of the plan naming 80%, and nothing the second time", async () => {
    const report = await reportAt(0.85);
    const first = recorder();
    expect(await checkAlerts(report, { ...options, notify: first.notify })).toEqual({
      posted: first.posted,
      problem: null,
    });
    expect(first.posted).toEqual([
      {
        title: "MiMo Usage",
        subtitle: "MiMo plan passed 80%",
        message: "85% used (8.5M of 10M Credits) · resets 2026-12-10 00:00",
      },
    ]);
    const second = recorder();
    await checkAlerts(report, { ...options, notify: second.notify });
    expect(second.posted).toEqual([]);
  });

  it("remembers in LocalStorage, which every command shares, and re-arms in a new plan period", async () => {
    await checkAlerts(await reportAt(0.85), { ...options, notify: recorder().notify });
    expect(JSON.parse((await LocalStorage.getItem<string>(ALERT_MEMORY_KEY)) ?? "")).toEqual({
      plan: { period: "2026-12-10T00:00:00.000Z", notified: [80] },
    });
    const renewed = recorder();
    await checkAlerts(await reportAt(0.82, "2027-01-09T00:00:00.000Z"), { ...options, notify: renewed.notify });
    expect(renewed.posted.map((n) => n.subtitle)).toEqual(["MiMo plan passed 80%"]);
  });

  it("alerts on the weekly budget without a plan", async () => {
    const fixture = await makeReport({ platform: null });
    made.push(fixture);
    const { notify, posted } = recorder();
    await checkAlerts(fixture.report, { ...options, weeklyBudget: Math.round(REPORT_TOKENS.week / 0.9), notify });
    expect(posted.map((n) => [n.subtitle, n.message])).toEqual([
      ["Weekly token budget passed 80%", expect.stringMatching(/^90% used .* · resets 2026-11-30$/)],
    ]);
  });

  it("never fails when the notification fails, and tries again next time", async () => {
    const report = await reportAt(0.85);
    const failing: Notify = async () => {
      throw new Error("osascript: not allowed");
    };
    await expect(checkAlerts(report, { ...options, notify: failing })).resolves.toEqual({ posted: [], problem: null });
    expect(await LocalStorage.getItem(ALERT_MEMORY_KEY)).toBeUndefined();
    const retry = recorder();
    await checkAlerts(report, { ...options, notify: retry.notify });
    expect(retry.posted).toHaveLength(1);
  });

  it("posts nothing when the thresholds are empty, and says what is wrong with bad ones", async () => {
    const report = await reportAt(0.99);
    const off = recorder();
    expect(await checkAlerts(report, { ...options, thresholds: "", notify: off.notify })).toEqual({
      posted: [],
      problem: null,
    });
    const bad = recorder();
    const result = await checkAlerts(report, { ...options, thresholds: "eighty", notify: bad.notify });
    expect(result.problem).toMatch(/“eighty” is not a percentage/);
    expect([...off.posted, ...bad.posted]).toEqual([]);
  });
});

describe("notificationScript", () => {
  it("quotes the text for AppleScript", () => {
    expect(notificationScript({ title: "MiMo Usage", subtitle: 'say "hi"', message: "a\\b\nc" })).toBe(
      'display notification "a\\\\b c" with title "MiMo Usage" subtitle "say \\"hi\\""',
    );
  });
});
