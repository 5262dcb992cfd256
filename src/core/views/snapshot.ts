import { localDate, slotDateLookup, slotInstantLookup, weekStartOf } from "./calendar";
import { CreditTally, creditsOfTenths, tenthsOf, tenthsRateFor } from "../rates";
import { CLIENT_NAMES, isClientName, type ClientName } from "../scan/clients/names";
import type {
  Buckets,
  ClientReport,
  ClientTotals,
  DayClientModelRow,
  DayClientRow,
  DayModelRow,
  DayRow,
  HourRow,
  ModelRow,
  RootReport,
  ScanStats,
  SessionRecord,
  Snapshot,
  WeekStart,
  WindowTotals,
} from "./schema";
import { SLOT_MS, type UsageState } from "../ledger/state";

/**
 * Turns the persisted cells (tokens per 15-minute slot × session × model) into what people read:
 * today / this week / lifetime, a day series, models and sessions. Cells are stored in UTC slots, so
 * the time zone and week start are applied here and can change without a rescan.
 */

export interface SnapshotOptions {
  now: Date;
  timeZone: string;
  weekStart: WeekStart;
  roots: RootReport[];
  stats: ScanStats;
  /** The other clients as the refresh found them (Claude Code's report comes from the roots). */
  clients?: ClientReport[];
  /**
   * Whether to build the per-session rows with their series. The menu bar shows none, and years of
   * sessions are most of a snapshot's size and build time.
   */
  sessions?: boolean;
}

/** At most this many points in a session's chart; longer sessions are drawn in coarser steps. */
const MAX_SERIES_POINTS = 96;

/** Hours kept for "since an instant": a 30-day plan period, the answer before it, and room to spare. */
export const HOURS_KEPT_DAYS = 62;
const HOUR_MS = 3_600_000;

type TenthsRate = ReturnType<typeof tenthsRateFor>;

class Totals {
  input = 0;
  output = 0;
  cacheRead = 0;
  cacheWrite = 0;
  messages = 0;
  readonly credits = new CreditTally();
  /** Kept only for windows: rows (days, models, a session's own totals) show no session count. */
  private readonly sessions: Set<number> | null;

  constructor(countSessions: boolean) {
    this.sessions = countSessions ? new Set<number>() : null;
  }

  add(tokens: Buckets, messages: number, session: number, rate: TenthsRate): void {
    this.input += tokens.input;
    this.output += tokens.output;
    this.cacheRead += tokens.cacheRead;
    this.cacheWrite += tokens.cacheWrite;
    this.messages += messages;
    this.sessions?.add(session);
    this.credits.add(rate, tokens);
  }

  get total(): number {
    return this.input + this.output + this.cacheRead + this.cacheWrite;
  }

  window(): WindowTotals {
    return { ...this.figures(), messages: this.messages, sessions: this.sessions?.size ?? 0 };
  }

  /** Buckets, total and Credits: what every row carries. */
  figures(): Buckets & { total: number; credits: number; uncreditedTokens: number } {
    return {
      input: this.input,
      output: this.output,
      cacheRead: this.cacheRead,
      cacheWrite: this.cacheWrite,
      total: this.total,
      ...this.credits.figures(),
    };
  }
}

