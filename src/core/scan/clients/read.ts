import { locateClients } from "./locate";
import type { OtherClientName } from "./names";
import { READER_VERSIONS } from "./reader-versions";
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

export interface ClientRead {
  client: OtherClientName;
  result: ClientReadResult<unknown>;
  /** The reader's version (see reader-versions.ts). */
  version: number;
  /**
   * Read from the start because what is saved was counted by another version of the reader: what
   * the state holds of this client is to be taken back before this read is counted.
   */
  restarted: boolean;
}

export interface ClientReads {
  reports: ClientPlace[];
  reads: ClientRead[];
  /** Whether anything read needs the state's keys: events to count, or a restarted client's rows to take back. */
  needsKeys: boolean;
}

/** Where the state says each client's reader stopped, and which version of it read that far. */
export interface SavedClientReads {
  cursors: Record<string, unknown>;
  versions: Record<string, number>;
}

/**
 * Reads every enabled client found, each from its cursor in `saved` (the state's), or from its
 * start when the state's rows of it were counted by another version of its reader.
 */
export async function readClients(saved: SavedClientReads, config: ClientsConfig, now: Date): Promise<ClientReads> {
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
    needsKeys: false,
  };
  if (toRead.length === 0) return out;
  // The readers (and zod, which they parse with) load only when there is something to read.
  const { readClient } = await import("./index");
  for (const location of toRead) {
    const { client } = location;
    const version = READER_VERSIONS[client];
    const restarted = saved.versions[client] !== version;
    const cursors = restarted ? {} : saved.cursors;
    const result = await readClient(location, cursors, { now: now.getTime(), sqlite: config.sqlite });
    out.reads.push({ client, result, version, restarted });
    if (result.events.length > 0 || restarted) out.needsKeys = true;
  }
  return out;
}
