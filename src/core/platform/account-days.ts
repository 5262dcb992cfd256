import * as z from "zod";
import { addDays, isLocalDate, localDate, type DateRange } from "../views/calendar";
import { readOwnFile, writeOwnFile } from "../io";
import type { PlatformError } from "./schema";

/**
 * The account's daily use per model, as the MiMo console's usage page lists it for every device
 * and client that holds the plan's key (`POST usage/token-plan/list`, one month per call; see
 * account-request.ts). Here: the tolerant reading of one month's answer, the merge of fresh months
 * into what is kept, and the kept rows in the support folder, so a lapsed cookie still leaves the
 * last 90 days readable with the time they were answered. Only figures, dates and model names are
 * stored, never the cookie.
 */

export const ACCOUNT_DAYS_FILE = "account-days.json";
const FILE_KIND = "mimo-usage-account-days";
const FILE_VERSION = 1;
/** The first bytes of every file we write; a file that does not start so is not ours. */
const FILE_MARK = `{"kind":"${FILE_KIND}"`;

/** Days kept: a 30-day plan period with room to spare, and three months of history. */
export const KEEP_DAYS = 90;
/** A hard cap on kept rows whatever the platform sends: 90 days of 100 models each. */
export const MAX_KEPT_ROWS = 9_000;
/** One month cannot hold more rows than this (31 days of 200 models); a longer list is not read. */
export const MAX_MONTH_ROWS = 6_200;
/** Far above what MAX_KEPT_ROWS rows take (about 150 bytes each); a bigger file is not read. */
export const MAX_FILE_BYTES = 4 * 1024 * 1024;
const MAX_MODEL_NAME = 120;

const count = z.number().nonnegative();
const instant = z.iso.datetime({ offset: true });
const dateText = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);
const monthText = z.string().regex(/^\d{4}-\d{2}$/);

/** One day and model of the account, in the platform's buckets. */
export const AccountRowSchema = z.object({
  /** Local date in the zone the rows were asked in (the request's x-timeZone). */
  date: dateText,
  model: z.string().min(1).max(MAX_MODEL_NAME),
  /** Input tokens read from the cache (the platform's inputHitToken). */
  hit: count,
  /** Input tokens not from the cache (inputMissToken); a local cache write is one of these. */
  miss: count,
  output: count,
  /** The platform's totalToken, or hit + miss + output when it sent none. */
  total: count,
  requests: count.nullable(),
});
export type AccountRow = z.infer<typeof AccountRowSchema>;

/** A month the platform answered, and when. */
export const AccountMonthSchema = z.object({ month: monthText, asOf: instant });
export type AccountMonth = z.infer<typeof AccountMonthSchema>;

export const AccountDaysSchema = z.object({
  /** The zone the rows' dates are in: what was sent as x-timeZone. */
  timeZone: z.string().min(1),
  /** The oldest date the rows are complete from; earlier days were let go. */
  keptFrom: dateText,
  months: z.array(AccountMonthSchema),
  rows: z.array(AccountRowSchema).max(MAX_KEPT_ROWS),
});
export type AccountDays = z.infer<typeof AccountDaysSchema>;

const AccountDaysFileSchema = AccountDaysSchema.extend({
  kind: z.literal(FILE_KIND),
  version: z.literal(FILE_VERSION),
});

export interface YearMonth {
  year: number;
  /** 1–12. */
  month: number;
}

/** The month a plan period can reach back into and the current one, in the user's calendar. */
export function monthsToAsk(today: string): YearMonth[] {
  const year = Number(today.slice(0, 4));
  const month = Number(today.slice(5, 7));
  const previous = month === 1 ? { year: year - 1, month: 12 } : { year, month: month - 1 };
  return [previous, { year, month }];
}

export function monthKey({ year, month }: YearMonth): string {
  return `${String(year).padStart(4, "0")}-${String(month).padStart(2, "0")}`;
}

// ---------------------------------------------------------------------------------------------
// One month's answer

const NUMBER_TEXT = /^[+-]?(\d+(\.\d*)?|\.\d+)(e[+-]?\d+)?$/i;
/** Counts come as numbers or as decimal strings; anything else (or a negative or endless one) is none. */
const wireCount = z
  .union([z.number(), z.string().trim().regex(NUMBER_TEXT).transform(Number)])
  .pipe(z.number().nonnegative())
  .nullish()
  .catch(null);

const WireRowSchema = z.object({
  date: z.union([z.string().trim(), z.number().int()]),
  model: z.string().trim().min(1).max(MAX_MODEL_NAME),
  totalToken: wireCount,
  inputHitToken: wireCount,
  inputMissToken: wireCount,
  outputToken: wireCount,
  requestCount: wireCount,
});

/** A month-level row ("2026-11", "202611") sums the days; the days are what is kept. */
const MONTH_LEVEL = /^\d{4}-?\d{2}$/;

