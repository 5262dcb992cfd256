import { planPace } from "../../../src/core/platform/pace";
import { describePace } from "../../../src/core/query/summary";

const credits = (used: number, limit: number) => ({ used, limit, fraction: used / limit });
const DAY = 86_400_000;

describe("plan pace, in credits", () => {
  const periodEnd = "2026-12-10T00:00:00.000Z"; // the period began 30 days earlier, 2026-11-10
  const now = new Date("2026-11-25T00:00:00.000Z"); // half-way

  it("compares the share of credits used with the share of the period elapsed", () => {
    const pace = planPace(credits(620, 1000), periodEnd, now, null);
    expect(pace.expectedFraction).toBeCloseTo(0.5);
    expect(pace.delta).toBeCloseTo(0.12);
    expect(describePace(pace)).toBe("12% ahead of pace");
    expect(describePace(planPace(credits(420, 1000), periodEnd, now, null))).toBe("8% behind pace");
    expect(describePace(planPace(credits(503, 1000), periodEnd, now, null))).toBe("On pace");
  });

  it("reads a plan used past its limit as more than 100%", () => {
    const pace = planPace(credits(1050, 1000), periodEnd, now, 10);
    expect(pace.usedFraction).toBeCloseTo(1.05);
    expect(pace.runsOutAt?.toISOString()).toBe(now.toISOString());
  });

  it("gives a run-out date only when the credit rate exhausts the plan before the reset", () => {
    const fast = planPace(credits(600, 1000), periodEnd, now, 100); // 400 credits left at 100 a day: 4 days
    expect(fast.runsOutAt?.toISOString()).toBe(new Date(now.getTime() + 4 * DAY).toISOString());
    expect(planPace(credits(600, 1000), periodEnd, now, 10).runsOutAt).toBeNull(); // 40 days > 15 left
    expect(planPace(credits(600, 1000), periodEnd, now, 0).runsOutAt).toBeNull();
    expect(planPace(credits(600, 1000), periodEnd, now, null).runsOutAt).toBeNull();
  });
});
