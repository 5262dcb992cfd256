import { formatTokens } from "../format";
import { CLIENT_TITLES, type ClientName } from "../scan/clients/names";
import { inRange, type DateRange } from "./calendar";
import type { DayRow, SessionRecord, Snapshot } from "./schema";

/**
 * Each window's split by client in words ("Claude Code 1.2M · OpenCode 300K"), for the menu, the
 * summary and the AI tools alike.
 */

export type WindowName = "today" | "week" | "lifetime";

/** True once any client other than Claude Code has counted something: only then is a split worth showing. */
export function hasOtherClients(snapshot: Snapshot): boolean {
  return snapshot.clients.some((c) => c.name !== "claude-code" && c.lifetime.total > 0);
}

/** The clients with tokens in the window, in the fixed client order; null when there is no split to show. */
export function clientSplit(snapshot: Snapshot, window: WindowName): string | null {
  if (!hasOtherClients(snapshot)) return null;
  const parts = snapshot.clients
    .filter((c) => c[window].total > 0)
    .map((c) => `${CLIENT_TITLES[c.name]} ${formatTokens(c[window].total)}`);
  return parts.length > 0 ? parts.join(" · ") : null;
}

/** The other clients the snapshot's refresh read (Claude Code aside), by name. */
export function otherClientsRead(snapshot: Pick<Snapshot, "clients">): string[] {
  return (snapshot.clients ?? []).filter((c) => c.read && c.name !== "claude-code").map((c) => c.name);
}

/** A session's client; sessions from before other clients were read are Claude Code's. */
export function sessionClient(session: SessionRecord): ClientName {
  return session.client ?? "claude-code";
}

/** The clients that have sessions in the snapshot, in the fixed client order. */
export function sessionClients(snapshot: Snapshot): ClientName[] {
  const present = new Set(snapshot.sessions.map(sessionClient));
  return snapshot.clients.map((c) => c.name).filter((name) => present.has(name));
}

/** Tokens per client over a date range, from the day rows (a day without a split is all Claude Code's). */
export function clientTokensInRange(days: DayRow[], range: DateRange): Map<ClientName, number> {
  const totals = new Map<ClientName, number>();
  const add = (name: ClientName, n: number) => totals.set(name, (totals.get(name) ?? 0) + n);
  for (const day of days) {
    if (!inRange(day.date, range)) continue;
    if (!day.clients) add("claude-code", day.total);
    else for (const [name, n] of Object.entries(day.clients) as [ClientName, number][]) add(name, n);
  }
  return totals;
}
