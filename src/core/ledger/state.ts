import { createHash } from "../hashing";
import { errnoCode } from "../io";
import { KEY_COLUMN_NAMES, KeyTable, RowList, type KeyColumns } from "./keys";
import type { DedupKey } from "../usage-event";
import type { FileEntry, SessionMeta } from "./state-header";

/**
 * Everything a refresh needs to continue where the last one stopped: per-file read offsets,
 * sessions, the aggregate cells, and the compact de-duplication keys, with the counting rule that
 * changes them. How it is kept on disk is state-file.ts.
 */

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
export interface PackedKeys {
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
  /** The version of the reader that counted each other client's rows (see StateMeta.readers). */
  readerVersions: Record<string, number> = {};
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

  /**
   * Takes back everything counted from one file's entry and removes its rows, counted or kept aside,
   * so the source can be read again from its start without what was counted from it before: a new
   * reading may file the same data under other keys or sessions, which latest-wins cannot undo.
   * The cells it leaves empty count nothing (views pass over cells without messages).
   */
  dropRowsOf(file: number): void {
    const table = this.keys;
    const keep = new Uint32Array(table.size);
    let kept = 0;
    for (let row = 0; row < table.size; row++) {
      if (table.cols.file[row] !== file) keep[kept++] = row;
      else this.apply(table.cols.cell[row], file, rowUsage(table.cols, row, this.replaced), -1);
    }
    if (kept < table.size) this.keyTable = KeyTable.withRows(kept, copyRows(table.cols, keep.subarray(0, kept)));
    const list = this.uncounted;
    const keepAside = new Uint32Array(list.size);
    let aside = 0;
    for (let row = 0; row < list.size; row++) if (list.cols.file[row] !== file) keepAside[aside++] = row;
    if (aside < list.size)
      this.uncountedRows = RowList.withRows(aside, copyRows(list.cols, keepAside.subarray(0, aside)));
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

/** Fills columns with the given rows of `from`, in order. */
function copyRows(from: KeyColumns, rows: Uint32Array): (to: KeyColumns) => void {
  return (to) => {
    for (const name of KEY_COLUMN_NAMES) {
      const source = from[name];
      const target = to[name];
      for (let i = 0; i < rows.length; i++) target[i] = source[rows[i]];
    }
  };
}

function totalOf(u: UsageDelta): number {
  return u.input + u.output + u.cacheRead + u.cacheWrite;
}

function emptyCells(): CellColumns {
  return { slot: [], session: [], model: [], input: [], output: [], cacheRead: [], cacheWrite: [], messages: [] };
}

function rowsPointInside(cols: KeyColumns, size: number, state: UsageState): boolean {
  const cells = state.cells.slot.length;
  for (let row = 0; row < size; row++) {
    if (cols.cell[row] >= cells || cols.file[row] >= state.files.length) return false;
  }
  return true;
}

export function columnBytes(values: Float64Array | Uint32Array): Buffer {
  return Buffer.from(values.buffer, values.byteOffset, values.byteLength);
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
