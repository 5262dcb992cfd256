import { createHash } from "../hashing";
import fsSync from "node:fs";
import { errnoCode, openOwnFile, readFully, writeOwnFile, type BoundedOpen } from "../io";
import { KEY_COLUMN_NAMES, KeyTable, RowList, type KeyColumns } from "./keys";
import type { DedupKey } from "../usage-event";
import { readStateHeader, readStateMeta, type FileEntry, type SessionMeta, type StateMeta } from "./state-header";
import { decodeFront, encodeFront, frontNumberBytes, frontStringBytes } from "./state-front";

/**
 * Everything a refresh needs to continue where the last one stopped, kept in one versioned file in
 * the support folder: per-file read offsets, sessions, the aggregate cells, and the compact
 * de-duplication keys. All of it is stored as raw little-endian columns (strings in one table, see
 * state-front.ts) behind a small JSON header, so loading a large state costs a copy, not a parse.
 * The key columns come last and are only checked and decoded when a refresh has something to
 * count: a refresh that reads nothing new decodes the files, sessions and cells alone.
 *
 * Format 2 kept files and sessions in the JSON header, and format 3 had neither the files' ctime
 * nor the time of the last full check (see chain/local.ts); both are still read, once, and saved
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

/** Activity is aggregated per 15-minute slot: every real time zone offset is a multiple of it. */
export const SLOT_MS = 15 * 60 * 1000;

export type { FileEntry, SessionMeta } from "./state-header";

export const CELL_COLUMN_NAMES = [
  "slot",
  "session",
  "model",
  "input",
  "output",
  "cacheRead",
  "cacheWrite",
  "messages",
] as const;
type CellColumnName = (typeof CELL_COLUMN_NAMES)[number];
export type CellColumns = Record<CellColumnName, number[]>;

export interface UsageDelta {
  input: number;
  output: number;
  cacheRead: number;
  cacheWrite: number;
}

/**
 * The key section of a loaded state, decoded only when first needed. A refresh that reads nothing
 * new never touches it, so it stays in the file (read through the descriptor opened at load, which
 * keeps that very file readable even if another refresh renames a new state over its path) and
 * costs neither a read nor the memory to hold it; a format-2 state brings it in memory.
 */
interface PackedKeys {
  /** Bytes of the section. */
  length: number;
  /** Copies `length` bytes from `offset` within the section to the start of `into`. */
  read(into: Uint8Array, length: number, offset: number): void;
  /** Gives back the file descriptor, if any; nothing can be read after. */
  release(): void;
  keyCount: number;
  uncountedCount: number;
  digest: string;
}

export class StateDamaged extends Error {}

export class UsageState {
  files: FileEntry[] = [];
  sessions: SessionMeta[] = [];
  models: string[] = [];
  /** Each other client's reader cursor, saved with the state (see scan/clients). */
  clientCursors: Record<string, unknown> = {};
  cells: CellColumns = emptyCells();
  /** See StateMeta.checkedAt. */
  checkedAt = 0;

  private keyTable: KeyTable | null = new KeyTable();
  private uncountedRows: RowList | null = new RowList();
  private packed: PackedKeys | null = null;
  private keysDamaged: StateDamaged | null = null;
  private fileIndex = new Map<string, number>();
  // Built on first use: a refresh that counts nothing never needs them.
  private sessionIndex: Map<string, number> | null = new Map();
  private modelIndex: Map<string, number> | null = new Map();
  private cellIndex: Map<string, number> | null = new Map();
  // Consecutive lines nearly always land in the cell of the last line of the same model (a session
  // often alternates between two): remembering it per model spares building and hashing a string
  // key per line.
  private lastCells: { slot: number; session: number; row: number }[] = [];
  private readonly replaced: UsageDelta = { input: 0, output: 0, cacheRead: 0, cacheWrite: 0 };

  constructor(readonly configKey: string) {}

  /** One row per counted response: its key, time, cell, file and usage. */
  get keys(): KeyTable {
    // Asked for every line counted: the check stays here, the loading in its own method.
    if (this.packed) this.loadKeys();
    return this.keyTable as KeyTable;
  }

  /**
   * Occurrences kept but not counted now: usage kept from transcripts of a folder that is not in
   * the settings (or whose model the filter does not take), and copies of a response that lost to
   * a copy in another folder. They are what lets a settings change give kept usage back exactly.
   */
  get uncounted(): RowList {
    this.loadKeys();
    return this.uncountedRows as RowList;
  }