export function buildSnapshot(state: UsageState, options: SnapshotOptions): Omit<Snapshot, "warnings"> {
  const { timeZone } = options;
  const today = localDate(options.now.getTime(), timeZone);
  const weekFrom = weekStartOf(today, options.weekStart);
  const dateOfSlot = slotDateLookup(timeZone, SLOT_MS);
  const instantOf = slotInstantLookup(SLOT_MS);

  const todayTotals = new Totals(true);
  const weekTotals = new Totals(true);
  const lifetime = new Totals(true);
  const days = new Map<string, DayTallies>();
  const models = new Map<number, Totals>();
  const sessions = new Map<number, { totals: Totals; models: Set<number>; slots: SlotTallies }>();
  const hours = new Map<number, Totals>();
  const byClient = new Map<ClientName, { today: Totals; week: Totals; lifetime: Totals }>();
  const clientOf = sessionClients(state);
  // Per date × client × model only when a client besides Claude Code has sessions: one-client users
  // pay nothing for it, and their dayModels rows already are that split.
  const clientIndexOf = clientOf.some((name) => name !== "claude-code")
    ? clientOf.map((name) => CLIENT_NAMES.indexOf(name))
    : null;
  const withSessions = options.sessions ?? true;
  let lastActivityMs: number | null = null;
  // The latest activity that is not in the future (see lastActivityOf).
  const nowMs = options.now.getTime();
  const hoursFrom = nowMs - HOURS_KEPT_DAYS * 86_400_000;
  let runHour = NaN;
  let runHourTotals = new Totals(false);
  let latestPastSlot = -Infinity;

  // Cells come in counting order, so rows in a run mostly share their date, model and session:
  // what depends only on those is looked up when it changes, not on every row.
  let runDate = "";
  let runDay = newDayTallies();
  let inToday = false;
  let inWeek = false;
  let rateModel = -1;
  let rateDate = "";
  let rate: TenthsRate = null;
  const c = state.cells;
  for (let row = 0; row < c.slot.length; row++) {
    const messages = c.messages[row];
    if (messages === 0) continue;
    const slot = c.slot[row];
    if (slot * SLOT_MS <= nowMs && slot > latestPastSlot) latestPastSlot = slot;
    const session = c.session[row];
    const modelIndex = c.model[row];
    const date = dateOfSlot(slot);
    if (date !== runDate) {
      runDate = date;
      runDay = getOrCreate(days, date, newDayTallies);
      inToday = date === today;
      inWeek = date >= weekFrom && date <= today;
    }
    if (modelIndex !== rateModel || date !== rateDate) {
      rateModel = modelIndex;
      rateDate = date;
      rate = tenthsRateFor(state.models[modelIndex], date);
    }
    const tokens: Buckets = {
      input: c.input[row],
      output: c.output[row],
      cacheRead: c.cacheRead[row],
      cacheWrite: c.cacheWrite[row],
    };
    lifetime.add(tokens, messages, session, rate);
    if (inToday) todayTotals.add(tokens, messages, session, rate);
    if (inWeek) weekTotals.add(tokens, messages, session, rate);
    runDay.totals.add(tokens, messages, session, rate);
    getOrCreate(models, modelIndex, () => new Totals(false)).add(tokens, messages, session, rate);
    const clientName = clientOf[session];
    const client = getOrCreate(byClient, clientName, () => ({
      today: new Totals(true),
      week: new Totals(true),
      lifetime: new Totals(true),
    }));
    client.lifetime.add(tokens, messages, session, rate);
    getOrCreate(runDay.clients, clientName, () => new Totals(false)).add(tokens, messages, session, rate);
    if (inToday) client.today.add(tokens, messages, session, rate);
    if (inWeek) client.week.add(tokens, messages, session, rate);
    getOrCreate(runDay.models, modelIndex, () => new Totals(false)).add(tokens, messages, session, rate);
    if (clientIndexOf) {
      const key = modelIndex * CLIENT_NAMES.length + clientIndexOf[session];
      getOrCreate(runDay.clientModels, key, () => new Totals(false)).add(tokens, messages, session, rate);
    }
    const slotAt = slot * SLOT_MS;
    if (slotAt >= hoursFrom) {
      const hour = slotAt - (slotAt % HOUR_MS);
      if (hour !== runHour) {
        runHour = hour;
        runHourTotals = getOrCreate(hours, hour, () => new Totals(false));
      }
      runHourTotals.add(tokens, messages, session, rate);
    }
    const lastAt = state.sessions[session].lastAt;
    if (lastAt <= nowMs && (lastActivityMs === null || lastAt > lastActivityMs)) lastActivityMs = lastAt;
    if (!withSessions) continue;
    const perSession = getOrCreate(sessions, session, () => ({
      totals: new Totals(false),
      models: new Set<number>(),
      slots: { at: new Map<number, number>(), totals: [], tenths: [] },
    }));
    perSession.totals.add(tokens, messages, session, rate);
    perSession.models.add(modelIndex);
    const slots = perSession.slots;
    let at = slots.at.get(slot);
    if (at === undefined) {
      at = slots.totals.length;
      slots.at.set(slot, at);
      slots.totals.push(0);
      slots.tenths.push(0);
    }
    slots.totals[at] += tokens.input + tokens.output + tokens.cacheRead + tokens.cacheWrite;
    if (rate) slots.tenths[at] += tenthsOf(rate, tokens);
  }

  const sortedDays = [...days.entries()].sort(([a], [b]) => (a < b ? -1 : 1));
  const dayRows: DayRow[] = sortedDays.map(([date, { totals: t, clients }]) => ({
    date,
    ...t.figures(),
    messages: t.messages,
    ...dayClientsOf(clients),
  }));

  const modelRows: ModelRow[] = [...models.entries()]
    .map(([index, t]) => ({
      model: state.models[index],
      ...t.figures(),
      messages: t.messages,
    }))
    .sort((a, b) => b.total - a.total);

  const dayModelRows: DayModelRow[] = sortedDays.flatMap(([date, { models: perModel }]) =>
    [...perModel.entries()]
      .map(([index, t]) => ({
        date,
        model: state.models[index],
        ...t.figures(),
        messages: t.messages,
      }))
      .sort((a, b) => b.total - a.total || (a.model < b.model ? -1 : 1)),
  );

  const dayClientRows = dayClientRowsOf(sortedDays, byClient);
  const dayClientModelRows: DayClientModelRow[] = sortedDays.flatMap(([date, { clientModels }]) =>
    [...clientModels.entries()]
      .map(([key, t]) => ({
        date,
        client: CLIENT_NAMES[key % CLIENT_NAMES.length],
        model: state.models[Math.floor(key / CLIENT_NAMES.length)],
        ...t.figures(),
        messages: t.messages,
      }))
      .sort(
        (a, b) => b.total - a.total || (a.model < b.model ? -1 : a.model > b.model ? 1 : a.client < b.client ? -1 : 1),
      ),
  );

  const sessionRows: SessionRecord[] = [...sessions.entries()]
    .map(([index, s]) => {
      const meta = state.sessions[index];
      return {
        sessionId: meta.id,
        client: clientOf[index],
        project: meta.cwd,
        file: transcriptIfPresent(state, meta.file),
        summary: meta.summary,
        firstAt: new Date(meta.firstAt).toISOString(),
        lastAt: new Date(meta.lastAt).toISOString(),
        models: [...s.models].map((m) => state.models[m]).sort(),
        messages: s.totals.messages,
        ...s.totals.figures(),
        ...seriesOf(s.slots, instantOf),
      };
    })
    .sort((a, b) => (a.lastAt < b.lastAt ? 1 : a.lastAt > b.lastAt ? -1 : 0));

  return {
    version: 2,
    updatedAt: options.now.toISOString(),
    timeZone,
    weekStart: options.weekStart,
    slotMs: SLOT_MS,
    roots: options.roots,
    today: todayTotals.window(),
    week: weekTotals.window(),
    lifetime: lifetime.window(),
    windows: { today, weekFrom, lifetimeFrom: dayRows[0]?.date ?? null },
    vanished: vanishedOf(state),
    lastActivity: lastActivityOf(lastActivityMs, latestPastSlot),
    days: dayRows,
    models: modelRows,
    dayModels: dayModelRows,
    dayClients: dayClientRows,
    dayClientModels: dayClientModelRows,
    hours: hourRowsOf(hours),
    sessions: sessionRows,
    clients: clientRows(options, byClient),
    stats: options.stats,
  };
}

