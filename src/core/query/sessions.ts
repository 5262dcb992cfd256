import { localDate } from "../views/calendar";
import { sessionInRange } from "../views/range-totals";
import { sessionClient, sessionClients } from "../views/client-split";
import type { SessionRecord, Snapshot } from "../views/schema";
import type { ClientName } from "../scan/clients/names";

export { sessionClient, sessionClients };

/**
 * Which sessions a list shows: those of a period, of a day (the history opens the list on one), or
 * of one client; the session list and the history ask the same rule of a session's activity.
 */

/** A period, a day (from the history), or one client's sessions of every period (`client:opencode`). */
export type SessionFilter = "today" | "week" | "all" | "day" | `client:${ClientName}`;

export function filterSessions(
  sessions: SessionRecord[],
  snapshot: Snapshot,
  filter: SessionFilter,
  day?: string,
): SessionRecord[] {
  if (filter === "all") return sessions;
  if (filter === "day") {
    if (!day) return sessions;
    const range = { from: day, to: day };
    return sessions.filter((s) => sessionInRange(s, range, snapshot.timeZone, snapshot.slotMs).presence !== "out");
  }
  if (filter.startsWith("client:")) return sessions.filter((s) => `client:${sessionClient(s)}` === filter);
  const from = filter === "today" ? snapshot.windows.today : snapshot.windows.weekFrom;
  return sessions.filter((s) => localDate(Date.parse(s.lastAt), snapshot.timeZone) >= from);
}
