import { decodeFront, encodeFront, FILE_NUMBER_COLUMNS } from "../../../src/core/ledger/state-front";
import { STATE_FORMAT_VERSION } from "../../../src/core/ledger/state-file";
import type { FileEntry, SessionMeta } from "../../../src/core/ledger/state-header";

function entry(overrides: Partial<FileEntry>): FileEntry {
  return {
    path: "/r/projects/p/a.jsonl",
    root: "/r",
    dev: 64768,
    ino: 2 ** 40 + 3,
    size: 1200,
    mtimeMs: 1764064800123.456,
    ctimeMs: 1764064800456.789,
    offset: 1190,
    ends: "61096353ab0e07afa1f44eb5bbdbed6d5867e2a8",
    tokens: 4330,
    messages: 2,
    skipped: {},
    gone: false,
    ...overrides,
  };
}

const files: FileEntry[] = [
  entry({}),
  entry({
    path: "/r/projects/p/b.jsonl",
    ends: "",
    ctimeMs: -1,
    offset: 0,
    size: 0,
    tokens: 0,
    messages: 0,
    gone: true,
  }),
  // Names and text beyond ASCII, as real folders and session summaries hold them.
  entry({ path: "/Users/陈杰/.claude/projects/-代码/c.jsonl", root: "/Users/陈杰/.claude", tokens: 0.5 }),
];
const sessions: SessionMeta[] = [
  {
    id: "s1",
    client: "claude-code",
    cwd: "/Users/陈杰/代码",
    file: "/r/projects/p/a.jsonl",
    summary: "修复 the cache 🐛",
    firstAt: 1,
    lastAt: 2,
  },
  { id: "s2", client: "opencode", cwd: null, file: null, summary: null, firstAt: 0, lastAt: 0 },
  { id: "", client: "claude-code", cwd: "", file: "", summary: "", firstAt: -5, lastAt: 1e15 },
];

/** The front as saveState lays it out: numbers, then (here nothing in between) the strings part. */
function roundTrip(f: FileEntry[], s: SessionMeta[]) {
  const encoded = encodeFront(f, s);
  return { encoded, decoded: decodeFront(encoded.numbers, encoded.strings, encoded.counts, STATE_FORMAT_VERSION) };
}

describe("state file entries and sessions as columns", () => {
  it("reads back every field as written, nulls, empty strings and non-ASCII text included", () => {
    expect(roundTrip(files, sessions).decoded).toEqual({ files, sessions });
  });

  it("reads format 3's columns, which had no ctime, with the ctime not known", () => {
    const { encoded } = roundTrip(files, sessions);
    // Format 3 laid the same columns out without the ctime one.
    const ctimeColumn = FILE_NUMBER_COLUMNS.indexOf("ctimeMs") * files.length * 8;
    const numbers = Buffer.concat([
      encoded.numbers.subarray(0, ctimeColumn),
      encoded.numbers.subarray(ctimeColumn + files.length * 8),
    ]);
    expect(decodeFront(numbers, encoded.strings, encoded.counts, 3)).toEqual({
      files: files.map((file) => ({ ...file, ctimeMs: -1 })),
      sessions,
    });
  });

  it("reads back no files and no sessions", () => {
    expect(roundTrip([], []).decoded).toEqual({ files: [], sessions: [] });
  });

  it("keeps each distinct string once", () => {
    const many = Array.from({ length: 50 }, (_, i) => entry({ path: `/r/projects/p/${i}.jsonl` }));
    // 50 paths, one root, one ends hash.
    expect(roundTrip(many, []).encoded.counts.stringCount).toBe(52);
  });

  it("gives every file entry its own skip counts to fill", () => {
    const decoded = roundTrip(files, [])?.decoded;
    expect(decoded?.files[0].skipped).not.toBe(decoded?.files[1].skipped);
  });

  // Bytes that pass the checksum but were made to look like ours must still not load.
  const refsAt = (n: number) => n * 4;
  it.each([
    ["a file's path reference past the table", (b: Buffer) => b.writeUInt32LE(999, refsAt(0))],
    ["a missing root", (b: Buffer) => b.writeUInt32LE(0xffffffff, refsAt(files.length))],
    ["a gone flag that is not 0 or 1", (b: Buffer) => b.writeUInt32LE(2, refsAt(3 * files.length))],
    ["a session id reference past the table", (b: Buffer) => b.writeUInt32LE(999, refsAt(4 * files.length))],
  ])("refuses %s", (_name, damage) => {
    const { encoded } = roundTrip(files, sessions);
    const strings = Buffer.from(encoded.strings);
    damage(strings);
    expect(decodeFront(encoded.numbers, strings, encoded.counts, STATE_FORMAT_VERSION)).toBeNull();
  });

  it.each([
    ["an offset that is not a whole number", 5, 0.5],
    ["a ctime that is not a number", 4, NaN],
    ["a negative size", 2, -1],
    ["a size that is not a number", 2, NaN],
  ])("refuses %s", (_name, column, value) => {
    const { encoded } = roundTrip(files, sessions);
    const numbers = Buffer.from(encoded.numbers);
    numbers.writeDoubleLE(value, column * files.length * 8);
    expect(decodeFront(numbers, encoded.strings, encoded.counts, STATE_FORMAT_VERSION)).toBeNull();
  });

  it("refuses strings whose lengths do not add up to the bytes there", () => {
    const { encoded } = roundTrip(files, sessions);
    expect(
      decodeFront(encoded.numbers, encoded.strings.subarray(0, -1), encoded.counts, STATE_FORMAT_VERSION),
    ).toBeNull();
    const longer = Buffer.concat([encoded.strings, Buffer.from("x")]);
    expect(decodeFront(encoded.numbers, longer, encoded.counts, STATE_FORMAT_VERSION)).toBeNull();
  });
});
