import { createHash } from "../hashing";
import fsSync from "node:fs";
import { errnoCode, openOwnFile, readFully, writeOwnFile, type BoundedOpen } from "../io";
import { readStateHeader, readStateMeta, type FileEntry, type SessionMeta, type StateMeta } from "./state-header";
import { decodeFront, encodeFront, frontNumberBytes, frontStringBytes } from "./state-front";
import { CELL_COLUMN_NAMES, columnBytes, StateDamaged, UsageState, type PackedKeys } from "./state";

/**
 * The state on disk: one versioned file in the support folder. Every part of a UsageState is stored
 * as raw little-endian columns (strings in one table, see state-front.ts) behind a small JSON
 * header, so loading a large state costs a copy, not a parse. The key columns come last and are only
 * checked and decoded when a refresh has something to count: a refresh that reads nothing new
 * decodes the files, sessions and cells alone.
 *
 * Format 2 kept files and sessions in the JSON header, and format 3 had neither the files' ctime
 * nor the time of the last full check (see ledger/files.ts); both are still read, once, and saved
 * again in this format, so an upgrade neither rescans nor loses usage kept from deleted transcripts.
 */

export const STATE_FORMAT_VERSION = 4;
/** The earlier formats that are still read (see above). */
const COLUMN_FORMAT_VERSION = 3;
const LEGACY_FORMAT_VERSION = 2;
const MAGIC = Buffer.from("MIMOSTAT", "ascii");
/** Far beyond any real state (56 bytes a response): a bigger file is not one of ours. */
export const MAX_STATE_BYTES = 256 * 1024 * 1024;
const STATE_MARK = {
  bytes: MAGIC.length,
  isOurs: (head: Buffer) => head.equals(MAGIC),
  what: "a MiMo Usage state file",
};

export type LoadResult =
  /** `upgraded`: read from an older format, so worth saving even when nothing changed. */
  | { ok: true; state: UsageState; upgraded: boolean }
  | { ok: false; reason: "missing" | "corrupt" | "version" | "refused"; message: string };

/**
 * Reads and checks a state file. It is read only after its stat says it is a regular file of sane
 * size that starts with our mark: anything else is "refused" and must be left alone. The state's
 * settings may differ from the caller's (see kept.ts). Nothing is thrown.
 */
export async function loadState(file: string): Promise<LoadResult> {
  let opened: BoundedOpen;
  try {
    opened = await openOwnFile(file, MAX_STATE_BYTES, STATE_MARK);
  } catch (error) {
    return { ok: false, reason: "corrupt", message: `state unreadable (${errnoCode(error)})` };
  }
  if (!opened.ok && opened.reason === "missing") return { ok: false, reason: "missing", message: "no saved state yet" };
  if (!opened.ok) return { ok: false, reason: "refused", message: opened.message };
  const source = new StateSource(opened.fd, opened.size);
  let result: LoadResult;
  try {
    result = decodeState(source);
  } catch (error) {
    // A failed read (EIO) says so; anything thrown while decoding means the bytes are bad.
    const code = typeof error === "object" && error !== null && "code" in error ? errnoCode(error) : null;
    const message = code ? `state unreadable (${code})` : "state file is damaged";
    result = { ok: false, reason: "corrupt", message };
  }
  // The descriptor stays open only while a loaded state's keys may still be read from it.
  if (!result.ok || !source.held) source.close();
  return result;
}

/** An open state file: reads of exact ranges, and whether a loaded state still reads from it. */
class StateSource {
  held = false;
  private open = true;

  constructor(
    private readonly fd: number,
    readonly size: number,
  ) {}

  read(position: number, length: number): Buffer {
    const bytes = Buffer.allocUnsafe(length);
    this.readInto(bytes, length, position);
    return bytes;
  }

  readInto(into: Uint8Array, length: number, position: number): void {
    // A closed descriptor's number may already name another file: never read through it.
    if (!this.open) throw new StateDamaged("state file was already closed");
    if (readFully(this.fd, into, length, position) !== length) throw new StateDamaged("state file is truncated");
  }

  /** The key section at `position`, read from this file when first needed. */
  keys(position: number, length: number, counts: Omit<PackedKeys, "length" | "read" | "release">): PackedKeys {
    this.held = true;
    return {
      ...counts,
      length,
      read: (into, n, offset) => this.readInto(into, n, position + offset),
      release: () => this.close(),
    };
  }

  close(): void {
    if (!this.open) return;
    this.open = false;
    fsSync.closeSync(this.fd);
  }
}

