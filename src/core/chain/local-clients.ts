import { applyClientEvents, clientEntryPath } from "../ledger/apply-clients";
import type { UsageState } from "../ledger/state";
import { locateClients } from "../scan/clients/locate";
import { OTHER_CLIENT_NAMES, type OtherClientName } from "../scan/clients/names";
import type { SqliteOptions } from "../scan/clients/sqlite";
import type { ClientReadResult } from "../scan/clients/types";
import type { ClientReport } from "../views/schema";

/**
 * The other clients' part of a refresh: find each client, read what it added since its cursor, and
 * count it into the same state as Claude Code's transcripts. Reading and counting are two steps so
 * the engine can load the state's keys (or start over) between them. A client that fails to read
 * reports a warning and keeps its cursor; the rest of the refresh goes on.
 */

export interface ClientsConfig {
  /** Home folder and environment the clients' default places and overrides come from. */
  home: string;
  env: Readonly<Record<string, string | undefined>>;
  /** The clients to read: a list, or "found" for every client found. */
  enabled: OtherClientName[] | "found";
  sqlite?: SqliteOptions;
}

/**
 * The clients' bookkeeping entries in the state's file table. Their data is on disk in the clients'
 * own places, so like a transcript still present they are never "gone", and when the settings
 * change they are read again from the start.
 */
export const CLIENT_ENTRY_PATHS = OTHER_CLIENT_NAMES.map(clientEntryPath);

export interface ClientReads {
  reports: ClientReport[];
  reads: { client: OtherClientName; result: ClientReadResult<unknown> }[];
  /** Whether anything read needs the state's keys to be counted. */
  hasEvents: boolean;
}

export async function readClients(state: UsageState, config: ClientsConfig, now: Date): Promise<ClientReads> {
  const locations = locateClients({ home: config.home, env: config.env });
  const wanted = (client: OtherClientName) => config.enabled === "found" || config.enabled.includes(client);
  const toRead = locations.filter((location) => location.found && wanted(location.client));
  const out: ClientReads = {
    reports: locations.map((location) => ({
      name: location.client,
      path: location.path,
      found: location.found,
      read: toRead.includes(location),
    })),
    reads: [],
    hasEvents: false,
  };
  if (toRead.length === 0) return out;
  // The readers (and zod, which they parse with) load only when there is something to read.
  const { readClient } = await import("../scan/clients");
  for (const location of toRead) {
    const result = await readClient(location, state.clientCursors, { now: now.getTime(), sqlite: config.sqlite });
    out.reads.push({ client: location.client, result });
    if (result.events.length > 0) out.hasEvents = true;
  }
  return out;
}

/** Counts what was read and moves each client's cursor on; `changed` says whether to save the state. */
export function applyClientReads(state: UsageState, pending: ClientReads): { changed: boolean; warnings: string[] } {
  let changed = false;
  const warnings: string[] = [];
  for (const { client, result } of pending.reads) {
    warnings.push(...result.problems);
    const before = JSON.stringify(state.clientCursors[client] ?? null);
    const counted = applyClientEvents(state, client, result.events, result.skipped);
    state.clientCursors[client] = result.cursor;
    if (counted > 0 || Object.keys(result.skipped).length > 0 || JSON.stringify(result.cursor) !== before)
      changed = true;
  }
  return { changed, warnings };
}
