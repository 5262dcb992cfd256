import { createHash } from "node:crypto";
import { promises as fs } from "node:fs";
import { errnoCode, isErrno, writeAtomically } from "../io";
import { KEY_COLUMN_NAMES, KeyTable, replaces, type DedupKey, type KeyColumns } from "./keys";
import { readStateHeader, type FileEntry, type SessionMeta, type StateHeader } from "./state-header";

/**
 * Everything a refresh needs to continue where the last one stopped, kept in one versioned file in
 * the support folder: per-file read offsets, the aggregate cells, and the compact de-duplication
 * keys. The numeric parts are stored as raw little-endian columns behind a small JSON header so
 * loading a large state costs a copy, not a parse.
 */

export const STATE_FORMAT_VERSION = 1;
const MAGIC = Buffer.from("MIMOSTAT", "ascii");

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

export class UsageState {
  files: FileEntry[] = [];
  sessions: SessionMeta[] = [];
  models: string[] = [];
  /** Each other client's reader cursor, saved with the state (see scan/clients). */
  clientCursors: Record<string, unknown> = {};
  cells: CellColumns = emptyCells();
  keys = new KeyTable();

  private fileIndex = new Map<string, number>();
  private sessionIndex = new Map<string, number>();
  private modelIndex = new Map<string, number>();
  private cellIndex = new Map<string, number>();
  // Consecutive lines nearly always land in the same cell: remembering the last one spares
  // building and hashing a string key per line.
  private lastCell = { slot: NaN, session: -1, model: -1, row: -1 };
  private readonly replaced: UsageDelta = { input: 0, output: 0, cacheRead: 0, cacheWrite: 0 };

  constructor(readonly configKey: string) {}

  fileByPath(filePath: string): number {
    return this.fileIndex.get(filePath) ?? -1;
  }

  addFile(entry: FileEntry): number {
    this.files.push(entry);
    this.fileIndex.set(entry.path, this.files.length - 1);
    return this.files.length - 1;
  }

  sessionFor(id: string): number {
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
    let index = this.modelIndex.get(name);
    if (index === undefined) {
      index = this.models.push(name) - 1;
      this.modelIndex.set(name, index);
    }
    return index;
  }

  cellFor(slot: number, session: number, model: number): number {
    const last = this.lastCell;
    if (slot === last.slot && session === last.session && model === last.model) return last.row;
    last.slot = slot;
    last.session = session;
    last.model = model;
    last.row = this.cellRow(slot, session, model);
    return last.row;
  }

