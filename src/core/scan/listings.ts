import { readOwnFile, writeOwnFile } from "../io";
import type { FolderListing, FolderListings } from "./discover";

/**
 * The folder listings discovery may reuse (see FolderListing in discover.ts), kept in a small file
 * beside the state. They are a cache and nothing more: a missing, damaged or foreign file only
 * means every folder is listed again. Kept apart from the state so the state stays a function of
 * the transcripts alone (listings carry the time they were taken).
 */

const FORMAT = "mimo-usage-folder-listings";
const HEAD = Buffer.from(`{"format":"${FORMAT}"`, "utf8");
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
    const value: unknown = JSON.parse(read.bytes.toString("utf8"));
    return readListings(value) ?? {};
  } catch {
    return {};
  }
}

/** Saves the listings; a failure costs the next refresh some speed and nothing else. */
export async function saveListings(file: string, listings: FolderListings): Promise<void> {
  const body = JSON.stringify({ format: FORMAT, version: 1, listings });
  await writeOwnFile(file, [Buffer.from(body, "utf8")], MARK).catch(() => undefined);
}

function readListings(value: unknown): FolderListings | null {
  if (!isObject(value) || value.version !== 1 || !isObject(value.listings)) return null;
  const out: FolderListings = {};
  for (const [dir, listing] of Object.entries(value.listings)) {
    const checked = readListing(listing);
    if (!checked) return null;
    out[dir] = checked;
  }
  return out;
}

function readListing(value: unknown): FolderListing | null {
  if (!isObject(value)) return null;
  const { mtimeMs, ino, listedAt, entries } = value;
  if (!isNumber(mtimeMs) || !isNumber(ino) || !isNumber(listedAt) || !Array.isArray(entries)) return null;
  if (!entries.every((e): e is string => typeof e === "string" && /^[dfl]./.test(e))) return null;
  return { mtimeMs, ino, listedAt, entries };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function isNumber(value: unknown): value is number {
  return typeof value === "number" && Number.isFinite(value);
}
