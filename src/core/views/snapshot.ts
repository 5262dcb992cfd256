import { localDate, slotDateLookup, slotInstantLookup, weekStartOf } from "./calendar";
import { creditsOfTenths } from "../rates";
import { CLIENT_NAMES, isClientName, type ClientName } from "../scan/clients/names";
import {
  Figures,
  tallyCells,
  type CellTallies,
  type Group,
  type HourTally,
  type SessionTallies,
  getOrCreate,
} from "./snapshot-tally";
import type {
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

export function buildSnapshot(state: UsageState, options: SnapshotOptions): Omit<Snapshot, "warnings"> {
  const { timeZone } = options;
  const nowMs = options.now.getTime();
  const today = localDate(nowMs, timeZone);
  const weekFrom = weekStartOf(today, options.weekStart);
  const clientOf = sessionClients(state);
  const tallies = tallyCells(state, {
    dateOfSlot: slotDateLookup(timeZone, SLOT_MS),
    today,
    weekFrom,
    nowMs,
    hoursFrom: nowMs - HOURS_KEPT_DAYS * 86_400_000,
    clientOf,
    withSessions: options.sessions ?? true,
  });
  const windows = windowsOf(tallies, today, weekFrom);
  const byClient = clientWindowsOf(tallies, clientOf, today, weekFrom);

  const sortedDays = [...tallies.days.entries()].sort(([a], [b]) => (a < b ? -1 : 1));
  const dayRows: DayRow[] = sortedDays.map(([date, groups]) => {
    const day = sumOf(groups);
    return { date, ...day.figures(), messages: day.messages, ...dayClientsOf(groups) };
  });

  // A model's first group is its first cell, so rows with equal totals keep the order they came in.
  const modelRows: ModelRow[] = [...sumBy(tallies.groups, (group) => group.model)]
    .map(([index, t]) => ({ model: state.models[index], ...t.figures(), messages: t.messages }))
    .sort((a, b) => b.total - a.total);

  const dayModelRows: DayModelRow[] = sortedDays.flatMap(([date, groups]) =>
    [...sumBy(groups, (group) => group.model)]
      .map(([index, t]) => ({ date, model: state.models[index], ...t.figures(), messages: t.messages }))
      .sort((a, b) => b.total - a.total || (a.model < b.model ? -1 : 1)),
  );

  const dayClientRows = dayClientRowsOf(sortedDays, byClient);
  // Per date × client × model only when a client besides Claude Code has sessions: one-client users
  // pay nothing for it, and their dayModels rows already are that split.
  const dayClientModelRows: DayClientModelRow[] = clientOf.some((name) => name !== "claude-code")
    ? sortedDays.flatMap(([date, groups]) =>
        groups
          .map(({ client, model, figures: t }) => ({
            date,
            client,
            model: state.models[model],
            ...t.figures(),
            messages: t.messages,
          }))
          .sort(
            (a, b) =>
              b.total - a.total || (a.model < b.model ? -1 : a.model > b.model ? 1 : a.client < b.client ? -1 : 1),
          ),
      )
    : [];

  const sessionRows = tallies.sessions ? sessionRowsOf(state, tallies.sessions, clientOf) : [];

  return {
    version: 2,
    updatedAt: options.now.toISOString(),
    timeZone,
    weekStart: options.weekStart,
    slotMs: SLOT_MS,
    roots: options.roots,
    today: windows.today,
    week: windows.week,
    lifetime: windows.lifetime,
    windows: { today, weekFrom, lifetimeFrom: dayRows[0]?.date ?? null },
    vanished: vanishedOf(state),
    lastActivity: lastActivityOf(latestPastSession(state, tallies.counted.lifetime, nowMs), tallies.latestPastSlot),
    days: dayRows,
    models: modelRows,
    dayModels: dayModelRows,
    dayClients: dayClientRows,
    dayClientModels: dayClientModelRows,
    hours: hourRowsOf(tallies.hours),
    sessions: sessionRows,
    clients: clientRows(options, byClient),
    stats: options.stats,
  };
}

/** The figures of today, this week and lifetime, each with how many sessions counted in it. */
type Windows = Record<"today" | "week" | "lifetime", WindowTotals>;

function windowsOf(tallies: CellTallies, today: string, weekFrom: string): Windows {
  return windowsOfGroups(tallies.groups, today, weekFrom, {
    today: countOf(tallies.counted.today),
    week: countOf(tallies.counted.week),
    lifetime: countOf(tallies.counted.lifetime),
  });
}

/** Each client's windows, for the clients that counted anything (a session has one client). */
function clientWindowsOf(
  tallies: CellTallies,
  clientOf: readonly ClientName[],
  today: string,
  weekFrom: string,
): Map<ClientName, Windows> {
  const groupsOf = new Map<ClientName, Group[]>();
  for (const group of tallies.groups) getOrCreate(groupsOf, group.client, () => []).push(group);
  const sessionsOf = new Map<ClientName, Record<keyof Windows, number>>();
  const { counted } = tallies;
  for (let session = 0; session < clientOf.length; session++) {
    if (!counted.lifetime[session]) continue;
    const n = getOrCreate(sessionsOf, clientOf[session], () => ({ today: 0, week: 0, lifetime: 0 }));
    n.lifetime++;
    n.week += counted.week[session];
    n.today += counted.today[session];
  }
  const out = new Map<ClientName, Windows>();
  for (const [client, groups] of groupsOf)
    out.set(client, windowsOfGroups(groups, today, weekFrom, sessionsOf.get(client) ?? EMPTY_COUNTS));
  return out;
}

const EMPTY_COUNTS = { today: 0, week: 0, lifetime: 0 };

function windowsOfGroups(
  groups: readonly Group[],
  today: string,
  weekFrom: string,
  sessions: Record<keyof Windows, number>,
): Windows {
  const todayFigures = new Figures();
  const week = new Figures();
  const lifetime = new Figures();
  for (const group of groups) {
    lifetime.addFigures(group.figures);
    if (group.date < weekFrom || group.date > today) continue;
    week.addFigures(group.figures);
    if (group.date === today) todayFigures.addFigures(group.figures);
  }
  return {
    today: windowOf(todayFigures, sessions.today),
    week: windowOf(week, sessions.week),
    lifetime: windowOf(lifetime, sessions.lifetime),
  };
}

function windowOf(figures: Figures, sessions: number): WindowTotals {
  return { ...figures.figures(), messages: figures.messages, sessions };
}

function countOf(marks: Uint8Array): number {
  let n = 0;
  for (let i = 0; i < marks.length; i++) n += marks[i];
  return n;
}

function sumOf(groups: readonly Group[]): Figures {
  const sum = new Figures();
  for (const group of groups) sum.addFigures(group.figures);
  return sum;
}

/** Groups summed per key, keys in the order their first group came. */
function sumBy<K>(groups: readonly Group[], keyOf: (group: Group) => K): Map<K, Figures> {
  const sums = new Map<K, Figures>();
  for (const group of groups) getOrCreate(sums, keyOf(group), () => new Figures()).addFigures(group.figures);
  return sums;
}

/** The newest counted session's last line that is not in the future (see lastActivityOf). */
function latestPastSession(state: UsageState, counted: Uint8Array, nowMs: number): number | null {
  let latest: number | null = null;
  for (let session = 0; session < counted.length; session++) {
    if (!counted[session]) continue;
    const lastAt = state.sessions[session].lastAt;
    if (lastAt <= nowMs && (latest === null || lastAt > latest)) latest = lastAt;
  }
  return latest;
}

/** Each session's client, checked once per snapshot (a state may name a client this build does not know). */
function sessionClients(state: UsageState): ClientName[] {
  return state.sessions.map((meta) => (isClientName(meta.client) ? meta.client : "claude-code"));
}

/** A day's tokens per client, only on days another client than Claude Code counted something. */
function dayClientsOf(groups: readonly Group[]): Pick<DayRow, "clients"> {
  if (groups.every((group) => group.client === "claude-code")) return {};
  // In the order each client's first cell of the day came, as the JSON always had it.
  const totals = new Map<ClientName, number>();
  for (const group of groups) totals.set(group.client, (totals.get(group.client) ?? 0) + group.figures.total);
  return { clients: Object.fromEntries(totals) };
}

/**
 * Each day's figures per client, for the history's client filter. Left empty while Claude Code is the
 * only client that counted anything: the day rows are then its rows, and one-client users' snapshots
 * do not grow.
 */
function dayClientRowsOf(days: [string, Group[]][], byClient: Map<ClientName, unknown>): DayClientRow[] {
  if ([...byClient.keys()].every((name) => name === "claude-code")) return [];
  return days.flatMap(([date, groups]) => {
    const perClient = sumBy(groups, (group) => group.client);
    return CLIENT_NAMES.flatMap((client) => {
      const t = perClient.get(client);
      if (!t) return [];
      return [{ date, client, ...t.figures(), messages: t.messages }];
    });
  });
}

function hourRowsOf(hours: Map<number, HourTally>): HourRow[] {
  return [...hours.entries()]
    .sort(([a], [b]) => a - b)
    .map(([at, t]) => ({ at, total: t.total, credits: creditsOfTenths(t.tenths), uncreditedTokens: t.uncredited }));
}

/** Claude Code first (found when any configured folder exists), then the other clients as found. */
function clientRows(options: SnapshotOptions, byClient: Map<ClientName, Windows>): ClientTotals[] {
  const claude: ClientReport = {
    name: "claude-code",
    path: options.roots[0]?.path ?? "",
    found: options.roots.some((root) => root.exists),
    read: options.roots.length > 0,
  };
  const empty = windowOf(new Figures(), 0);
  return [claude, ...(options.clients ?? [])].map((report) => {
    const totals = byClient.get(report.name);
    return {
      ...report,
      today: totals?.today ?? empty,
      week: totals?.week ?? empty,
      lifetime: totals?.lifetime ?? empty,
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

/** Each session's row, newest first; rows with the same last line keep the order their first cells came in. */
function sessionRowsOf(state: UsageState, sessions: SessionTallies, clientOf: readonly ClientName[]): SessionRecord[] {
  const instantOf = slotInstantLookup(SLOT_MS);
  return [...sessions.bySession.entries()]
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
        models: s.models.map((m) => state.models[m]).sort(),
        messages: s.figures.messages,
        ...s.figures.figures(),
        ...seriesOf(s.rows, state.cells.slot, sessions, instantOf),
      };
    })
    .sort((a, b) => (a.lastAt < b.lastAt ? 1 : a.lastAt > b.lastAt ? -1 : 0));
}

/**
 * A session's chart: its cells' totals and Credits per slot, in at most MAX_SERIES_POINTS points.
 * Cells of one slot (one per model) land in the same point, so they need no merging first.
 */
function seriesOf(
  rows: number[],
  slotOf: readonly number[],
  { cellTotals, cellTenths }: SessionTallies,
  instantOf: (slot: number) => string,
): Pick<SessionRecord, "series" | "seriesStepMs"> {
  if (rows.length === 0) return { series: [], seriesStepMs: SLOT_MS };
  // Counting order is mostly time order; a sub-agent's or a resumed session's cells may come later.
  for (let i = 1; i < rows.length; i++) {
    if (slotOf[rows[i - 1]] > slotOf[rows[i]]) {
      rows.sort((a, b) => slotOf[a] - slotOf[b]);
      break;
    }
  }
  const first = slotOf[rows[0]];
  const step = Math.max(1, Math.ceil((slotOf[rows[rows.length - 1]] - first + 1) / MAX_SERIES_POINTS));
  const series: SessionRecord["series"] = [];
  let last = NaN;
  let tenths = 0;
  for (const row of rows) {
    const bucket = first + Math.floor((slotOf[row] - first) / step) * step;
    // Buckets come in order, so a cell joins the last point or starts the next.
    if (bucket === last) {
      series[series.length - 1].total += cellTotals[row];
      tenths += cellTenths[row];
    } else {
      if (series.length) series[series.length - 1].credits = creditsOfTenths(tenths);
      series.push({ at: instantOf(bucket), total: cellTotals[row], credits: 0 });
      tenths = cellTenths[row];
    }
    last = bucket;
  }
  series[series.length - 1].credits = creditsOfTenths(tenths);
  return { series, seriesStepMs: step * SLOT_MS };
}
