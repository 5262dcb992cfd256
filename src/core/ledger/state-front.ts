import type { FileEntry, SessionMeta } from "./state-header";

/**
 * The file entries and sessions of the state file (format 3 and 4) as columns: numbers as raw
 * little-endian float64 columns, strings as indices into one table of distinct strings. A refresh
 * with nothing new loads these on every run, and a JSON header of the same entries cost more than
 * everything else it does together (one large utf-8 string to decode, then a parse and a check of
 * every field). The table keeps each distinct string once (a folder, a client name, a transcript
 * path shared by its file entry and its session) and is decoded string by string, which stays on
 * V8's fast path where one string of most of a megabyte does not.
 */

export const FILE_NUMBER_COLUMNS = [
  "dev",
  "ino",
  "size",
  "mtimeMs",
  "ctimeMs",
  "offset",
  "tokens",
  "messages",
] as const;
/** Format 3 had no ctime column; its files are read with ctimeMs -1 (not known). */
const FORMAT_3_FILE_NUMBER_COLUMNS = FILE_NUMBER_COLUMNS.filter((name) => name !== "ctimeMs");
export const FILE_STRING_COLUMNS = ["path", "root", "ends"] as const;
export const SESSION_NUMBER_COLUMNS = ["firstAt", "lastAt"] as const;
export const SESSION_STRING_COLUMNS = ["id", "client", "cwd", "file", "summary"] as const;
/** A null string in a string column. */
const NULL_REF = 0xffffffff;

/** How many of each the front holds; kept in the state file's small JSON header. */
export interface FrontCounts {
  fileCount: number;
  sessionCount: number;
  stringCount: number;
  stringBytes: number;
}

function fileNumberColumns(version: number): readonly (typeof FILE_NUMBER_COLUMNS)[number][] {
  return version >= 4 ? FILE_NUMBER_COLUMNS : FORMAT_3_FILE_NUMBER_COLUMNS;
}

/**
 * Byte size of the numeric columns of files and sessions (float64, so the section stays 8-aligned),
 * as format `version` lays them out.
 */
export function frontNumberBytes(counts: FrontCounts, version: number): number {
  const fileColumns = fileNumberColumns(version).length;
  return (counts.fileCount * fileColumns + counts.sessionCount * SESSION_NUMBER_COLUMNS.length) * 8;
}

/** Byte size of the string references (files' gone flag included), the string lengths and the strings. */
export function frontStringBytes(counts: FrontCounts): number {
  const refs =
    counts.fileCount * (FILE_STRING_COLUMNS.length + 1) + counts.sessionCount * SESSION_STRING_COLUMNS.length;
  return (refs + counts.stringCount) * 4 + counts.stringBytes;
}

export interface EncodedFront {
  counts: FrontCounts;
  /** The float64 columns, then (after whatever the caller puts between) the strings part. */
  numbers: Buffer;
  strings: Buffer;
}

/** Encodes files and sessions; `skipped` counts travel in the JSON header (they are nearly always empty). */
export function encodeFront(files: FileEntry[], sessions: SessionMeta[]): EncodedFront {
  const table = new StringTable();
  const numbers = new Float64Array(
    files.length * FILE_NUMBER_COLUMNS.length + sessions.length * SESSION_NUMBER_COLUMNS.length,
  );
  let at = 0;
  for (const name of FILE_NUMBER_COLUMNS) for (const file of files) numbers[at++] = file[name];
  for (const name of SESSION_NUMBER_COLUMNS) for (const session of sessions) numbers[at++] = session[name];
  const refs: number[] = [];
  for (const name of FILE_STRING_COLUMNS) for (const file of files) refs.push(table.ref(file[name]));
  for (const file of files) refs.push(file.gone ? 1 : 0);
  for (const name of SESSION_STRING_COLUMNS) for (const session of sessions) refs.push(table.ref(session[name]));
  const lengths = table.strings.map((text) => Buffer.byteLength(text, "utf8"));
  const stringBytes = lengths.reduce((sum, n) => sum + n, 0);
  const head = (refs.length + lengths.length) * 4;
  const strings = Buffer.allocUnsafe(head + stringBytes);
  const words = new Uint32Array(refs.length + lengths.length);
  words.set(refs);
  words.set(lengths, refs.length);
  strings.set(new Uint8Array(words.buffer), 0);
  let written = head;
  for (const text of table.strings) written += strings.write(text, written, "utf8");
  return {
    counts: { fileCount: files.length, sessionCount: sessions.length, stringCount: lengths.length, stringBytes },
    numbers: Buffer.from(numbers.buffer, numbers.byteOffset, numbers.byteLength),
    strings,
  };
}

