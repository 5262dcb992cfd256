import { promises as fs } from "node:fs";
import path from "node:path";
import {
  accountCoverage,
  ACCOUNT_DAYS_FILE,
  KEEP_DAYS,
  MAX_KEPT_ROWS,
  MAX_MONTH_ROWS,
  mergeAccountDays,
  monthsToAsk,
  readAccountDays,
  readAccountMonth,
  rowDate,
  writeAccountDays,
  type AccountDays,
  type AccountRow,
  type MonthAnswer,
} from "../../../src/core/platform/account-days";
import { addDays } from "../../../src/core/views/calendar";
import { listRow } from "./fixtures/fixtures";
import { tempDir } from "../../helpers/transcripts";

const NOVEMBER = { year: 2026, month: 11 };
const row = (date: string, model: string, total: number): AccountRow => ({
  date,
  model,
  hit: 0,
  miss: total,
  output: 0,
  total,
  requests: null,
});

function rowsOf(data: unknown): AccountRow[] {
  const read = readAccountMonth(data, NOVEMBER);
  if (!read.ok) throw new Error(`expected rows, got ${read.error.message}`);
  return read.rows;
}

function failureOf(data: unknown): string {
  const read = readAccountMonth(data, NOVEMBER);
  if (read.ok) throw new Error("expected a changed shape");
  expect(read.error.kind).toBe("unexpectedPayload");
  return read.error.message;
}

describe("readAccountMonth: one month of the console's list", () => {
  it("reads the console's rows into the four figures", () => {
    expect(rowsOf([listRow("2026-11-25", "mimo-v2.5-pro", 800, 150, 50, 7)])).toEqual([
      { date: "2026-11-25", model: "mimo-v2.5-pro", hit: 800, miss: 150, output: 50, total: 1000, requests: 7 },
    ]);
  });

  it("reads dates as YYYYMMDD (string or number) and numbers as strings, ignoring extra fields", () => {
    const rows = rowsOf([
      {
        date: "20261124",
        model: "mimo-v2.5",
        inputHitToken: "10",
        inputMissToken: "20",
        outputToken: "5",
        extra: { a: 1 },
      },
      { date: 20261123, model: "mimo-v2.5", totalToken: "1e3", inputHitToken: 1, inputMissToken: 2, outputToken: 3 },
    ]);
    expect(rows).toEqual([
      { date: "2026-11-23", model: "mimo-v2.5", hit: 1, miss: 2, output: 3, total: 1000, requests: null },
      { date: "2026-11-24", model: "mimo-v2.5", hit: 10, miss: 20, output: 5, total: 35, requests: null },
    ]);
  });

  it("ignores a month-level row, and an empty list is a real answer of no use", () => {
    expect(rowsOf([{ ...listRow("2026-11-01", "mimo-v2.5", 1, 1, 1), date: "2026-11" }])).toEqual([]);
    expect(rowsOf([{ ...listRow("2026-11-01", "mimo-v2.5", 1, 1, 1), date: "202611" }])).toEqual([]);
    expect(readAccountMonth([], NOVEMBER)).toEqual({ ok: true, rows: [], dropped: 0 });
    expect(readAccountMonth(null, NOVEMBER)).toEqual({ ok: true, rows: [], dropped: 0 });
  });

  it("adds up two rows of one day and model, and leaves out days of another month or no real day", () => {
    const read = readAccountMonth(
      [
        listRow("2026-11-25", "mimo-v2.5-pro", 10, 0, 0),
        listRow("2026-11-25", "mimo-v2.5-pro", 5, 1, 0, 2),
        listRow("2026-12-01", "mimo-v2.5-pro", 99, 0, 0),
        listRow("2026-11-31", "mimo-v2.5-pro", 99, 0, 0),
      ],
      NOVEMBER,
    );
    expect(read).toEqual({
      ok: true,
      rows: [{ date: "2026-11-25", model: "mimo-v2.5-pro", hit: 15, miss: 1, output: 0, total: 16, requests: 3 }],
      dropped: 2,
    });
  });

  it("leaves out one unreadable row but keeps the others", () => {
    const read = readAccountMonth(
      [listRow("2026-11-25", "mimo-v2.5", 1, 2, 3), { date: "2026-11-24", model: 42 }, "row", null],
      NOVEMBER,
    );
    expect(read).toMatchObject({ ok: true, dropped: 3 });
    expect(read.ok && read.rows.map((r) => r.date)).toEqual(["2026-11-25"]);
  });

  it("takes a negative, endless or non-numeric count as missing, never as use", () => {
    const rows = rowsOf([
      {
        date: "2026-11-25",
        model: "m",
        inputHitToken: -5,
        inputMissToken: "1e999",
        outputToken: "lots",
        totalToken: 7,
      },
    ]);
    expect(rows).toEqual([{ date: "2026-11-25", model: "m", hit: 0, miss: 0, output: 0, total: 7, requests: null }]);
  });

  it("reports a changed shape for data that is no list, or rows none of which can be read", () => {
    expect(failureOf({ days: "none" })).toMatch(/unexpected shape \(no list of days\)/);
    expect(failureOf("2026-11-25")).toMatch(/no list of days/);
    expect(failureOf([{ day: "2026-11-25", tokens: 5 }, { when: 1 }])).toMatch(/no row could be read/);
  });

  it("finds the list one level down, as some answers wrap it", () => {
    expect(rowsOf({ list: [listRow("2026-11-02", "mimo-v2.5", 0, 1, 0)] })).toHaveLength(1);
  });

  it("refuses a list longer than a month can hold without reading its rows", () => {
    const huge = Array.from({ length: MAX_MONTH_ROWS + 1 }, () => listRow("2026-11-02", "mimo-v2.5", 0, 1, 0));
    expect(failureOf(huge)).toMatch(/more than a month can hold/);
  });

  it("passes over deeply nested values in a row without descending into them", () => {
    let deep: unknown = 1;
    for (let i = 0; i < 50_000; i++) deep = [deep];
    const read = readAccountMonth(
      [{ date: deep, model: deep, totalToken: deep }, listRow("2026-11-03", "mimo-v2.5", 0, 4, 0)],
      NOVEMBER,
    );
    expect(read).toMatchObject({ ok: true, dropped: 1 });
  });
});