  private cellRow(slot: number, session: number, model: number): number {
    const key = `${slot}|${session}|${model}`;
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
   * Counts one response under its key. A key seen before is replaced only when the counting rules
   * say the new occurrence wins; its old contribution is taken back from its cell and file first.
   * Returns false when the occurrence changed nothing (a duplicate).
   */
  count(key: DedupKey, at: number, cell: number, file: number, usage: UsageDelta): boolean {
    const k = this.keys;
    let row = k.find(key);
    if (row >= 0) {
      const old = rowUsage(k.cols, row, this.replaced);
      if (!replaces(at, totalOf(usage), k.cols.at[row], totalOf(old))) return false;
      this.apply(k.cols.cell[row], k.cols.file[row], old, -1);
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
    this.sessions.forEach((s, i) => this.sessionIndex.set(s.id, i));
    this.models.forEach((m, i) => this.modelIndex.set(m, i));
    const c = this.cells;
    for (let row = 0; row < c.slot.length; row++)
      this.cellIndex.set(`${c.slot[row]}|${c.session[row]}|${c.model[row]}`, row);
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
  | { ok: true; state: UsageState }
  | { ok: false; reason: "missing" | "corrupt" | "version" | "config"; message: string };

/** Reads and validates a state file. Anything but a perfect, current state is reported, never thrown. */
export async function loadState(file: string, configKey: string): Promise<LoadResult> {
  let bytes: Buffer;
  try {
    bytes = await fs.readFile(file);
  } catch (error) {
    if (isErrno(error, "ENOENT")) return { ok: false, reason: "missing", message: "no saved state yet" };
    return { ok: false, reason: "corrupt", message: `state unreadable (${errnoCode(error)})` };
  }
  try {
    return decodeState(bytes, configKey);
  } catch {
    return { ok: false, reason: "corrupt", message: "state file is damaged" };
  }
}

function decodeState(bytes: Buffer, configKey: string): LoadResult {
  const corrupt = (message: string): LoadResult => ({ ok: false, reason: "corrupt", message });
  if (bytes.length < 16 || !bytes.subarray(0, 8).equals(MAGIC)) return corrupt("state file is not a MiMo Usage state");
  const version = bytes.readUInt32LE(8);
  if (version !== STATE_FORMAT_VERSION)
    return { ok: false, reason: "version", message: `state format ${version} is not ${STATE_FORMAT_VERSION}` };
  const headerLength = bytes.readUInt32LE(12);
  const bodyStart = align8(16 + headerLength);
  if (bodyStart > bytes.length) return corrupt("state file is truncated");
  const header = readStateHeader(JSON.parse(bytes.toString("utf8", 16, 16 + headerLength)), STATE_FORMAT_VERSION);
  if (!header) return corrupt("state header does not validate");
  const body = bytes.subarray(bodyStart);
  if (body.length !== header.bodyBytes || body.length !== bodySize(header.cellCount, header.keyCount))
    return corrupt("state file is truncated");
  if (digest(body) !== header.digest) return corrupt("state checksum does not match");
  if (header.configKey !== configKey)
    return { ok: false, reason: "config", message: "folders or model filter changed since the last scan" };

  const state = new UsageState(configKey);
  state.files = header.files;
  state.sessions = header.sessions;
  state.models = header.models;
  state.clientCursors = header.clients;
  const reader = new ColumnReader(body);
  for (const name of CELL_COLUMN_NAMES) state.cells[name] = Array.from(reader.f64(header.cellCount));
  state.keys = KeyTable.fromColumns(readKeyColumns(reader, header.keyCount), header.keyCount);
  if (!cellsAreConsistent(state)) return corrupt("state cells point outside their tables");
  state.reindex();
  return { ok: true, state };
}

function cellsAreConsistent(state: UsageState): boolean {
  const { session, model } = state.cells;
  for (let row = 0; row < session.length; row++) {
    if (session[row] >= state.sessions.length || model[row] >= state.models.length) return false;
  }
  const { cell, file } = state.keys.cols;
  for (let row = 0; row < state.keys.size; row++) {
    if (cell[row] >= session.length || file[row] >= state.files.length) return false;
  }
  return true;
}

/** Writes the state atomically: a unique temp file in the same folder, flushed, then renamed. */
export async function saveState(file: string, state: UsageState): Promise<void> {
  const cellCount = state.cells.slot.length;
  const keyCount = state.keys.size;
  const body = Buffer.alloc(bodySize(cellCount, keyCount));
  const writer = new ColumnWriter(body);
  for (const name of CELL_COLUMN_NAMES) writer.f64(state.cells[name]);
  for (const name of KEY_COLUMN_NAMES) writer.column(state.keys.cols[name].subarray(0, keyCount));
  const header: StateHeader = {
    version: STATE_FORMAT_VERSION,
    configKey: state.configKey,
    files: state.files,
    sessions: state.sessions,
    models: state.models,
    clients: state.clientCursors,
    cellCount,
    keyCount,
    bodyBytes: body.length,
    digest: digest(body),
  };
  const headerBytes = Buffer.from(JSON.stringify(header), "utf8");
  const prefix = Buffer.alloc(align8(16 + headerBytes.length));
  MAGIC.copy(prefix, 0);
  prefix.writeUInt32LE(STATE_FORMAT_VERSION, 8);
  prefix.writeUInt32LE(headerBytes.length, 12);
  headerBytes.copy(prefix, 16);
  await writeAtomically(file, [prefix, body]);
}

const BYTES_PER_CELL = CELL_COLUMN_NAMES.length * 8;
// hi, lo, cell, file are 4 bytes; at and the four buckets are 8.
const BYTES_PER_KEY = 4 * 4 + 5 * 8;

function bodySize(cellCount: number, keyCount: number): number {
  return align8(cellCount * BYTES_PER_CELL + keyCount * BYTES_PER_KEY);
}

function readKeyColumns(reader: ColumnReader, n: number): KeyColumns {
  return {
    hi: reader.u32(n),
    lo: reader.u32(n),
    at: reader.f64(n),
    cell: reader.u32(n),
    file: reader.u32(n),
    input: reader.f64(n),
    output: reader.f64(n),
    cacheRead: reader.f64(n),
    cacheWrite: reader.f64(n),
  };
}

/** Copies columns out of the file buffer (its byte offset need not be aligned for typed views). */
class ColumnReader {
  private at = 0;
  constructor(private readonly bytes: Buffer) {}

  f64(n: number): Float64Array {
    const out = new Float64Array(n);
    this.take(out, n * 8);
    return out;
  }

  u32(n: number): Uint32Array {
    const out = new Uint32Array(n);
    this.take(out, n * 4);
    return out;
  }

  private take(target: Float64Array | Uint32Array, length: number): void {
    new Uint8Array(target.buffer, target.byteOffset, length).set(this.bytes.subarray(this.at, this.at + length));
    this.at += length;
  }
}

class ColumnWriter {
  private at = 0;
  constructor(private readonly bytes: Buffer) {}

  f64(values: number[]): void {
    this.column(Float64Array.from(values));
  }

  column(values: Float64Array | Uint32Array): void {
    const view = new Uint8Array(values.buffer, values.byteOffset, values.byteLength);
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