/** "2026-11-25", "20261125", 20261125 or "2026-11-25 00:00:00" → "2026-11-25"; null when no real day. */
export function rowDate(value: string | number): string | null {
  const text = String(value).trim();
  const match = /^(\d{4})-?(\d{2})-?(\d{2})(?:[ T][\d:.]+Z?)?$/.exec(text);
  if (!match) return null;
  const date = `${match[1]}-${match[2]}-${match[3]}`;
  return isLocalDate(date) ? date : null;
}

export type MonthRead = { ok: true; rows: AccountRow[]; dropped: number } | { ok: false; error: PlatformError };

/**
 * The rows of one month's answer. Tolerant where the console's own page would be: extra fields are
 * ignored, numbers may be strings, a month-level row and an empty list are fine, and one unreadable
 * row is left out. A `data` that is no list, a list longer than a month can be, or rows none of which
 * can be read are a changed shape, reported as such and never read as "no use".
 */
export function readAccountMonth(data: unknown, month: YearMonth): MonthRead {
  const label = `the daily usage list of ${monthKey(month)}`;
  if (data === null || data === undefined) return { ok: true, rows: [], dropped: 0 };
  const list = Array.isArray(data) ? data : listInside(data);
  if (list === null) return changedShape(`The MiMo platform sent ${label} in an unexpected shape (no list of days).`);
  if (list.length > MAX_MONTH_ROWS) {
    return changedShape(`The MiMo platform sent ${list.length} rows for ${label}, more than a month can hold.`);
  }
  const prefix = `${monthKey(month)}-`;
  const byKey = new Map<string, AccountRow>();
  let dropped = 0;
  let monthLevel = 0;
  for (const item of list) {
    const parsed = WireRowSchema.safeParse(item);
    if (parsed.success && MONTH_LEVEL.test(String(parsed.data.date))) {
      monthLevel++;
      continue;
    }
    const row = parsed.success ? toRow(parsed.data) : null;
    if (!row || !row.date.startsWith(prefix)) {
      dropped++;
      continue;
    }
    const key = `${row.date}\u0000${row.model}`;
    const seen = byKey.get(key);
    // Two rows for one day and model (split by something the page sums) count together.
    byKey.set(key, seen ? addRows(seen, row) : row);
  }
  if (byKey.size === 0 && dropped > 0 && monthLevel === 0) {
    return changedShape(`The MiMo platform sent ${label} in an unexpected shape (no row could be read).`);
  }
  return { ok: true, rows: sortRows([...byKey.values()]), dropped };
}

/** Some answers wrap the list once more ({"list": [...]}, {"records": [...]}); only one level is looked at. */
function listInside(data: unknown): unknown[] | null {
  if (typeof data !== "object" || data === null) return null;
  const record = data as Record<string, unknown>;
  for (const key of ["list", "records", "items", "rows"]) {
    const value = record[key];
    if (Array.isArray(value)) return value;
  }
  return null;
}

function toRow(wire: z.infer<typeof WireRowSchema>): AccountRow | null {
  const date = rowDate(wire.date);
  if (!date) return null;
  const { totalToken, inputHitToken, inputMissToken, outputToken, requestCount } = wire;
  if (totalToken == null && inputHitToken == null && inputMissToken == null && outputToken == null) return null;
  const hit = inputHitToken ?? 0;
  const miss = inputMissToken ?? 0;
  const output = outputToken ?? 0;
  return {
    date,
    model: wire.model,
    hit,
    miss,
    output,
    total: totalToken ?? hit + miss + output,
    requests: requestCount ?? null,
  };
}

function addRows(a: AccountRow, b: AccountRow): AccountRow {
  const requests = a.requests === null && b.requests === null ? null : (a.requests ?? 0) + (b.requests ?? 0);
  return {
    ...a,
    hit: a.hit + b.hit,
    miss: a.miss + b.miss,
    output: a.output + b.output,
    total: a.total + b.total,
    requests,
  };
}

function changedShape(message: string): MonthRead {
  return { ok: false, error: { kind: "unexpectedPayload", message } };
}

function sortRows(rows: AccountRow[]): AccountRow[] {
  return rows.sort((a, b) => (a.date === b.date ? (a.model < b.model ? -1 : 1) : a.date < b.date ? -1 : 1));
}

// ---------------------------------------------------------------------------------------------
// Merging and coverage

export interface MonthAnswer {
  month: YearMonth;
  asOf: string;
  rows: AccountRow[];
}

/**
 * What is kept after an answer: each month answered replaces that month's rows (the platform's list
 * is the whole month), other kept months stay with their own time, and days older than 90 go. Rows
 * kept in another zone start over: their dates would not line up with the user's days.
 */
