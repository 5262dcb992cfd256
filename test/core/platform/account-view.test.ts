import { accountFigures, accountNotes, modelKey, rateCheck } from "../../../src/core/platform/account-view";
import type { AccountRow } from "../../../src/core/platform/account-days";
import type { DayModelRow } from "../../../src/core/views/schema";

const TODAY = { from: "2026-11-25", to: "2026-11-25" };

const local = (date: string, model: string, b: Partial<DayModelRow>): DayModelRow => {
  // Credits of the local rows are not read by the view (it rates both sides with the one table).
  const row = {
    date,
    model,
    input: 0,
    output: 0,
    cacheRead: 0,
    cacheWrite: 0,
    messages: 1,
    total: 0,
    credits: 0,
    uncreditedTokens: 0,
    ...b,
  };
  return { ...row, total: row.input + row.output + row.cacheRead + row.cacheWrite };
};
const account = (date: string, model: string, hit: number, miss: number, output: number): AccountRow => ({
  date,
  model,
  hit,
  miss,
  output,
  total: hit + miss + output,
  requests: null,
});

// The scenario: this Mac 1,070,000 tokens today, the account 6,070,000.
// Credits at 2.5 / 300 / 600 per hit / miss / output token (mimo-v2.5-pro):
// account 5.8M × 2.5 + 200K × 300 + 70K × 600 = 116.5M; this Mac 1M × 2.5 + 50K × 300 + 20K × 600 = 29.5M.
const MAC_TODAY = local("2026-11-25", "mimo-v2.5-pro", { input: 50_000, output: 20_000, cacheRead: 1_000_000 });
const ACCOUNT_TODAY = account("2026-11-25", "mimo-v2.5-pro", 5_800_000, 200_000, 70_000);

describe("accountFigures", () => {
  it("gives the account's total and Credits, and what was used elsewhere", () => {
    expect(accountFigures([MAC_TODAY], [ACCOUNT_TODAY], TODAY)).toEqual({
      totalTokens: 6_070_000,
      credits: 116_500_000,
      creditsPartial: false,
      elsewhereTokens: 5_000_000,
      elsewhereCredits: 87_000_000,
      byModel: [
        {
          model: "mimo-v2.5-pro",
          totalTokens: 6_070_000,
          credits: 116_500_000,
          elsewhereTokens: 5_000_000,
          elsewhereCredits: 87_000_000,
        },
      ],
      overcounted: [],
      unrated: [],
    });
  });

  it("matches a transcript's spelling of the model to the platform's", () => {
    expect(modelKey("xiaomi/MiMo-V2.5-Pro[1m]")).toBe("mimo-v2.5-pro");
    const figures = accountFigures([{ ...MAC_TODAY, model: "xiaomi/MiMo-V2.5-Pro" }], [ACCOUNT_TODAY], TODAY);
    expect(figures.elsewhereTokens).toBe(5_000_000);
    expect(figures.byModel.map((m) => m.model)).toEqual(["mimo-v2.5-pro"]);
  });

  it("clamps at zero, day by day and model by model, and names where this Mac counted more", () => {
    const figures = accountFigures(
      [
        MAC_TODAY,
        // Yesterday this Mac used mimo-v2.5 the account does not show yet.
        local("2026-11-24", "mimo-v2.5", { input: 10_000 }),
      ],
      [ACCOUNT_TODAY, account("2026-11-24", "mimo-v2.5-pro", 0, 3_000, 0)],
      { from: "2026-11-24", to: "2026-11-25" },
    );
    // Elsewhere is 5,000,000 today plus yesterday's 3,000 pro; the 10,000 mimo-v2.5 do not subtract.
    expect(figures.elsewhereTokens).toBe(5_003_000);
    expect(figures.totalTokens).toBe(6_073_000);
    expect(figures.overcounted).toEqual([{ date: "2026-11-24", model: "mimo-v2.5", tokens: 10_000 }]);
    expect(accountNotes(figures)).toEqual([
      "This Mac counted more than the account on some days (2026-11-24 mimo-v2.5 +10,000 tokens), e.g. use not yet " +
        "billed; elsewhere counts those days and models as zero.",
    ]);
  });

  it("leaves an unrated model out of the Credits and says so", () => {
    const figures = accountFigures([], [ACCOUNT_TODAY, account("2026-11-25", "mimo-v9-omni", 0, 1_000, 0)], TODAY);
    expect(figures.totalTokens).toBe(6_071_000);
    expect(figures.credits).toBe(116_500_000);
    expect(figures.creditsPartial).toBe(true);
    expect(figures.unrated).toEqual(["mimo-v9-omni"]);
    expect(figures.byModel.find((m) => m.model === "mimo-v9-omni")).toMatchObject({
      credits: null,
      elsewhereCredits: null,
    });
    expect(accountFigures([], [account("2026-11-25", "mimo-v9-omni", 0, 1, 0)], TODAY).credits).toBeNull();
  });

  it("counts only the range's days", () => {
    expect(accountFigures([MAC_TODAY], [ACCOUNT_TODAY], { from: "2026-11-20", to: "2026-11-24" })).toMatchObject({
      totalTokens: 0,
      elsewhereTokens: 0,
      byModel: [],
    });
  });
});

describe("rateCheck", () => {
  // The period starts on 2026-11-10 at 08:00 UTC: that day's rows count partly, so the rows give a range.
  const periodStart = Date.parse("2026-11-10T08:00:00Z");
  // 1,000 misses (300K Credits) on the first day, 2,000 (600K) the next.
  const rows = [
    account("2026-11-10", "mimo-v2.5-pro", 0, 1_000, 0),
    account("2026-11-11", "mimo-v2.5-pro", 0, 2_000, 0),
  ];

  it("passes a plan figure inside the range, or within 5% of it", () => {
    expect(rateCheck(rows, { used: 700_000, periodStart }, "UTC", "2026-11-25")).toEqual({ ok: true });
    expect(rateCheck(rows, { used: 580_000, periodStart }, "UTC", "2026-11-25")).toEqual({ ok: true });
    expect(rateCheck(rows, { used: 940_000, periodStart }, "UTC", "2026-11-25")).toEqual({ ok: true });
  });

  it("warns once, with both figures, when the plan is further off", () => {
    expect(rateCheck(rows, { used: 2_000_000, periodStart }, "UTC", "2026-11-25")).toEqual({
      ok: false,
      fromRows: { low: 600_000, high: 900_000 },
      planUsed: 2_000_000,
      message:
        "The account's daily list gives 600K–900K Credits for this plan period at MiMo's rates, but the plan says 2M used.",
    });
    expect(rateCheck(rows, { used: 560_000, periodStart }, "UTC", "2026-11-25").ok).toBe(false);
  });

  it("says nothing when a model has no rate: the table is then incomplete, not wrong", () => {
    const withUnrated = [...rows, account("2026-11-12", "mimo-v9-omni", 0, 1, 0)];
    expect(rateCheck(withUnrated, { used: 9e9, periodStart }, "UTC", "2026-11-25")).toEqual({
      ok: null,
      reason: "unrated",
    });
  });
});