/** Each session's client, checked once per snapshot (a state may name a client this build does not know). */
function sessionClients(state: UsageState): ClientName[] {
  return state.sessions.map((meta) => (isClientName(meta.client) ? meta.client : "claude-code"));
}

/** A day's tokens per client, only on days another client than Claude Code counted something. */
function dayClientsOf(perClient: Map<ClientName, Totals> | undefined): Pick<DayRow, "clients"> {
  if (!perClient || [...perClient.keys()].every((name) => name === "claude-code")) return {};
  return { clients: Object.fromEntries([...perClient].map(([name, t]) => [name, t.total])) };
}

/**
 * Each day's figures per client, for the history's client filter. Left empty while Claude Code is the
 * only client that counted anything: the day rows are then its rows, and one-client users' snapshots
 * do not grow.
 */
function dayClientRowsOf(days: [string, DayTallies][], byClient: Map<ClientName, unknown>): DayClientRow[] {
  if ([...byClient.keys()].every((name) => name === "claude-code")) return [];
  return days.flatMap(([date, { clients: perClient }]) =>
    CLIENT_NAMES.flatMap((client) => {
      const t = perClient.get(client);
      if (!t) return [];
      return [{ date, client, ...t.figures(), messages: t.messages }];
    }),
  );
}

function hourRowsOf(hours: Map<number, Totals>): HourRow[] {
  return [...hours.entries()]
    .sort(([a], [b]) => a - b)
    .map(([at, t]) => ({ at, total: t.total, ...t.credits.figures() }));
}

