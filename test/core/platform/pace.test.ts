import { describePace, planPace, recentDailyRate } from "../../../src/core/platform/pace";
import type { Snapshot } from "../../../src/core/views/schema";

const quota = (used: number, limit: number) => ({ name: "month_total_token", used, limit, fraction: used / limit });
const DAY = 86_400_000;

describe("plan pace", () => {
  const periodEnd = "2026-12-10T00:00:00.000Z"; // the period began 30 days earlier, 2026-11-10
  const now = new Date("2026-11-25T00:00:00.000Z"); // half-way

  it("compares use with the even pace of a 30-day period", () => {
    const pace = planPace(quota(620, 1000), periodEnd, now, 0);
    expect(pace.expectedFraction).toBeCloseTo(0.5);
    expect(pace.delta).toBeCloseTo(0.12);
    expect(describePace(pace)).toBe("12% ahead of pace");
    expect(describePace(planPace(quota(420, 1000), periodEnd, now, 0))).toBe("8% behind pace");
    expect(describePace(planPace(quota(503, 1000), periodEnd, now, 0))).toBe("On pace");
  });

  it("gives a run-out date only when the recent rate exhausts the quota before the reset", () => {
    const fast = planPace(quota(600, 1000), periodEnd, now, 100); // 400 left at 100/day: 4 days
    expect(fast.runsOutAt?.toISOString()).toBe(new Date(now.getTime() + 4 * DAY).toISOString());
    expect(planPace(quota(600, 1000), periodEnd, now, 10).runsOutAt).toBeNull(); // 40 days > 15 left
    expect(planPace(quota(600, 1000), periodEnd, now, 0).runsOutAt).toBeNull();
  });

  it("averages the last seven local days, today included", () => {
    const snapshot = {
      windows: { today: "2026-11-25", weekFrom: "2026-11-23", lifetimeFrom: "2026-11-01" },
      days: [
        { date: "2026-11-18", total: 1000 },
        { date: "2026-11-19", total: 70 },
        { date: "2026-11-25", total: 70 },
      ],
    } as unknown as Snapshot;
    expect(recentDailyRate(snapshot)).toBe(20);
  });
});
