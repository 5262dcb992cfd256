import { creditsOfTenths, tenthsOf, tenthsOfCounts, tenthsRateFor } from "../rates";
import { CLIENT_NAMES, type ClientName } from "../scan/clients/names";
import { SLOT_MS, type UsageState } from "../ledger/state";
import type { Buckets } from "../types";

/**
 * What the snapshot sums from the cells. A cell adds its tokens to one group, its local date ×
 * client × model, and marks its session as counted in the windows it falls in; every row of days,
 * models and windows is a sum of groups, and a group's Credits are worked out once, from its summed
 * tokens at the rate of its model and date. Only the hours of the last days and the sessions need a
 * cell's own Credits (an hour or a session can cross a date or a model), so only they convert cells.
 *
 * Exact all the same: tokens are whole numbers and every rate a whole number of tenths (rates.ts),
 * so a group's tenths are the very sum of its cells' tenths, and sums in any order are equal.
 */

type TenthsRate = NonNullable<ReturnType<typeof tenthsRateFor>>;

/** Tokens, messages and Credits (in tenths, with the tokens no rate covered) of any set of cells. */
export class Figures {
  input = 0;
  output = 0;
  cacheRead = 0;
  cacheWrite = 0;
  messages = 0;
  tenths = 0;
  uncredited = 0;

  get total(): number {
    return this.input + this.output + this.cacheRead + this.cacheWrite;
  }

  addFigures(other: Figures): void {
    this.input += other.input;
    this.output += other.output;
    this.cacheRead += other.cacheRead;
    this.cacheWrite += other.cacheWrite;
    this.messages += other.messages;
    this.tenths += other.tenths;
    this.uncredited += other.uncredited;
  }

  /** Buckets, total and Credits: what every row carries, in the order the JSON has always had. */
  figures(): Buckets & { total: number; credits: number; uncreditedTokens: number } {
    return {
      input: this.input,
      output: this.output,
      cacheRead: this.cacheRead,
      cacheWrite: this.cacheWrite,
      total: this.total,
      credits: creditsOfTenths(this.tenths),
      uncreditedTokens: this.uncredited,
    };
  }
}

/** One local date × client × model: the unit every row but hours and sessions is summed from. */
export interface Group {
  date: string;
  client: ClientName;
  model: number;
  figures: Figures;
}

/** An hour's tokens and Credits, for "since an instant". */
export interface HourTally {
  total: number;
  tenths: number;
  uncredited: number;
}

export interface SessionTally {
  figures: Figures;
  /** Its models (indexes into the state's), each once. */
  models: number[];
  /** Its cells (rows of the cell columns), in counting order. */
  rows: number[];
}

/** Per session, and each counted cell's total and Credits in tenths, for the sessions' series. */
export interface SessionTallies {
  /** In the order each session's first cell came. */
  bySession: Map<number, SessionTally>;
  cellTotals: Float64Array;
  cellTenths: Float64Array;
}

/** Which sessions counted something in a window: one byte a session, 1 when counted. */
export interface SessionMarks {
  today: Uint8Array;
  week: Uint8Array;
  lifetime: Uint8Array;
}

export interface CellTallies {
  /** Every group, in the order its first cell came (the order rows with equal totals keep). */
  groups: Group[];
  /** Each date's groups in that order, dates in the order their first cell came. */
  days: Map<string, Group[]>;
  /** Hours (UTC, epoch ms at the hour's start) from `hoursFrom` on. */
  hours: Map<number, HourTally>;
  /** Null unless asked for. */
  sessions: SessionTallies | null;
  counted: SessionMarks;
  /** The latest slot that has begun by now, -Infinity when none has. */
  latestPastSlot: number;
}

export interface TallyOptions {
  dateOfSlot: (slot: number) => string;
  today: string;
  weekFrom: string;
  nowMs: number;
  /** Hours are kept from this instant on. */
  hoursFrom: number;
  /** Each session's client. */
  clientOf: readonly ClientName[];
  withSessions: boolean;
}

const HOUR_MS = 3_600_000;

/**
 * Three passes over the cells, each small: a fresh process runs this once, mostly before V8 has
 * compiled it, and one loop doing all three jobs cost more to compile than to run. The first pass
 * notes each cell's group, so the other two find a cell's rate without dating its slot again.
 */
export function tallyCells(state: UsageState, options: TallyOptions): CellTallies {
  const counted: SessionMarks = {
    today: new Uint8Array(state.sessions.length),
    week: new Uint8Array(state.sessions.length),
    lifetime: new Uint8Array(state.sessions.length),
  };
  const { groups, days, latestPastSlot, groupOf } = groupCells(state, options, counted);
  const rates = groups.map(({ date, model, figures }) => {
    const rate = tenthsRateFor(state.models[model], date);
    // A group's Credits from its summed tokens: one conversion per group instead of one per cell.
    if (rate) figures.tenths = tenthsOf(rate, figures);
    else figures.uncredited = figures.total;
    return rate;
  });
  const cellRates: CellRates = { groupOf, rates };
  return {
    groups,
    days,
    hours: hourCells(state, options.hoursFrom, cellRates),
    sessions: options.withSessions ? sessionCells(state, cellRates) : null,
    counted,
    latestPastSlot,
  };
}

/** Each cell's group (-1 for a cell without messages, which counts nowhere) and each group's rate. */
interface CellRates {
  groupOf: Int32Array;
  rates: (TenthsRate | null)[];
}

