import { locateClients } from "./locate";
import type { OtherClientName } from "./names";
import type { SqliteOptions } from "./sqlite";
import type { ClientReadResult } from "./types";

/**
 * The other clients' part of a refresh's reading: find each client and read what it added since
 * its cursor. Counting what was read is the ledger's (ledger/apply-clients.ts); the two are apart so
 * the engine can load the state's keys (or start over) between them. A client that fails to read
 * reports a problem and keeps its cursor; the rest of the refresh goes on.
 */

export interface ClientsConfig {
  /** Home folder and environment the clients' default places and overrides come from. */
  home: string;
  env: Readonly<Record<string, string | undefined>>;
  /** The clients to read: a list, or "found" for every client found. */
  enabled: OtherClientName[] | "found";
  sqlite?: SqliteOptions;
}

/** Where a client was looked for, and whether it was read (the snapshot's ClientReport). */
export interface ClientPlace {
  name: OtherClientName;
  path: string;
  found: boolean;
  read: boolean;
}

export interface ClientReads {
  reports: ClientPlace[];
  reads: { client: OtherClientName; result: ClientReadResult<unknown> }[];
  /** Whether anything read needs the state's keys to be counted. */
  hasEvents: boolean;
}

/** Reads every enabled client found, each from its cursor in `cursors` (the state's). */
export async function readClients(
  cursors: Record<string, unknown>,
  config: ClientsConfig,
  now: Date,
): Promise<ClientReads> {
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
  const { readClient } = await import("./index");
  for (const location of toRead) {
    const result = await readClient(location, cursors, { now: now.getTime(), sqlite: config.sqlite });
    out.reads.push({ client: location.client, result });
    if (result.events.length > 0) out.hasEvents = true;
  }
  return out;
}