describe("rowDate and monthsToAsk", () => {
  it.each([
    ["2026-11-25", "2026-11-25"],
    ["20261125", "2026-11-25"],
    ["2026-11-25 00:00:00", "2026-11-25"],
    ["2026-02-30", null],
    ["2026-11", null],
    ["yesterday", null],
  ])("%s → %s", (text, date) => expect(rowDate(text)).toBe(date));

  it("asks the previous month too, across a year", () => {
    expect(monthsToAsk("2026-01-05")).toEqual([
      { year: 2025, month: 12 },
      { year: 2026, month: 1 },
    ]);
    expect(monthsToAsk("2026-11-25")).toEqual([
      { year: 2026, month: 10 },
      { year: 2026, month: 11 },
    ]);
  });
});

const answer = (year: number, month: number, asOf: string, rows: AccountRow[]): MonthAnswer => ({
  month: { year, month },
  asOf,
  rows,
});

describe("mergeAccountDays", () => {
  const first = mergeAccountDays(
    null,
    [
      answer(2026, 10, "2026-11-25T12:00:00.000Z", [row("2026-10-30", "mimo-v2.5", 10)]),
      answer(2026, 11, "2026-11-25T12:00:00.000Z", [row("2026-11-25", "mimo-v2.5", 20)]),
    ],
    "UTC",
    "2026-11-25",
  );

  it("keeps every answered month with its time", () => {
    expect(first).toEqual({
      timeZone: "UTC",
      keptFrom: addDays("2026-11-25", -(KEEP_DAYS - 1)),
      months: [
        { month: "2026-10", asOf: "2026-11-25T12:00:00.000Z" },
        { month: "2026-11", asOf: "2026-11-25T12:00:00.000Z" },
      ],
      rows: [row("2026-10-30", "mimo-v2.5", 10), row("2026-11-25", "mimo-v2.5", 20)],
    });
  });

  it("replaces an answered month whole, and keeps other months as they were", () => {
    const next = mergeAccountDays(
      first,
      [
        answer(2026, 11, "2026-12-01T09:00:00.000Z", [row("2026-11-26", "mimo-v2.5", 5)]),
        answer(2026, 12, "2026-12-01T09:00:00.000Z", []),
      ],
      "UTC",
      "2026-12-01",
    );
    expect(next.rows).toEqual([row("2026-10-30", "mimo-v2.5", 10), row("2026-11-26", "mimo-v2.5", 5)]);
    expect(next.months).toEqual([
      { month: "2026-10", asOf: "2026-11-25T12:00:00.000Z" },
      { month: "2026-11", asOf: "2026-12-01T09:00:00.000Z" },
      { month: "2026-12", asOf: "2026-12-01T09:00:00.000Z" },
    ]);
  });

  it("lets days older than 90 go, and months wholly before them", () => {
    const later = mergeAccountDays(first, [answer(2027, 2, "2027-02-02T00:00:00.000Z", [])], "UTC", "2027-02-02");
    expect(later.keptFrom).toBe("2026-11-05");
    expect(later.rows).toEqual([row("2026-11-25", "mimo-v2.5", 20)]);
    expect(later.months.map((m) => m.month)).toEqual(["2026-11", "2027-02"]);
  });

  it("starts over when the zone changed: old dates would not line up with the user's days", () => {
    const moved = mergeAccountDays(
      first,
      [answer(2026, 11, "2026-11-26T00:00:00.000Z", [row("2026-11-26", "mimo-v2.5", 1)])],
      "Asia/Shanghai",
      "2026-11-26",
    );
    expect(moved.timeZone).toBe("Asia/Shanghai");
    expect(moved.rows).toEqual([row("2026-11-26", "mimo-v2.5", 1)]);
    expect(moved.months.map((m) => m.month)).toEqual(["2026-11"]);
  });

  it("keeps at most MAX_KEPT_ROWS rows, whole days, the newest", () => {
    const perDay = 200;
    const days = Math.ceil(MAX_KEPT_ROWS / perDay) + 2;
    const rows = Array.from({ length: days * perDay }, (_, i) =>
      row(addDays("2026-09-01", Math.floor(i / perDay)), `m${i % perDay}`, 1),
    );
    const merged = mergeAccountDays(
      null,
      [9, 10].map((m) =>
        answer(
          2026,
          m,
          "2026-10-20T00:00:00.000Z",
          rows.filter((r) => r.date.startsWith(`2026-${String(m).padStart(2, "0")}`)),
        ),
      ),
      "UTC",
      "2026-10-20",
    );
    expect(merged.rows.length).toBeLessThanOrEqual(MAX_KEPT_ROWS);
    expect(merged.rows.length % perDay).toBe(0);
    expect(merged.rows[0].date).toBe(merged.keptFrom);
    expect(merged.rows.at(-1)?.date).toBe(addDays("2026-09-01", days - 1));
  });
});