  /**
   * Decodes the key columns if that has not happened yet, straight into the tables' columns;
   * throws StateDamaged if they are bad (and again on every later call).
   */
  loadKeys(): void {
    const packed = this.packed;
    if (!packed) return;
    if (this.keysDamaged) throw this.keysDamaged;
    try {
      const hash = createHash("sha1");
      let offset = 0;
      const fill = (rows: number) => (cols: KeyColumns) => {
        for (const name of KEY_COLUMN_NAMES) {
          const column = cols[name];
          const length = rows * column.BYTES_PER_ELEMENT;
          const bytes = new Uint8Array(column.buffer, column.byteOffset, length);
          packed.read(bytes, length, offset);
          hash.update(bytes);
          offset += length;
        }
      };
      const table = KeyTable.withRows(packed.keyCount, fill(packed.keyCount));
      const rows = RowList.withRows(packed.uncountedCount, fill(packed.uncountedCount));
      if (hash.digest("hex") !== packed.digest) throw new StateDamaged("state checksum does not match");
      if (!rowsPointInside(table.cols, table.size, this) || !rowsPointInside(rows.cols, rows.size, this))
        throw new StateDamaged("state keys point outside their tables");
      this.keyTable = table;
      this.uncountedRows = rows;
      this.packed = null;
    } catch (error) {
      this.keysDamaged =
        error instanceof StateDamaged ? error : new StateDamaged(`state keys unreadable (${errnoCode(error)})`);
      throw this.keysDamaged;
    } finally {
      packed.release();
    }
  }

  /** Closes the state file if its keys were never needed; call when done with a loaded state. */
  release(): void {
    this.packed?.release();
  }

  fileByPath(filePath: string): number {
    return this.fileIndex.get(filePath) ?? -1;
  }

  addFile(entry: FileEntry): number {
    this.files.push(entry);
    this.fileIndex.set(entry.path, this.files.length - 1);
    return this.files.length - 1;
  }

  sessionFor(id: string): number {
    this.sessionIndex ??= new Map(this.sessions.map((s, i) => [s.id, i]));
    let index = this.sessionIndex.get(id);
    if (index === undefined) {
      // 0 means "no usage line yet" (a session may be known only from its summary line).
      index =
        this.sessions.push({ id, client: "claude-code", cwd: null, file: null, summary: null, firstAt: 0, lastAt: 0 }) -
        1;
      this.sessionIndex.set(id, index);
    }
    return index;
  }

  modelFor(name: string): number {
    this.modelIndex ??= new Map(this.models.map((m, i) => [m, i]));
    let index = this.modelIndex.get(name);
    if (index === undefined) {
      index = this.models.push(name) - 1;
      this.modelIndex.set(name, index);
    }
    return index;
  }

  cellFor(slot: number, session: number, model: number): number {
    const last = this.lastCells[model];
    if (last !== undefined && last.slot === slot && last.session === session) return last.row;
    const row = this.cellRow(slot, session, model);
    this.lastCells[model] = { slot, session, row };
    return row;
  }

  private cellRow(slot: number, session: number, model: number): number {
    const key = `${slot}|${session}|${model}`;
    this.cellIndex ??= this.indexCells();
    let row = this.cellIndex.get(key);
    if (row === undefined) {
      row = this.cells.slot.length;
      this.cells.slot.push(slot);
      this.cells.session.push(session);
      this.cells.model.push(model);
      this.cells.input.push(0);
      this.cells.output.push(0);
      this.cells.cacheRead.push(0);
      this.cells.cacheWrite.push(0);
      this.cells.messages.push(0);
      this.cellIndex.set(key, row);
    }
    return row;
  }

  /**
   * The counting rule, decided and applied here and nowhere else. Each response counts once under
   * its key. Latest wins: the finished response is the last line written, so its timestamp is the
   * latest; on a tie the larger usage wins (a streamed copy never has more tokens than the final
   * one), and an identical replay changes nothing. A replaced occurrence's contribution is taken
   * back from its cell and file first. Returns false when the occurrence changed nothing.
   *
   * When the two occurrences come from different folders, the one that does not count is kept in
   * `uncounted`, so that removing the winner's folder later gives the other copy back.
   */
  count(key: DedupKey, at: number, cell: number, file: number, usage: UsageDelta): boolean {
    const k = this.keys;
    let row = k.find(key);
    if (row >= 0) {
      const old = rowUsage(k.cols, row, this.replaced);
      const oldFile = k.cols.file[row];
      const otherFolder = oldFile !== file && this.files[oldFile].root !== this.files[file].root;
      const oldAt = k.cols.at[row];
      const wins = at !== oldAt ? at > oldAt : totalOf(usage) > totalOf(old);
      if (!wins) {
        if (otherFolder) this.keepUncounted(key, at, cell, file, usage);
        return false;
      }
      if (otherFolder) this.keepUncounted(key, oldAt, k.cols.cell[row], oldFile, old);
      this.apply(k.cols.cell[row], oldFile, old, -1);
    } else {
      row = k.insert(key);
    }
    k.cols.at[row] = at;
    k.cols.cell[row] = cell;
    k.cols.file[row] = file;
    k.cols.input[row] = usage.input;
    k.cols.output[row] = usage.output;
    k.cols.cacheRead[row] = usage.cacheRead;
    k.cols.cacheWrite[row] = usage.cacheWrite;
    this.apply(cell, file, usage, 1);
    return true;
  }