/** Each cell's tokens into its date × client × model group, and its session marked in its windows. */
function groupCells(
  state: UsageState,
  options: TallyOptions,
  counted: SessionMarks,
): Pick<CellTallies, "groups" | "days" | "latestPastSlot"> & { groupOf: Int32Array } {
  const { dateOfSlot, today, weekFrom, nowMs, clientOf } = options;
  const clientIndexOf = clientOf.map((name) => CLIENT_NAMES.indexOf(name));
  const groups: Group[] = [];
  const days = new Map<string, Group[]>();
  const indexes = new Map<string, Map<number, number>>();
  const c = state.cells;
  const groupOf = new Int32Array(c.slot.length).fill(-1);
  const nowSlot = Math.floor(nowMs / SLOT_MS);
  let latestPastSlot = -Infinity;
  // Cells come in counting order, so rows in a run mostly share their date, client and model: the
  // group is looked up when one of them changes, not on every row.
  let runDate = "";
  let dayGroups: Group[] = [];
  let dayIndex = new Map<number, number>();
  let inToday = false;
  let inWeek = false;
  let runKey = -1;
  let runGroup = -1;
  let group = new Figures();
  for (let row = 0; row < c.slot.length; row++) {
    const messages = c.messages[row];
    if (messages === 0) continue;
    const slot = c.slot[row];
    if (slot <= nowSlot && slot > latestPastSlot) latestPastSlot = slot;
    const session = c.session[row];
    const date = dateOfSlot(slot);
    if (date !== runDate) {
      runDate = date;
      dayIndex = getOrCreate(indexes, date, () => new Map());
      dayGroups = getOrCreate(days, date, () => []);
      inToday = date === today;
      inWeek = date >= weekFrom && date <= today;
      runKey = -1;
    }
    const key = c.model[row] * CLIENT_NAMES.length + clientIndexOf[session];
    if (key !== runKey) {
      runKey = key;
      let found = dayIndex.get(key);
      if (found === undefined) {
        found = groups.length;
        const created = { date, client: clientOf[session], model: c.model[row], figures: new Figures() };
        dayIndex.set(key, found);
        dayGroups.push(created);
        groups.push(created);
      }
      runGroup = found;
      group = groups[found].figures;
    }
    groupOf[row] = runGroup;
    group.input += c.input[row];
    group.output += c.output[row];
    group.cacheRead += c.cacheRead[row];
    group.cacheWrite += c.cacheWrite[row];
    group.messages += messages;
    counted.lifetime[session] = 1;
    if (inWeek) {
      counted.week[session] = 1;
      if (inToday) counted.today[session] = 1;
    }
  }
  return { groups, days, latestPastSlot, groupOf };
}

/** The tokens and Credits of each hour from `hoursFrom` on, each cell converted at its own rate. */
function hourCells(state: UsageState, hoursFrom: number, { groupOf, rates }: CellRates): Map<number, HourTally> {
  const hours = new Map<number, HourTally>();
  const fromSlot = Math.ceil(hoursFrom / SLOT_MS);
  let runHour = NaN;
  let hour: HourTally = { total: 0, tenths: 0, uncredited: 0 };
  const c = state.cells;
  for (let row = 0; row < c.slot.length; row++) {
    const slot = c.slot[row];
    if (slot < fromSlot || groupOf[row] < 0) continue;
    const at = slot * SLOT_MS - ((slot * SLOT_MS) % HOUR_MS);
    if (at !== runHour) {
      runHour = at;
      hour = getOrCreate(hours, at, () => ({ total: 0, tenths: 0, uncredited: 0 }));
    }
    const total = c.input[row] + c.output[row] + c.cacheRead[row] + c.cacheWrite[row];
    const rate = rates[groupOf[row]];
    if (rate) hour.tenths += tenthsOfCounts(rate, c.input[row], c.output[row], c.cacheRead[row], c.cacheWrite[row]);
    else hour.uncredited += total;
    hour.total += total;
  }
  return hours;
}

/** Each session's figures, models and cells, each cell converted at its own rate. */
function sessionCells(state: UsageState, { groupOf, rates }: CellRates): SessionTallies {
  const c = state.cells;
  const bySession = new Map<number, SessionTally>();
  const cellTotals = new Float64Array(c.slot.length);
  const cellTenths = new Float64Array(c.slot.length);
  let runSession = -1;
  let tally: SessionTally = newSessionTally();
  for (let row = 0; row < c.slot.length; row++) {
    if (groupOf[row] < 0) continue;
    const session = c.session[row];
    if (session !== runSession) {
      runSession = session;
      tally = getOrCreate(bySession, session, newSessionTally);
    }
    const input = c.input[row];
    const output = c.output[row];
    const cacheRead = c.cacheRead[row];
    const cacheWrite = c.cacheWrite[row];
    const total = input + output + cacheRead + cacheWrite;
    const rate = rates[groupOf[row]];
    const own = tally.figures;
    own.input += input;
    own.output += output;
    own.cacheRead += cacheRead;
    own.cacheWrite += cacheWrite;
    own.messages += c.messages[row];
    if (rate) {
      cellTenths[row] = tenthsOfCounts(rate, input, output, cacheRead, cacheWrite);
      own.tenths += cellTenths[row];
    } else {
      own.uncredited += total;
    }
    cellTotals[row] = total;
    if (!tally.models.includes(c.model[row])) tally.models.push(c.model[row]);
    tally.rows.push(row);
  }
  return { bySession, cellTotals, cellTenths };
}

function newSessionTally(): SessionTally {
  return { figures: new Figures(), models: [], rows: [] };
}

/** The map's value for the key, made and kept on first use. */
export function getOrCreate<K, V>(map: Map<K, V>, key: K, make: () => V): V {
  let value = map.get(key);
  if (value === undefined) {
    value = make();
    map.set(key, value);
  }
  return value;
}