/** Claude Code first (found when any configured folder exists), then the other clients as found. */
function clientRows(
  options: SnapshotOptions,
  byClient: Map<ClientName, { today: Totals; week: Totals; lifetime: Totals }>,
): ClientTotals[] {
  const claude: ClientReport = {
    name: "claude-code",
    path: options.roots[0]?.path ?? "",
    found: options.roots.some((root) => root.exists),
    read: options.roots.length > 0,
  };
  return [claude, ...(options.clients ?? [])].map((report) => {
    const totals = byClient.get(report.name);
    const empty = new Totals(true);
    return {
      ...report,
      today: (totals?.today ?? empty).window(),
      week: (totals?.week ?? empty).window(),
      lifetime: (totals?.lifetime ?? empty).window(),
    };
  });
}

/**
 * The newest session's last line, unless a clock was wrong and that lies in the future: "last
 * activity" then falls back to the latest 15-minute slot that has begun, never after now.
 */
function lastActivityOf(latestPastSession: number | null, latestPastSlot: number): string | null {
  if (latestPastSlot === -Infinity)
    return latestPastSession === null ? null : new Date(latestPastSession).toISOString();
  const slotAt = latestPastSlot * SLOT_MS;
  return new Date(latestPastSession !== null && latestPastSession > slotAt ? latestPastSession : slotAt).toISOString();
}

/**
 * Responses dated in a 15-minute slot after the current one (a wrong clock, an edited file):
 * counted, but worth a word. Counted from the cells, so a date that has since passed stops counting.
 */
export function futureDated(state: UsageState, now: Date): { messages: number } {
  const nowSlot = Math.floor(now.getTime() / SLOT_MS);
  let messages = 0;
  const c = state.cells;
  for (let row = 0; row < c.slot.length; row++) if (c.slot[row] > nowSlot) messages += c.messages[row];
  return { messages };
}

/** A session whose transcript Claude Code deleted keeps its figures but has no file to open. */
function transcriptIfPresent(state: UsageState, file: string | null): string | null {
  if (!file) return null;
  const index = state.fileByPath(file);
  return index >= 0 && state.files[index].gone ? null : file;
}

function vanishedOf(state: UsageState): Snapshot["vanished"] {
  let files = 0;
  let messages = 0;
  let total = 0;
  for (const file of state.files) {
    if (!file.gone || file.messages === 0) continue;
    files++;
    messages += file.messages;
    total += file.tokens;
  }
  return { files, messages, total };
}

/**
 * A session's tokens per slot, and their Credits in tenths (exact, as rates.ts adds them): `at` maps a
 * slot to its place in the two columns, so a row adds to numbers in place instead of making an object.
 */
interface SlotTallies {
  at: Map<number, number>;
  totals: number[];
  tenths: number[];
}

function seriesOf(
  slots: SlotTallies,
  instantOf: (slot: number) => string,
): Pick<SessionRecord, "series" | "seriesStepMs"> {
  if (slots.at.size === 0) return { series: [], seriesStepMs: SLOT_MS };
  // A typed array sorts numbers natively; a session list sorts hundreds of these.
  const sorted = Float64Array.from(slots.at.keys()).sort();
  const first = sorted[0];
  const step = Math.max(1, Math.ceil((sorted[sorted.length - 1] - first + 1) / MAX_SERIES_POINTS));
  const series: SessionRecord["series"] = [];
  let last = NaN;
  let tenths = 0;
  for (const slot of sorted) {
    const index = slots.at.get(slot) as number;
    const bucket = first + Math.floor((slot - first) / step) * step;
    // Buckets come in order, so a slot joins the last point or starts the next.
    if (bucket === last) {
      series[series.length - 1].total += slots.totals[index];
      tenths += slots.tenths[index];
    } else {
      if (series.length) series[series.length - 1].credits = creditsOfTenths(tenths);
      series.push({ at: instantOf(bucket), total: slots.totals[index], credits: 0 });
      tenths = slots.tenths[index];
    }
    last = bucket;
  }
  series[series.length - 1].credits = creditsOfTenths(tenths);
  return { series, seriesStepMs: step * SLOT_MS };
}

/** One day's figures: in all, per client, per model and per client × model (model × clients + client). */
interface DayTallies {
  totals: Totals;
  clients: Map<ClientName, Totals>;
  models: Map<number, Totals>;
  clientModels: Map<number, Totals>;
}

function newDayTallies(): DayTallies {
  return { totals: new Totals(false), clients: new Map(), models: new Map(), clientModels: new Map() };
}

function getOrCreate<K, V>(map: Map<K, V>, key: K, make: () => V): V {
  let value = map.get(key);
  if (value === undefined) {
    value = make();
    map.set(key, value);
  }
  return value;
}