  /** Makes room in the key table for about `rows` responses about to be counted. */
  reserveKeys(rows: number): void {
    this.keys.reserve(rows);
  }

  /** Keeps an occurrence without counting it (see `uncounted`). */
  keepUncounted(key: DedupKey, at: number, cell: number, file: number, usage: UsageDelta): void {
    const list = this.uncounted;
    const row = list.add();
    const c = list.cols;
    c.hi[row] = key.hi;
    c.lo[row] = key.lo;
    c.at[row] = at;
    c.cell[row] = cell;
    c.file[row] = file;
    c.input[row] = usage.input;
    c.output[row] = usage.output;
    c.cacheRead[row] = usage.cacheRead;
    c.cacheWrite[row] = usage.cacheWrite;
  }

  private apply(cell: number, file: number, u: UsageDelta, sign: 1 | -1): void {
    const c = this.cells;
    c.input[cell] += sign * u.input;
    c.output[cell] += sign * u.output;
    c.cacheRead[cell] += sign * u.cacheRead;
    c.cacheWrite[cell] += sign * u.cacheWrite;
    c.messages[cell] += sign;
    const entry = this.files[file];
    entry.tokens += sign * totalOf(u);
    entry.messages += sign;
  }

  /** Rebuilds the lookup maps after loading. */
  reindex(): void {
    this.files.forEach((f, i) => this.fileIndex.set(f.path, i));
    this.sessionIndex = null;
    this.modelIndex = null;
    this.cellIndex = null;
    this.lastCells = [];
  }

  private indexCells(): Map<string, number> {
    const c = this.cells;
    const index = new Map<string, number>();
    for (let row = 0; row < c.slot.length; row++) index.set(`${c.slot[row]}|${c.session[row]}|${c.model[row]}`, row);
    return index;
  }

  /** Takes the undecoded key columns of a loaded file. */
  setPacked(packed: PackedKeys): void {
    this.keyTable = null;
    this.uncountedRows = null;
    this.packed = packed;
  }

  /** The key section as saved, without decoding it when nothing touched it. */
  packedKeys(): { chunks: Buffer[]; keyCount: number; uncountedCount: number; digest: string } {
    if (this.packed) {
      const { length, keyCount, uncountedCount, digest } = this.packed;
      const bytes = Buffer.allocUnsafe(length);
      this.packed.read(bytes, length, 0);
      return { chunks: [bytes], keyCount, uncountedCount, digest };
    }
    const keys = this.keys;
    const rows = this.uncounted;
    const chunks = [
      ...KEY_COLUMN_NAMES.map((name) => columnBytes(keys.cols[name].subarray(0, keys.size))),
      ...KEY_COLUMN_NAMES.map((name) => columnBytes(rows.cols[name].subarray(0, rows.size))),
    ];
    const hash = createHash("sha1");
    for (const chunk of chunks) hash.update(chunk);
    return { chunks, keyCount: keys.size, uncountedCount: rows.size, digest: hash.digest("hex") };
  }
}

function rowUsage(cols: KeyColumns, row: number, into: UsageDelta): UsageDelta {
  into.input = cols.input[row];
  into.output = cols.output[row];
  into.cacheRead = cols.cacheRead[row];
  into.cacheWrite = cols.cacheWrite[row];
  return into;
}

function totalOf(u: UsageDelta): number {
  return u.input + u.output + u.cacheRead + u.cacheWrite;
}

function emptyCells(): CellColumns {
  return { slot: [], session: [], model: [], input: [], output: [], cacheRead: [], cacheWrite: [], messages: [] };
}

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
  header: { configKey: string; models: string[]; clients: Record<string, unknown> },
  files: FileEntry[],
  sessions: SessionMeta[],
): UsageState {
  const state = new UsageState(header.configKey);
  state.files = files;
  state.sessions = sessions;
  state.models = header.models;
  state.clientCursors = header.clients;
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

function rowsPointInside(cols: KeyColumns, size: number, state: UsageState): boolean {
  const cells = state.cells.slot.length;
  for (let row = 0; row < size; row++) {
    if (cols.cell[row] >= cells || cols.file[row] >= state.files.length) return false;
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

function columnBytes(values: Float64Array | Uint32Array): Buffer {
  return Buffer.from(values.buffer, values.byteOffset, values.byteLength);
}

function digest(bytes: Buffer): string {
  return createHash("sha1").update(bytes).digest("hex");
}

function align8(n: number): number {
  return Math.ceil(n / 8) * 8;
}

/** A file's entry before anything of it was read: its identity, and nothing counted yet. */
export function newFileEntry(file: { path: string; root: string; dev: number; ino: number }): FileEntry {
  const { path, root, dev, ino } = file;
  return {
    path,
    root,
    dev,
    ino,
    size: 0,
    mtimeMs: 0,
    ctimeMs: 0,
    offset: 0,
    ends: "",
    tokens: 0,
    messages: 0,
    skipped: {},
    gone: false,
  };
}
