import type { DedupKey } from "../usage-event";

/**
 * The compact table of de-duplication keys (how a line is keyed is in usage-event.ts). Which
 * occurrence of a key wins, and what that does to the totals, is decided and applied in one place:
 * `UsageState.count` (state.ts).
 *
 * Keys are kept as 64-bit hashes in typed arrays (outside the JS heap) because a few years of
 * transcripts hold hundreds of thousands of responses, and message-id strings in a Map would eat
 * most of Raycast's 100 MB heap budget. At 64 bits a collision among a million keys has a chance of
 * about one in thirty million.
 */

/** Columns stored per key; exposed so the state file can persist them as raw bytes. */
export interface KeyColumns {
  hi: Uint32Array;
  lo: Uint32Array;
  at: Float64Array;
  cell: Uint32Array;
  file: Uint32Array;
  input: Float64Array;
  output: Float64Array;
  cacheRead: Float64Array;
  cacheWrite: Float64Array;
}

export const KEY_COLUMN_NAMES = [
  "hi",
  "lo",
  "at",
  "cell",
  "file",
  "input",
  "output",
  "cacheRead",
  "cacheWrite",
] as const satisfies readonly (keyof KeyColumns)[];

function allocColumns(capacity: number): KeyColumns {
  return {
    hi: new Uint32Array(capacity),
    lo: new Uint32Array(capacity),
    at: new Float64Array(capacity),
    cell: new Uint32Array(capacity),
    file: new Uint32Array(capacity),
    input: new Float64Array(capacity),
    output: new Float64Array(capacity),
    cacheRead: new Float64Array(capacity),
    cacheWrite: new Float64Array(capacity),
  };
}

/** Rows of key columns without an index: the occurrences kept but not counted (see state.ts). */
export class RowList {
  size = 0;
  cols: KeyColumns;

  constructor(capacity = 64) {
    this.cols = allocColumns(capacity);
  }

  /** A list of `size` rows that `fill` writes into its columns (with room to add more). */
  static withRows(size: number, fill: (cols: KeyColumns) => void): RowList {
    const list = new RowList(withHeadroom(size, 64));
    fill(list.cols);
    list.size = size;
    return list;
  }

  /** Appends a row and returns it; the caller fills its columns. */
  add(): number {
    if (this.size === this.cols.hi.length) {
      const next = allocColumns(this.size * 2);
      for (const name of KEY_COLUMN_NAMES) next[name].set(this.cols[name]);
      this.cols = next;
    }
    return this.size++;
  }
}

/** An open-addressing hash table from 64-bit keys to rows of typed columns. */
export class KeyTable {
  size = 0;
  cols: KeyColumns;
  /**
   * Slots hold row + 1, so that 0 marks an empty slot: a fresh index needs no filling, and its
   * pages are not touched until used (first touches of memory are what a big table costs).
   */
  private index: Int32Array;
  private mask: number;

  constructor(capacity = 1024) {
    this.cols = allocColumns(capacity);
    const slots = nextPow2(capacity * 2);
    this.index = new Int32Array(slots);
    this.mask = slots - 1;
  }

  /**
   * Rebuilds a table of `size` rows that `fill` writes into its columns (from the state file),
   * with room for what a refresh adds, so counting an append does not first copy the table to grow it.
   */
  static withRows(size: number, fill: (cols: KeyColumns) => void): KeyTable {
    const table = new KeyTable(withHeadroom(size, 1024));
    fill(table.cols);
    table.size = size;
    for (let row = 0; row < size; row++) table.place(table.cols.hi[row], table.cols.lo[row], row);
    return table;
  }

  find(key: DedupKey): number {
    let slot = (key.lo ^ Math.imul(key.hi, 0x9e3779b1)) & this.mask;
    for (;;) {
      const row = this.index[slot] - 1;
      if (row < 0) return -1;
      if (this.cols.lo[row] === key.lo && this.cols.hi[row] === key.hi) return row;
      slot = (slot + 1) & this.mask;
    }
  }

  /** Adds a key (the caller has checked it is absent) and returns its row. */
  insert(key: DedupKey): number {
    if (this.size === this.cols.hi.length) this.grow();
    const row = this.size++;
    this.cols.hi[row] = key.hi;
    this.cols.lo[row] = key.lo;
    this.place(key.hi, key.lo, row);
    return row;
  }

  private place(hi: number, lo: number, row: number): void {
    let slot = (lo ^ Math.imul(hi, 0x9e3779b1)) & this.mask;
    while (this.index[slot] !== 0) slot = (slot + 1) & this.mask;
    this.index[slot] = row + 1;
  }

  /** Makes room for `rows` more rows at once, so a cold scan rehashes its keys once, not a dozen times. */
  reserve(rows: number): void {
    if (this.size + rows > this.cols.hi.length) this.grow(nextPow2(this.size + rows));
  }

  private grow(capacity = this.cols.hi.length * 2): void {
    const next = allocColumns(capacity);
    for (const name of KEY_COLUMN_NAMES) next[name].set(this.cols[name]);
    this.cols = next;
    const slots = nextPow2(capacity * 2);
    this.index = new Int32Array(slots);
    this.mask = slots - 1;
    for (let row = 0; row < this.size; row++) this.place(this.cols.hi[row], this.cols.lo[row], row);
  }
}

/** Room for an eighth more rows than loaded (an append of a few megabytes), and at least `least`. */
function withHeadroom(size: number, least: number): number {
  return Math.max(least, size + (size >> 3));
}

function nextPow2(n: number): number {
  let p = 1;
  while (p < n) p *= 2;
  return p;
}
