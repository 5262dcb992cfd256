import { readOwnFile, writeOwnFile } from "../../io";
import { ENTRY_SEPARATOR, type FolderListings } from "./discover";

/**
 * The folder listings discovery may reuse (see FolderListing in discover.ts), kept in a small file
 * beside the state. They are a cache and nothing more: a missing, damaged or foreign file only
 * means every folder is listed again. Kept apart from the state so the state stays a function of
 * the transcripts alone (listings carry the time they were taken).
 *
 * Every refresh loads them, so they are one short JSON line per folder (`[folder, mtimeMs, ino,
 * listedAt, "entry/entry/…"]`, joined by "/", which no file name holds) after a first line naming
 * the format: short lines decode and parse in about half the time of one JSON document holding
 * them all. An older file (version 1, one document; version 2, entries in the order the system
 * listed them) is simply not reused, once.
 */

const FORMAT = "mimo-usage-folder-listings";
const VERSION = 3;
const HEAD = Buffer.from(`{"format":"${FORMAT}"`, "utf8");
const NEWLINE = 0x0a;
const MARK = { bytes: HEAD.length, isOurs: (head: Buffer) => head.equals(HEAD), what: "a MiMo Usage folder cache" };
/** A hundred thousand folders' listings stay far below this. */
const MAX_BYTES = 64 * 1024 * 1024;

export function listingsPathFor(statePath: string): string {
  return `${statePath}.folders`;
}

export async function loadListings(file: string): Promise<FolderListings> {
  try {
    const read = await readOwnFile(file, MAX_BYTES, MARK);
    if (!read.ok) return {};
    return readListings(read.bytes) ?? {};
  } catch {
    return {};
  }
}

/** Saves the listings; a failure costs the next refresh some speed and nothing else. */
export async function saveListings(file: string, listings: FolderListings): Promise<void> {
  const lines = [JSON.stringify({ format: FORMAT, version: VERSION })];
  for (const [dir, { mtimeMs, ino, listedAt, entries }] of Object.entries(listings))
    lines.push(JSON.stringify([dir, mtimeMs, ino, listedAt, entries]));
  await writeOwnFile(file, [Buffer.from(`${lines.join("\n")}\n`, "utf8")], MARK).catch(() => undefined);
}

function readListings(bytes: Buffer): FolderListings | null {
  let end = bytes.indexOf(NEWLINE);
  if (end < 0) return null;
  const head: unknown = JSON.parse(bytes.toString("utf8", 0, end));
  if (!isObject(head) || head.format !== FORMAT || head.version !== VERSION) return null;
  const out: FolderListings = {};
  for (let at = end + 1; at < bytes.length; at = end + 1) {
    end = bytes.indexOf(NEWLINE, at);
    if (end < 0) return null;
    const line: unknown = JSON.parse(bytes.toString("utf8", at, end));
    if (!Array.isArray(line) || line.length !== 5) return null;
    const [dir, mtimeMs, ino, listedAt, entries] = line as unknown[];
    if (typeof dir !== "string" || typeof entries !== "string" || !ENTRIES.test(entries)) return null;
    if (!isNumber(mtimeMs) || !isNumber(ino) || !isNumber(listedAt)) return null;
    out[dir] = { mtimeMs, ino, listedAt, entries };
  }
  return out;
}

/** Entries as discover.ts joins them: each a kind letter (sub-folder "d", transcript "f", link "l") and a name. */
const ENTRIES = new RegExp(`^(?:[dfl][^${ENTRY_SEPARATOR}]+(?:${ENTRY_SEPARATOR}[dfl][^${ENTRY_SEPARATOR}]+)*)?$`);

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function isNumber(value: unknown): value is number {
  return typeof value === "number" && Number.isFinite(value);
}