describe("accountCoverage", () => {
  const days: AccountDays = {
    timeZone: "UTC",
    keptFrom: "2026-09-01",
    months: [
      { month: "2026-10", asOf: "2026-11-25T12:00:00.000Z" },
      { month: "2026-11", asOf: "2026-11-25T12:00:00.000Z" },
    ],
    rows: [],
  };

  it("covers a range across the month boundary, as of its oldest answer", () => {
    expect(accountCoverage(days, { from: "2026-10-28", to: "2026-11-25" }, "UTC")).toEqual({
      covered: true,
      asOf: "2026-11-25T12:00:00.000Z",
    });
  });

  it("does not cover days after the answer, a month never answered, days let go or another zone", () => {
    expect(accountCoverage(days, { from: "2026-11-26", to: "2026-11-26" }, "UTC")).toMatchObject({
      covered: false,
      reason: "answeredBefore",
    });
    expect(accountCoverage(days, { from: "2026-09-28", to: "2026-10-02" }, "UTC")).toMatchObject({
      covered: false,
      reason: "notAnswered",
    });
    expect(
      accountCoverage({ ...days, keptFrom: "2026-10-15" }, { from: "2026-10-10", to: "2026-10-12" }, "UTC"),
    ).toMatchObject({
      covered: false,
      reason: "notKept",
    });
    expect(accountCoverage(days, { from: "2026-11-25", to: "2026-11-25" }, "Asia/Tokyo")).toMatchObject({
      covered: false,
      reason: "otherZone",
    });
  });
});

describe("the kept file", () => {
  let dir: string;
  let file: string;
  beforeEach(async () => {
    dir = await tempDir("mimo-account-");
    file = path.join(dir, ACCOUNT_DAYS_FILE);
  });
  afterEach(() => fs.rm(dir, { recursive: true, force: true }));

  const days: AccountDays = {
    timeZone: "UTC",
    keptFrom: "2026-08-28",
    months: [{ month: "2026-11", asOf: "2026-11-25T12:00:00.000Z" }],
    rows: [row("2026-11-25", "mimo-v2.5", 20)],
  };

  it("round-trips, versioned", async () => {
    await writeAccountDays(file, days);
    expect(await readAccountDays(file)).toEqual(days);
    expect(JSON.parse(await fs.readFile(file, "utf8"))).toMatchObject({ kind: "mimo-usage-account-days", version: 1 });
  });

  it("reads none from a file of ours that does not parse, and writes over it", async () => {
    await fs.writeFile(file, '{"kind":"mimo-usage-account-days","version":1,"rows":[');
    expect(await readAccountDays(file)).toBeNull();
    await writeAccountDays(file, days);
    expect(await readAccountDays(file)).toEqual(days);
  });

  it("reads none from a newer version", async () => {
    await fs.writeFile(file, JSON.stringify({ kind: "mimo-usage-account-days", version: 2, ...days }));
    expect(await readAccountDays(file)).toBeNull();
  });

  it("never replaces a file that is not ours", async () => {
    await fs.writeFile(file, "my notes");
    expect(await readAccountDays(file)).toBeNull();
    await expect(writeAccountDays(file, days)).rejects.toThrow(/left as it was/);
    expect(await fs.readFile(file, "utf8")).toBe("my notes");
  });

  it("does not read a file bigger than the rows can take", async () => {
    const big = `{"kind":"mimo-usage-account-days"${" ".repeat(5 * 1024 * 1024)}}`;
    await fs.writeFile(file, big);
    expect(await readAccountDays(file)).toBeNull();
  });
});