function decodeState(source: StateSource): LoadResult {
  const corrupt = (message: string): LoadResult => ({ ok: false, reason: "corrupt", message });
  if (source.size < 16) return corrupt("state file is not a MiMo Usage state");
  const prefix = source.read(0, 16);
  if (!prefix.subarray(0, 8).equals(MAGIC)) return corrupt("state file is not a MiMo Usage state");
  const version = prefix.readUInt32LE(8);
  if (version !== STATE_FORMAT_VERSION && version !== COLUMN_FORMAT_VERSION && version !== LEGACY_FORMAT_VERSION)
    return { ok: false, reason: "version", message: `state format ${version} is not ${STATE_FORMAT_VERSION}` };
  const headerLength = prefix.readUInt32LE(12);
  const bodyStart = align8(16 + headerLength);
  if (bodyStart > source.size) return corrupt("state file is truncated");
  const json: unknown = JSON.parse(source.read(16, headerLength).toString("utf8"));
  const state =
    version === LEGACY_FORMAT_VERSION
      ? decodeLegacyBody(json, source.read(bodyStart, source.size - bodyStart))
      : decodeBody(json, source, bodyStart, version);
  if (typeof state === "string") return corrupt(state);
  if (!cellsAreConsistent(state)) return corrupt("state cells point outside their tables");
  state.reindex();
  return { ok: true, state, upgraded: version !== STATE_FORMAT_VERSION };
}

/** Format 4 or 3 (see saveState for the layout); a string says what is wrong. */
function decodeBody(json: unknown, source: StateSource, bodyStart: number, version: number): UsageState | string {
  const meta = readStateMeta(json, version);
  if (!meta) return "state header does not validate";
  const numberBytes = frontNumberBytes(meta, version);
  const cellBytes = meta.cellCount * BYTES_PER_CELL;
  const frontBytes = numberBytes + cellBytes + frontStringBytes(meta);
  const keyStart = align8(frontBytes);
  const keyBytes = (meta.keyCount + meta.uncountedCount) * BYTES_PER_KEY;
  const bodyBytes = source.size - bodyStart;
  if (bodyBytes !== meta.bodyBytes || bodyBytes !== align8(keyStart + keyBytes)) return "state file is truncated";
  // Everything but the keys: read in one go, checked by its own checksum.
  const body = source.read(bodyStart, frontBytes);
  if (digest(body) !== meta.frontDigest) return "state checksum does not match";
  const front = decodeFront(
    body.subarray(0, numberBytes),
    body.subarray(numberBytes + cellBytes, frontBytes),
    meta,
    version,
  );
  if (!front) return "state entries do not validate";
  for (const [index, counts] of Object.entries(meta.skipped)) front.files[Number(index)].skipped = counts;
  const state = withTables(meta, front.files, front.sessions);
  state.checkedAt = meta.checkedAt;
  readCells(state, body.subarray(numberBytes, numberBytes + cellBytes), meta.cellCount);
  const { keyCount, uncountedCount, keysDigest } = meta;
  state.setPacked(source.keys(bodyStart + keyStart, keyBytes, { keyCount, uncountedCount, digest: keysDigest }));
  return state;
}

/** Format 2: files and sessions in the JSON header, then cells and keys. */
function decodeLegacyBody(json: unknown, body: Buffer): UsageState | string {
  const header = readStateHeader(json, LEGACY_FORMAT_VERSION);
  if (!header) return "state header does not validate";
  const cellBytes = header.cellCount * BYTES_PER_CELL;
  const keyBytes = (header.keyCount + header.uncountedCount) * BYTES_PER_KEY;
  if (body.length !== header.bodyBytes || body.length !== align8(cellBytes + keyBytes))
    return "state file is truncated";
  const cellSection = body.subarray(0, cellBytes);
  if (digest(cellSection) !== header.cellsDigest) return "state checksum does not match";
  const state = withTables(header, header.files, header.sessions);
  readCells(state, cellSection, header.cellCount);
  const keys = body.subarray(cellBytes, cellBytes + keyBytes);
  state.setPacked({
    length: keyBytes,
    read: (into, length, offset) => into.set(keys.subarray(offset, offset + length)),
    release: () => undefined,
    keyCount: header.keyCount,
    uncountedCount: header.uncountedCount,
    digest: header.keysDigest,
  });
  return state;
}

function withTables(
  header: { configKey: string; models: string[]; clients: Record<string, unknown>; readers?: Record<string, number> },
  files: FileEntry[],
  sessions: SessionMeta[],
): UsageState {
  const state = new UsageState(header.configKey);
  state.files = files;
  state.sessions = sessions;
  state.models = header.models;
  state.clientCursors = header.clients;
  // Format 2 kept no reader versions: its clients' rows are read again (see apply-clients.ts).
  state.readerVersions = header.readers ?? {};
  return state;
}