export function mergeAccountDays(
  kept: AccountDays | null,
  answers: MonthAnswer[],
  timeZone: string,
  today: string,
): AccountDays {
  const base = kept && kept.timeZone === timeZone ? kept : null;
  const answered = new Map(answers.map((answer) => [monthKey(answer.month), answer]));
  let keptFrom = laterOf(addDays(today, -(KEEP_DAYS - 1)), base ? stillKeptFrom(base.keptFrom, answered) : "");
  const rows = sortRows(
    [
      ...(base?.rows ?? []).filter((row) => !answered.has(row.date.slice(0, 7))),
      ...answers.flatMap((answer) => answer.rows),
    ].filter((row) => row.date >= keptFrom),
  );
  if (rows.length > MAX_KEPT_ROWS) {
    // Keep the newest whole days: a day cut in half would read as less use than it had.
    keptFrom = addDays(rows[rows.length - MAX_KEPT_ROWS].date, 1);
  }
  const months = new Map((base?.months ?? []).map((month) => [month.month, month]));
  for (const [key, answer] of answered) months.set(key, { month: key, asOf: answer.asOf });
  const firstMonth = keptFrom.slice(0, 7);
  return {
    timeZone,
    keptFrom,
    months: [...months.values()].filter((m) => m.month >= firstMonth).sort((a, b) => (a.month < b.month ? -1 : 1)),
    rows: rows.filter((row) => row.date >= keptFrom),
  };
}

/**
 * Days let go before (by the row cap) stay let go, unless a fresh answer brings their whole month
 * back: then the month's first day is where complete rows start.
 */
function stillKeptFrom(previous: string, answered: Map<string, MonthAnswer>): string {
  return answered.has(previous.slice(0, 7)) ? `${previous.slice(0, 7)}-01` : previous;
}

function laterOf(a: string, b: string): string {
  return a > b ? a : b;
}

export type Coverage =
  | { covered: true; asOf: string }
  | { covered: false; reason: "notKept" | "notAnswered" | "answeredBefore" | "otherZone"; asOf: string | null };

/**
 * Whether the kept rows hold every day of `range` in `timeZone`: the days are kept, each month they
 * touch was answered, and answered on or after the range's last day (an answer from before a day
 * cannot know its use). `asOf` is the oldest answer the range relies on.
 */
export function accountCoverage(days: AccountDays, range: DateRange, timeZone: string): Coverage {
  const newest = days.months.reduce<string | null>((best, m) => (best && best > m.asOf ? best : m.asOf), null);
  if (days.timeZone !== timeZone) return { covered: false, reason: "otherZone", asOf: newest };
  if (range.from < days.keptFrom) return { covered: false, reason: "notKept", asOf: newest };
  const byMonth = new Map(days.months.map((month) => [month.month, month.asOf]));
  let asOf: string | null = null;
  for (let month = range.from.slice(0, 7); month <= range.to.slice(0, 7); month = nextMonth(month)) {
    const answeredAt = byMonth.get(month);
    if (!answeredAt) return { covered: false, reason: "notAnswered", asOf: newest };
    const monthEnd = addDays(`${nextMonth(month)}-01`, -1);
    const needed = range.to < monthEnd ? range.to : monthEnd;
    if (localDate(Date.parse(answeredAt), timeZone) < needed) {
      return { covered: false, reason: "answeredBefore", asOf: answeredAt };
    }
    if (asOf === null || answeredAt < asOf) asOf = answeredAt;
  }
  return asOf === null ? { covered: false, reason: "notAnswered", asOf: newest } : { covered: true, asOf };
}

function nextMonth(month: string): string {
  const year = Number(month.slice(0, 4));
  const m = Number(month.slice(5, 7));
  return m === 12 ? `${year + 1}-01` : `${month.slice(0, 4)}-${String(m + 1).padStart(2, "0")}`;
}

// ---------------------------------------------------------------------------------------------
// The file

/**
 * The kept rows; none when there is no file, and none when it is not ours, too big, or does not
 * parse (it is started over at the next answer: losing it costs history, never the menu).
 */
export async function readAccountDays(file: string): Promise<AccountDays | null> {
  try {
    const read = await readOwnFile(file, MAX_FILE_BYTES, {
      bytes: FILE_MARK.length,
      isOurs: (head) => head.toString("latin1") === FILE_MARK,
      what: "a MiMo Usage account file",
    });
    if (!read.ok) return null;
    // Parsed against the file's schema, then kept to the rows' own (the header is only the file's).
    const parsed = AccountDaysFileSchema.safeParse(JSON.parse(read.bytes.toString("utf8")));
    return parsed.success ? AccountDaysSchema.parse(parsed.data) : null;
  } catch {
    return null;
  }
}

/** Written whole or not at all, and only over a file of ours (a FileRefusal otherwise). */
export async function writeAccountDays(file: string, days: AccountDays): Promise<void> {
  const body = JSON.stringify({ kind: FILE_KIND, version: FILE_VERSION, ...days });
  await writeOwnFile(file, [Buffer.from(body, "utf8")], {
    bytes: FILE_MARK.length,
    isOurs: (head) => head.toString("latin1") === FILE_MARK,
    what: "a MiMo Usage account file",
  });
}
