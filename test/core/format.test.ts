import {
  formatCost,
  formatDuration,
  formatFull,
  formatRelative,
  formatTokens,
  formatCredits,
  formatMoney,
  parseTokens,
} from "../../src/core/format";

describe("formatTokens", () => {
  it.each([
    [0, "0"],
    [999, "999"],
    [1234, "1.2K"],
    [845_000, "845K"],
    [999_950, "1M"],
    [1_250_000, "1.3M"],
    [12_000_000, "12M"],
    [3_400_000_000, "3.4B"],
    [-1500, "-1.5K"],
  ])("%d → %s", (n, expected) => {
    expect(formatTokens(n)).toBe(expected);
  });
});

describe("formatFull", () => {
  it("groups thousands", () => expect(formatFull(1234567)).toBe("1,234,567"));
});

describe("formatCost", () => {
  it("says — when nothing is priced", () => expect(formatCost(null)).toBe("—"));
  it("uses the currency symbol", () =>
    expect(formatCost({ amount: 1.234, currency: "CNY", partial: false })).toBe("¥1.23"));
  it("keeps small amounts visible", () =>
    expect(formatCost({ amount: 0.0012, currency: "USD", partial: false })).toBe("$0.0012"));
  it("marks partial costs as a lower bound", () =>
    expect(formatCost({ amount: 2, currency: "CNY", partial: true })).toBe("≥ ¥2.00"));
});

describe("formatRelative", () => {
  const now = new Date("2026-11-25T12:00:00Z");
  it.each([
    ["2026-11-25T11:59:50Z", "just now"],
    ["2026-11-25T11:55:00Z", "5 min ago"],
    ["2026-11-25T09:00:00Z", "3 h ago"],
    ["2026-11-23T12:00:00Z", "2 days ago"],
    ["2026-11-24T12:00:00Z", "1 day ago"],
    ["2026-11-25T13:00:00Z", "in 1 h"],
  ])("%s → %s", (at, expected) => expect(formatRelative(at, now)).toBe(expected));
});

describe("formatDuration", () => {
  it.each([
    [45_000, "45 s"],
    [12 * 60_000, "12 min"],
    [65 * 60_000, "1 h 5 min"],
    [120 * 60_000, "2 h"],
  ])("%d ms → %s", (ms, expected) => expect(formatDuration(ms)).toBe(expected));
});

describe("parseTokens", () => {
  it.each([
    ["50M", 50_000_000],
    ["1.5B", 1_500_000_000],
    [" 800k ", 800_000],
    ["2,000,000", 2_000_000],
    ["5 M", 5_000_000],
  ])("%j → %d", (text, expected) => expect(parseTokens(text)).toBe(expected));

  it.each(["", "abc", "0", "-5M", "5X"])("rejects %j", (text) => expect(parseTokens(text)).toBeNull());
});

describe("formatCredits", () => {
  it.each([
    [8_582_309_279, "8.58B"],
    [82_000_000_000, "82B"],
    [4_100_000_000, "4.1B"],
    [123_456_789, "123M"],
    [12_345_678, "12.3M"],
    [999_999, "1M"],
    [9_995, "10K"],
    [500, "500"],
    [-2_500_000, "-2.5M"],
  ])("%d → %s", (n, expected) => expect(formatCredits(n)).toBe(expected));
});

describe("formatMoney", () => {
  it("keeps two decimals and names the currency", () => {
    expect(formatMoney(12.3, "CNY")).toBe("12.30 CNY");
    expect(formatMoney(0, "USD")).toBe("0.00 USD");
  });
});