function readCells(state: UsageState, bytes: Buffer, count: number): void {
  const reader = new ColumnReader(bytes);
  for (const name of CELL_COLUMN_NAMES) {
    // A plain loop: Array.from over a typed array is about ten times slower here.
    const column = reader.f64(count);
    const values: number[] = [];
    for (let row = 0; row < count; row++) values.push(column[row]);
    state.cells[name] = values;
  }
}

function cellsAreConsistent(state: UsageState): boolean {
  const { session, model } = state.cells;
  for (let row = 0; row < session.length; row++) {
    if (session[row] >= state.sessions.length || model[row] >= state.models.length) return false;
  }
  return true;
}

/**
 * Writes the state atomically (a unique temp file beside it, flushed, then renamed), but only over
 * a missing file or one of ours; through a symbolic link, its target is written. Throws a
 * FileRefusal (io.ts) for a file that is not ours.
 */
export async function saveState(file: string, state: UsageState): Promise<void> {
  // Body: file and session numbers, cells (all float64), then string references and strings, padded
  // to 8 bytes; then the key columns, padded to 8. Everything before the keys has one checksum.
  const cellCount = state.cells.slot.length;
  const cellBody = Buffer.alloc(cellCount * BYTES_PER_CELL);
  const writer = new ColumnWriter(cellBody);
  for (const name of CELL_COLUMN_NAMES) writer.f64(state.cells[name]);
  const front = encodeFront(state.files, state.sessions);
  const frontChunks = [front.numbers, cellBody, front.strings];
  const frontBytes = front.numbers.length + cellBody.length + front.strings.length;
  const frontPadding = Buffer.alloc(align8(frontBytes) - frontBytes);
  const frontHash = createHash("sha1");
  for (const chunk of frontChunks) frontHash.update(chunk);
  const keys = state.packedKeys();
  const keyBytes = keys.chunks.reduce((sum, chunk) => sum + chunk.length, 0);
  const keyPadding = Buffer.alloc(align8(keyBytes) - keyBytes);
  const skipped: StateMeta["skipped"] = {};
  state.files.forEach((entry, index) => {
    if (Object.keys(entry.skipped).length > 0) skipped[index] = entry.skipped;
  });
  const header: StateMeta = {
    version: STATE_FORMAT_VERSION,
    configKey: state.configKey,
    checkedAt: state.checkedAt,
    models: state.models,
    clients: state.clientCursors,
    readers: state.readerVersions,
    skipped,
    ...front.counts,
    cellCount,
    keyCount: keys.keyCount,
    uncountedCount: keys.uncountedCount,
    bodyBytes: align8(frontBytes) + keyBytes + keyPadding.length,
    frontDigest: frontHash.digest("hex"),
    keysDigest: keys.digest,
  };
  const headerBytes = Buffer.from(JSON.stringify(header), "utf8");
  const prefix = Buffer.alloc(align8(16 + headerBytes.length));
  MAGIC.copy(prefix, 0);
  prefix.writeUInt32LE(STATE_FORMAT_VERSION, 8);
  prefix.writeUInt32LE(headerBytes.length, 12);
  headerBytes.copy(prefix, 16);
  await writeOwnFile(file, [prefix, ...frontChunks, frontPadding, ...keys.chunks, keyPadding], STATE_MARK);
}

const BYTES_PER_CELL = CELL_COLUMN_NAMES.length * 8;
// hi, lo, cell, file are 4 bytes; at and the four buckets are 8.
const BYTES_PER_KEY = 4 * 4 + 5 * 8;

/** Copies columns out of the file buffer (its byte offset need not be aligned for typed views). */
class ColumnReader {
  private at = 0;
  constructor(private readonly bytes: Buffer) {}

  f64(n: number): Float64Array {
    const out = new Float64Array(n);
    this.take(out, n * 8);
    return out;
  }

  private take(target: Float64Array | Uint32Array, length: number): void {
    if (this.at + length > this.bytes.length) throw new StateDamaged("state file is truncated");
    new Uint8Array(target.buffer, target.byteOffset, length).set(this.bytes.subarray(this.at, this.at + length));
    this.at += length;
  }
}

class ColumnWriter {
  private at = 0;
  constructor(private readonly bytes: Buffer) {}

  f64(values: number[]): void {
    const view = columnBytes(Float64Array.from(values));
    this.bytes.set(view, this.at);
    this.at += view.length;
  }
}

function digest(bytes: Buffer): string {
  return createHash("sha1").update(bytes).digest("hex");
}

function align8(n: number): number {
  return Math.ceil(n / 8) * 8;
}
