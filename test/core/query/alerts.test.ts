import {
  alertGauges,
  crossingNotification,
  describeNextThreshold,
  newCrossings,
  nextThresholds,
  parseThresholds,
  readAlertMemory,
  rememberCrossing,
  type AlertMemory,
  type Gauge,
} from "../../../src/core/query/alerts";
import { makeReport, REPORT_NOW, REPORT_TOKENS, rescan, type ReportFixture } from "../../helpers/report";

function planGauge(fraction: number, period = "2026-12-10T00:00:00.000Z"): Gauge {
  return {
    kind: "plan",
    fraction,
    used: fraction * 10_000_000,
    limit: 10_000_000,
    estimated: false,
    period,
    resetsAt: period,
    elapsed: 0.5,
  };
}

function budgetGauge(fraction: number, weekFrom = "2026-11-23"): Gauge {
  return {
    kind: "budget",
    fraction,
    used: fraction * 2_000_000,
    limit: 2_000_000,
    estimated: false,
    period: weekFrom,
    resetsAt: "2026-11-30",
    elapsed: 3 / 7,
  };
}

/** Notifies whatever newly crossed and remembers it, as the Raycast side does. */
function notifyAll(gauges: Gauge[], thresholds: number[], memory: AlertMemory) {
  const crossings = newCrossings(gauges, thresholds, memory);
  const next = crossings.reduce(rememberCrossing, memory);
  return { named: crossings.map((c) => `${c.gauge.kind} ${c.threshold}`), memory: next };
}

describe("alert thresholds preference", () => {
  it("reads a list of percentages, sorted and without repeats", () => {
    expect(parseThresholds("80,95")).toEqual({ ok: true, thresholds: [80, 95] });
    expect(parseThresholds(" 95%, 80 ,80; 50 ")).toEqual({ ok: true, thresholds: [50, 80, 95] });
    expect(parseThresholds("99.5")).toEqual({ ok: true, thresholds: [99.5] });
  });

  it("turns alerts off when empty", () => {
    expect(parseThresholds("")).toEqual({ ok: true, thresholds: [] });
    expect(parseThresholds("  ")).toEqual({ ok: true, thresholds: [] });
  });

  it("says which part is not a percentage", () => {
    for (const [text, part] of [
      ["80,abc", "abc"],
      ["0", "0"],
      ["150", "150"],
      ["-5", "-5"],
    ]) {
      const parsed = parseThresholds(text);
      expect(parsed.ok).toBe(false);
      if (!parsed.ok) expect(parsed.message).toContain(`“${part}” is not a percentage from 1 to 100`);
    }
  });
});

describe("crossing rule", () => {
  it("notifies a crossing once, naming the highest threshold passed", () => {
    const first = notifyAll([planGauge(0.85)], [80, 95], {});
    expect(first.named).toEqual(["plan 80"]);
    expect(notifyAll([planGauge(0.85)], [80, 95], first.memory).named).toEqual([]);
    expect(notifyAll([planGauge(0.9)], [80, 95], first.memory).named).toEqual([]);
    const later = notifyAll([planGauge(0.96)], [80, 95], first.memory);
    expect(later.named).toEqual(["plan 95"]);
    expect(notifyAll([planGauge(0.99)], [80, 95], later.memory).named).toEqual([]);
  });

  it("names only the highest when several are passed at once, and remembers all of them", () => {
    const jump = notifyAll([planGauge(0.97)], [80, 95], {});
    expect(jump.named).toEqual(["plan 95"]);
    expect(jump.memory).toEqual({ plan: { period: "2026-12-10T00:00:00.000Z", notified: [80, 95] } });
  });

  it("does not repeat across launches: the memory survives being stored as text", () => {
    const first = notifyAll([planGauge(0.85)], [80, 95], {});
    const stored = JSON.stringify(first.memory);
    expect(notifyAll([planGauge(0.85)], [80, 95], readAlertMemory(stored)).named).toEqual([]);
  });

  it("starts afresh from unreadable memory", () => {
    expect(readAlertMemory(undefined)).toEqual({});
    expect(readAlertMemory("not json")).toEqual({});
    expect(readAlertMemory('{"plan":{"period":3}}')).toEqual({});
  });

  it("re-arms in a new plan period and a new week", () => {
    const { memory } = notifyAll([planGauge(0.85), budgetGauge(0.82)], [80, 95], {});
    expect(notifyAll([planGauge(0.85), budgetGauge(0.82)], [80, 95], memory).named).toEqual([]);
    const nextPeriod = planGauge(0.81, "2027-01-09T00:00:00.000Z");
    const nextWeek = budgetGauge(0.83, "2026-11-30");
    expect(notifyAll([nextPeriod, nextWeek], [80, 95], memory).named).toEqual(["plan 80", "budget 80"]);
  });

  it("keeps the plan and the budget apart", () => {
    const { memory, named } = notifyAll([planGauge(0.5), budgetGauge(0.85)], [80], {});
    expect(named).toEqual(["budget 80"]);
    expect(notifyAll([planGauge(0.85), budgetGauge(0.85)], [80], memory).named).toEqual(["plan 80"]);
  });

  it("notifies nothing when alerts are off or nothing is crossed", () => {
    expect(newCrossings([planGauge(0.99)], [], {})).toEqual([]);
    expect(newCrossings([planGauge(0.79)], [80, 95], {})).toEqual([]);
  });
});

