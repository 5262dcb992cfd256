import { OTHER_CLIENT_NAMES } from "../scan/clients/names";
import type { ClientReads } from "../scan/clients/read";
import type { ClientUsageEvent, OtherClientName, SkipCounts } from "../scan/clients/types";
import { hashKey } from "../usage-event";
import { newFileEntry, SLOT_MS, type UsageDelta, type UsageState } from "./state";

/**
 * Counts another client's usage events into the state under the same rules as Claude Code's lines:
 * each event's key counts once, latest wins. Each client has one bookkeeping entry in the state's
 * file table (`client:<name>`), which holds its tokens, messages and skip counts.
 */

export function clientEntryPath(client: OtherClientName): string {
  return `client:${client}`;
}

/**
 * The clients' entries in the state's file table. Their data is on disk in the clients' own
 * places, so like a transcript still present they are never "gone", and when the settings change
 * they are read again from the start.
 */
export const CLIENT_ENTRY_PATHS = OTHER_CLIENT_NAMES.map(clientEntryPath);

/**
 * Counts what was read and moves each client's cursor on; `changed` says whether to save the state.
 * A client read again from its start for a new reader version first has what it counted taken back.
 */
export function applyClientReads(state: UsageState, pending: ClientReads): { changed: boolean; warnings: string[] } {
  let changed = false;
  const warnings: string[] = [];
  for (const { client, result, version, restarted } of pending.reads) {
    warnings.push(...result.problems);
    if (restarted) {
      forgetClient(state, client);
      state.readerVersions[client] = version;
      changed = true;
    }
    const before = JSON.stringify(state.clientCursors[client] ?? null);
    const counted = applyClientEvents(state, client, result.events, result.skipped);
    state.clientCursors[client] = result.cursor;
    if (counted > 0 || Object.keys(result.skipped).length > 0 || JSON.stringify(result.cursor) !== before)
      changed = true;
  }
  return { changed, warnings };
}

/**
 * Takes back everything the state holds of one client: its rows, skip counts and cursor, and the
 * times and folder of its sessions (they are set again by what is read next). Claude Code's
 * transcripts and the other clients keep what they have; nothing is read again but this client.
 */
export function forgetClient(state: UsageState, client: OtherClientName): void {
  delete state.clientCursors[client];
  const file = state.fileByPath(clientEntryPath(client));
  if (file < 0) return;
  state.dropRowsOf(file);
  state.files[file].skipped = {};
  for (const meta of state.sessions) {
    if (meta.client !== client) continue;
    meta.firstAt = 0;
    meta.lastAt = 0;
    meta.cwd = null;
  }
}

/** The client's bookkeeping entry, created on first use. */
export function clientEntry(state: UsageState, client: OtherClientName): number {
  const entryPath = clientEntryPath(client);
  const index = state.fileByPath(entryPath);
  if (index >= 0) return index;
  return state.addFile(newFileEntry({ path: entryPath, root: entryPath, dev: 0, ino: 0 }));
}

/** Counts events and skip counts of one read; returns how many events changed the counts. */
export function applyClientEvents(
  state: UsageState,
  client: OtherClientName,
  events: readonly ClientUsageEvent[],
  skipped: SkipCounts,
): number {
  const file = clientEntry(state, client);
  const entry = state.files[file];
  for (const [reason, n] of Object.entries(skipped)) entry.skipped[reason] = (entry.skipped[reason] ?? 0) + (n ?? 0);
  const usage: UsageDelta = { input: 0, output: 0, cacheRead: 0, cacheWrite: 0 };
  let changed = 0;
  for (const event of events) {
    const session = state.sessionFor(event.sessionId);
    const meta = state.sessions[session];
    meta.client = client;
    if (!meta.cwd && event.project) meta.cwd = event.project;
    if (meta.firstAt === 0 || event.timestamp < meta.firstAt) meta.firstAt = event.timestamp;
    if (event.timestamp > meta.lastAt) meta.lastAt = event.timestamp;
    const cell = state.cellFor(Math.floor(event.timestamp / SLOT_MS), session, state.modelFor(event.model));
    usage.input = event.input;
    usage.output = event.output;
    usage.cacheRead = event.cacheRead;
    usage.cacheWrite = event.cacheWrite;
    if (state.count(hashKey(event.key), event.timestamp, cell, file, usage)) changed++;
  }
  return changed;
}
