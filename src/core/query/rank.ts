import type { DateRange } from "../views/calendar";
import { sessionClient } from "../views/client-split";
import { sessionInRange } from "../views/range-totals";
import type { SessionRecord, Snapshot } from "../views/schema";
import type { ClientName } from "../scan/clients/names";
import { sumCredits, type CreditFigures } from "../rates";

/**
 * The rules that pick and rank, asked by every screen, tool and the command line alike: which day was
 * the busiest, which sessions and projects used the most. Each rule is written once here, so the
 * history, the AI tools and the CLI cannot disagree about a tie.
 */

/** The day with the most tokens; on a tie, the latest. Null when no day of the rows has use. */
export function busiestDay<T extends { date: string; total: number }>(days: readonly T[]): T | null {
  let best: T | null = null;
  for (const day of days) {
    if (day.total > 0 && (!best || day.total > best.total || (day.total === best.total && day.date > best.date)))
      best = day;
  }
  return best;
}

/** A session with its part of a range. */
export interface RankedSession {
  session: SessionRecord;
  /** Tokens of the range, from the session's activity series. */
  tokens: number;
  /** True when a merged point straddles the range's edge, so `tokens` may be off by part of it. */
  approximate: boolean;
}

/**
 * Sessions active in the range (of one client, or all), most tokens first; ties go to the most
 * recent, then by id, so the order is stable. A session counts when it may have had a message in the
 * range, even if that message carried no tokens.
 */
export function rankSessions(snapshot: Snapshot, range: DateRange, client: ClientName | null = null): RankedSession[] {
  const sessions = client ? snapshot.sessions.filter((s) => sessionClient(s) === client) : snapshot.sessions;
  const active: RankedSession[] = [];
  for (const session of sessions) {
    const activity = sessionInRange(session, range, snapshot.timeZone, snapshot.slotMs);
    if (activity.presence === "out") continue;
    active.push({ session, tokens: activity.tokens, approximate: activity.approximate });
  }
  return active.sort(bySessionRank);
}

export interface RankedProject {
  /** The sessions' working folder, or null when no line carried one. */
  project: string | null;
  /** Its sessions active in the range, ranked as `rankSessions` ranks them. */
  sessions: RankedSession[];
  /** Tokens of the range. */
  tokens: number;
  /** Whole-session figures of those sessions, including any outside the range. */
  sessionsTotal: number;
  sessionsCredits: CreditFigures;
  lastAt: string;
}

/** Projects (working folders) of the active sessions, ranked by the same rule as sessions. */
export function rankProjects(snapshot: Snapshot, range: DateRange, client: ClientName | null = null): RankedProject[] {
  const groups = new Map<string | null, RankedSession[]>();
  for (const entry of rankSessions(snapshot, range, client)) {
    const group = groups.get(entry.session.project);
    if (group) group.push(entry);
    else groups.set(entry.session.project, [entry]);
  }
  return [...groups.entries()]
    .map(([project, sessions]) => ({
      project,
      sessions,
      tokens: sessions.reduce((n, entry) => n + entry.tokens, 0),
      sessionsTotal: sessions.reduce((n, entry) => n + entry.session.total, 0),
      sessionsCredits: sumCredits(sessions.map((entry) => entry.session)),
      lastAt: sessions.map((entry) => entry.session.lastAt).reduce((a, b) => (a > b ? a : b)),
    }))
    .sort((a, b) => b.tokens - a.tokens || compareDesc(a.lastAt, b.lastAt) || compareProject(a.project, b.project));
}

function bySessionRank(a: RankedSession, b: RankedSession): number {
  return (
    b.tokens - a.tokens ||
    compareDesc(a.session.lastAt, b.session.lastAt) ||
    compareDesc(b.session.sessionId, a.session.sessionId)
  );
}

function compareDesc(a: string, b: string): number {
  return a < b ? 1 : a > b ? -1 : 0;
}

function compareProject(a: string | null, b: string | null): number {
  if (a === b) return 0;
  if (a === null) return 1;
  if (b === null) return -1;
  return a < b ? -1 : 1;
}