describe("gauges from a report", () => {
  const made: ReportFixture[] = [];
  afterAll(() => Promise.all(made.map((fixture) => fixture.cleanup())));

  it("measures the platform's plan figure and this week's share of the budget", async () => {
    const fixture = await makeReport();
    made.push(fixture);
    const gauges = alertGauges(fixture.report, 2_000_000, REPORT_NOW);
    expect(gauges).toEqual([
      {
        kind: "plan",
        fraction: 0.62,
        used: 6_200_000_000,
        limit: 10_000_000_000,
        estimated: false,
        period: "2026-12-10T00:00:00.000Z",
        resetsAt: "2026-12-10T00:00:00.000Z",
        elapsed: 15.5 / 30,
      },
      {
        kind: "budget",
        fraction: REPORT_TOKENS.week / 2_000_000,
        used: REPORT_TOKENS.week,
        limit: 2_000_000,
        estimated: false,
        period: "2026-11-23",
        resetsAt: "2026-11-30",
        elapsed: 3 / 7,
      },
    ]);
  });

  it("follows the Credits estimate once the platform stops answering", async () => {
    const fixture = await makeReport();
    made.push(fixture);
    const lapsed = await rescan(fixture, {
      platform: { ok: false, error: { kind: "loginRequired", message: "Login required." } },
    });
    expect(lapsed.plan?.source).toBe("estimate");
    const [plan] = alertGauges(lapsed, null, REPORT_NOW);
    // No local use since the answer at 11:58: the estimate is that answer's 6.2B of 10B, marked as estimated.
    expect(plan).toMatchObject({
      kind: "plan",
      estimated: true,
      used: 6_200_000_000,
      limit: 10_000_000_000,
      fraction: 0.62,
    });
  });

  it("has no plan gauge without a platform answer and no budget gauge without a budget", async () => {
    const fixture = await makeReport({ platform: null });
    made.push(fixture);
    expect(alertGauges(fixture.report, null, REPORT_NOW)).toEqual([]);
    expect(alertGauges(fixture.report, 1_000_000, REPORT_NOW).map((g) => g.kind)).toEqual(["budget"]);
  });
});

describe("alert words", () => {
  it("names the threshold, the figure and the reset time", () => {
    const [crossing] = newCrossings([planGauge(0.85)], [80, 95], {});
    expect(crossingNotification(crossing, "UTC")).toEqual({
      title: "MiMo Usage",
      subtitle: "MiMo plan passed 80%",
      message: "85% used (8.5M of 10M Credits) · resets 2026-12-10 00:00",
    });
    const [budget] = newCrossings([budgetGauge(0.96)], [80, 95], {});
    expect(crossingNotification(budget, "UTC")).toEqual({
      title: "MiMo Usage",
      subtitle: "Weekly token budget passed 95%",
      message: "96% used (1.9M of 2M tokens) · resets 2026-11-30",
    });
  });

  it("says when an estimated plan figure is an estimate", () => {
    const [crossing] = newCrossings([{ ...planGauge(0.85), estimated: true }], [80], {});
    expect(crossingNotification(crossing, "UTC").message).toBe(
      "85% used (8.5M of 10M Credits, estimated) · resets 2026-12-10 00:00",
    );
  });

  it("tells when the pace so far reaches the next threshold, if before the reset", () => {
    // 60% at half the period: 4% a day, so 80% in 5 days; 95% would take 8.75 of the 15 days left.
    const [toEighty] = nextThresholds([planGauge(0.6)], [80, 95]);
    expect(describeNextThreshold(toEighty)).toBe("Plan: 80% in ~5 days");
    expect(toEighty.inDays).toBeCloseTo(5, 6);
    // 30% at half: 2% a day, 95% would take 32.5 days, after the reset.
    expect(describeNextThreshold(nextThresholds([planGauge(0.3)], [95])[0])).toBe(
      "Plan: 95% not before the reset at this pace",
    );
    // 75% of the budget 3 days in is 25% a day: 80% in 0.2 days (4.8 h); 79.9% needs under an hour.
    expect(describeNextThreshold(nextThresholds([budgetGauge(0.75)], [80])[0])).toBe("Budget: 80% in ~5 h");
    expect(describeNextThreshold(nextThresholds([budgetGauge(0.799)], [80])[0])).toBe("Budget: 80% in under an hour");
    expect(nextThresholds([planGauge(0.99)], [80, 95])).toEqual([]);
  });
});