/**
 * Decodes what encodeFront wrote (or format 3 before it, which had no ctime column), or null when a
 * value is out of range (a string reference past the table, a count that is not a whole number):
 * the caller has checked the section's checksum, so this only stops a file that was made to look
 * like ours.
 */
export function decodeFront(
  numbers: Buffer,
  strings: Buffer,
  counts: FrontCounts,
  version: number,
): { files: FileEntry[]; sessions: SessionMeta[] } | null {
  const { fileCount: nf, sessionCount: ns, stringCount } = counts;
  const withCtime = version >= 4;
  const num = new Float64Array(numbers.length / 8);
  new Uint8Array(num.buffer).set(numbers);
  const refCount = nf * (FILE_STRING_COLUMNS.length + 1) + ns * SESSION_STRING_COLUMNS.length;
  const u32 = new Uint32Array(refCount + stringCount);
  new Uint8Array(u32.buffer).set(strings.subarray(0, u32.byteLength));
  const table = readTable(strings, u32.byteLength, u32.subarray(refCount), counts.stringBytes);
  if (!table) return null;
  const str = (ref: number): string | null => (ref === NULL_REF ? null : table[ref]);
  const valid = (ref: number, nullable: boolean): boolean => (ref === NULL_REF ? nullable : ref < stringCount);

  const files: FileEntry[] = new Array(nf);
  for (let i = 0; i < nf; i++) {
    const pathRef = u32[i];
    const rootRef = u32[nf + i];
    const endsRef = u32[2 * nf + i];
    const gone = u32[3 * nf + i];
    if (!valid(pathRef, false) || !valid(rootRef, false) || !valid(endsRef, false) || gone > 1) return null;
    // In FILE_NUMBER_COLUMNS order (format 3: the same without ctimeMs).
    const dev = num[i];
    const ino = num[nf + i];
    const size = num[2 * nf + i];
    const mtimeMs = num[3 * nf + i];
    let column = 4;
    const ctimeMs = withCtime ? num[column++ * nf + i] : -1;
    const offset = num[column++ * nf + i];
    const tokens = num[column++ * nf + i];
    const messages = num[column * nf + i];
    if (!Number.isFinite(dev) || !Number.isFinite(ino) || !Number.isFinite(mtimeMs)) return null;
    if (!Number.isFinite(ctimeMs)) return null;
    if (!(size >= 0) || !(tokens >= 0) || !Number.isFinite(size) || !Number.isFinite(tokens)) return null;
    if (!isCount(offset) || !isCount(messages)) return null;
    files[i] = {
      path: table[pathRef],
      root: table[rootRef],
      dev,
      ino,
      size,
      mtimeMs,
      ctimeMs,
      offset,
      ends: table[endsRef],
      tokens,
      messages,
      skipped: {},
      gone: gone === 1,
    };
  }
  const sessions: SessionMeta[] = new Array(ns);
  const numbersAt = nf * fileNumberColumns(version).length;
  const refsAt = nf * (FILE_STRING_COLUMNS.length + 1);
  for (let i = 0; i < ns; i++) {
    const firstAt = num[numbersAt + i];
    const lastAt = num[numbersAt + ns + i];
    // In SESSION_STRING_COLUMNS order.
    const id = u32[refsAt + i];
    const client = u32[refsAt + ns + i];
    const cwd = u32[refsAt + 2 * ns + i];
    const file = u32[refsAt + 3 * ns + i];
    const summary = u32[refsAt + 4 * ns + i];
    if (!Number.isFinite(firstAt) || !Number.isFinite(lastAt)) return null;
    if (!valid(id, false) || !valid(client, false) || !valid(cwd, true) || !valid(file, true) || !valid(summary, true))
      return null;
    sessions[i] = {
      id: table[id],
      client: table[client],
      cwd: str(cwd),
      file: str(file),
      summary: str(summary),
      firstAt,
      lastAt,
    };
  }
  return { files, sessions };
}

/** The strings after the references and lengths, one by one; null when the lengths do not add up. */
function readTable(bytes: Buffer, from: number, lengths: Uint32Array, total: number): string[] | null {
  if (bytes.length !== from + total) return null;
  const out: string[] = new Array(lengths.length);
  let at = from;
  for (let i = 0; i < lengths.length; i++) {
    const end = at + lengths[i];
    if (end > bytes.length) return null;
    out[i] = bytes.toString("utf8", at, end);
    at = end;
  }
  return at === bytes.length ? out : null;
}

class StringTable {
  readonly strings: string[] = [];
  private readonly index = new Map<string, number>();

  ref(value: string | null): number {
    if (value === null) return NULL_REF;
    let ref = this.index.get(value);
    if (ref === undefined) {
      ref = this.strings.push(value) - 1;
      this.index.set(value, ref);
    }
    return ref;
  }
}

function isCount(value: number): boolean {
  return Number.isSafeInteger(value) && value >= 0;
}
