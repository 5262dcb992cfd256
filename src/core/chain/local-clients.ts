import { applyClientEvents, clientEntryPath } from "../ledger/apply-clients";
import type { UsageState } from "../ledger/state";
import { locateClients } from "../scan/clients/locate";
import type { SqliteOptions } from "../scan/clients/sqlite";
import { OTHER_CLIENT_NAMES, type OtherClientName } from "../scan/clients/names";
import type { ClientReport } from "../views/schema";

/**
 * The other clients' part of a refresh: find each client, read what it added since its cursor, and
 * count it into the same state as Claude Code's transcripts. A client that fails to read reports a
 * warning and keeps its cursor; the rest of the refresh goes on.
 */

export interface ClientsConfig {
  /** Home folder and environment the clients' default places and overrides come from. */
  home: string;
  env: Readonly<Record<string, string | undefined>>;
  /** The clients to read: a list, or "found" for every client found. */
  enabled: OtherClientName[] | "found";
  sqlite?: SqliteOptions;
}

export interface ClientsRefresh {
  reports: ClientReport[];
  /** Bookkeeping entries of the clients, which are never "gone" like a deleted transcript. */
  entryPaths: string[];
  changed: boolean;
  warnings: string[];
}

export async function refreshClients(state: UsageState, config: ClientsConfig, now: Date): Promise<ClientsRefresh> {
  const result: ClientsRefresh = {
    reports: [],
    entryPaths: OTHER_CLIENT_NAMES.map(clientEntryPath),
    changed: false,
    warnings: [],
  };
  const locations = locateClients({ home: config.home, env: config.env });
  const wanted = (client: OtherClientName) => config.enabled === "found" || config.enabled.includes(client);
  const toRead = locations.filter((location) => location.found && wanted(location.client));
  for (const location of locations) {
    result.reports.push({
      name: location.client,
      path: location.path,
      found: location.found,
      read: toRead.includes(location),
    });
  }
  if (toRead.length === 0) return result;
  // The readers (and zod, which they parse with) load only when there is something to read.
  const { readClient } = await import("../scan/clients");
  for (const location of toRead) {
    const before = JSON.stringify(state.clientCursors[location.client] ?? null);
    const read = await readClient(location, state.clientCursors, { now: now.getTime(), sqlite: config.sqlite });
    result.warnings.push(...read.problems);
    const counted = applyClientEvents(state, location.client, read.events, read.skipped);
    state.clientCursors[location.client] = read.cursor;
    if (counted > 0 || JSON.stringify(read.cursor) !== before || Object.keys(read.skipped).length > 0)
      result.changed = true;
  }
  return result;
}
