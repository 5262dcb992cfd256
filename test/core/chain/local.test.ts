import fsSync, { promises as fs } from "node:fs";
import { costOf } from "../../../src/core/rates";
import path from "node:path";
import { createHash } from "node:crypto";
import { refreshUsage, type EngineConfig } from "../../../src/core/chain/local";
import { CELL_COLUMN_NAMES } from "../../../src/core/ledger/state";
import { loadState, STATE_FORMAT_VERSION } from "../../../src/core/ledger/state-file";
import { encodeFront, FILE_NUMBER_COLUMNS } from "../../../src/core/ledger/state-front";
import type { Snapshot } from "../../../src/core/views/schema";
import { assistant, configFor, tempDir, user, writeTranscript } from "../../helpers/transcripts";
import { readOnlyFolder } from "../../helpers/read-only";

/**
 * The state file at `file` rewritten in format 2, as the release before format 3 saved it: every
 * file entry (without ctime, with the hash of its first 4 KB) and session in the JSON header, then
 * the cell columns and the key section unchanged.
 */
async function formatTwo(file: string): Promise<Buffer> {
  const loaded = await loadState(file);
  if (!loaded.ok) throw new Error(loaded.message);
  const { state } = loaded;
  const cells = Buffer.concat(
    CELL_COLUMN_NAMES.map((name) => {
      const column = Float64Array.from(state.cells[name]);
      return Buffer.from(column.buffer);
    }),
  );
  const keys = state.packedKeys();
  state.release();
  const keyBytes = Buffer.concat(keys.chunks);
  const body = Buffer.concat([cells, keyBytes, Buffer.alloc((8 - ((cells.length + keyBytes.length) % 8)) % 8)]);
  const header = Buffer.from(
    JSON.stringify({
      version: 2,
      configKey: state.configKey,
      // Format 2 kept no ctime and called the hash of the first bytes its head.
      files: state.files.map((entry) => {
        const { path, root, dev, ino, size, mtimeMs, offset, tokens, messages, skipped, gone } = entry;
        const head = legacyHead(entry);
        return { path, root, dev, ino, size, mtimeMs, offset, head, tokens, messages, skipped, gone };
      }),
      sessions: state.sessions,
      models: state.models,
      clients: state.clientCursors,
      cellCount: state.cells.slot.length,
      keyCount: keys.keyCount,
      uncountedCount: keys.uncountedCount,
      bodyBytes: body.length,
      cellsDigest: createHash("sha1").update(cells).digest("hex"),
      keysDigest: keys.digest,
    }),
  );
  const prefix = Buffer.alloc(Math.ceil((16 + header.length) / 8) * 8);
  prefix.write("MIMOSTAT", 0, "ascii");
  prefix.writeUInt32LE(2, 8);
  prefix.writeUInt32LE(header.length, 12);
  header.copy(prefix, 16);
  return Buffer.concat([prefix, body]);
}

/**
 * The state file at `file` rewritten in format 3, as the release before format 4 saved it: the same
 * columns without the files' ctime, and a header without the time of the last full check. Entries
 * whose read ended past the first 4 KB get the hash of their first 4 KB, as format 3 kept it.
 */
async function formatThree(file: string): Promise<Buffer> {
  const loaded = await loadState(file);
  if (!loaded.ok) throw new Error(loaded.message);
  const { state } = loaded;
  const files = state.files.map((entry) => ({ ...entry, ends: legacyHead(entry) }));
  const front = encodeFront(files, state.sessions);
  const nf = files.length;
  const ctimeColumn = FILE_NUMBER_COLUMNS.indexOf("ctimeMs") * nf * 8;
  const numbers = Buffer.concat([front.numbers.subarray(0, ctimeColumn), front.numbers.subarray(ctimeColumn + nf * 8)]);
  const cells = Buffer.concat(
    CELL_COLUMN_NAMES.map((name) => Buffer.from(Float64Array.from(state.cells[name]).buffer)),
  );
  const frontBytes = Buffer.concat([numbers, cells, front.strings]);
  const keys = state.packedKeys();
  state.release();
  const keyBytes = Buffer.concat(keys.chunks);
  const pad = (n: number) => Buffer.alloc((8 - (n % 8)) % 8);
  const body = Buffer.concat([frontBytes, pad(frontBytes.length), keyBytes, pad(keyBytes.length)]);
  const skipped: Record<string, Record<string, number>> = {};
  files.forEach((entry, index) => {
    if (Object.keys(entry.skipped).length > 0) skipped[index] = entry.skipped;
  });
  const header = Buffer.from(
    JSON.stringify({
      version: 3,
      configKey: state.configKey,
      models: state.models,
      clients: state.clientCursors,
      skipped,
      ...front.counts,
      cellCount: state.cells.slot.length,
      keyCount: keys.keyCount,
      uncountedCount: keys.uncountedCount,
      bodyBytes: body.length,
      frontDigest: createHash("sha1").update(frontBytes).digest("hex"),
      keysDigest: keys.digest,
    }),
  );
  const prefix = Buffer.alloc(Math.ceil((16 + header.length) / 8) * 8);
  prefix.write("MIMOSTAT", 0, "ascii");
  prefix.writeUInt32LE(3, 8);
  prefix.writeUInt32LE(header.length, 12);
  header.copy(prefix, 16);
  return Buffer.concat([prefix, body]);
}

/** Formats 2 and 3 hashed a file's first 4 KB only (the ends hash is that up to 4 KB). */
function legacyHead(entry: { path: string; offset: number; gone: boolean; ends: string }): string {
  if (entry.offset <= 4096 || entry.gone) return entry.ends;
  return createHash("sha1").update(fsSync.readFileSync(entry.path).subarray(0, 4096)).digest("hex");
}

async function scan(config: EngineConfig): Promise<Snapshot> {
  const result = await refreshUsage(config);
  if (!result.ok) throw new Error(result.error);
  return result.snapshot;
}

const buckets = (s: { input: number; output: number; cacheRead: number; cacheWrite: number; total: number }) => ({
  input: s.input,
  output: s.output,
  cacheRead: s.cacheRead,
  cacheWrite: s.cacheWrite,
  total: s.total,
});

let root: string;
beforeEach(async () => {
  root = await tempDir();
});
afterEach(async () => {
  await fs.rm(root, { recursive: true, force: true });
});

describe("counting rules", () => {
  it("counts all four buckets and a total that includes cache writes", async () => {
    await writeTranscript(root, "s1.jsonl", [
      assistant({ ts: "2026-11-25T10:00:00Z", input: 10, output: 20, cacheRead: 300, cacheWrite: 4000 }),
    ]);
    const s = await scan(configFor([root]));
    expect(buckets(s.lifetime)).toEqual({ input: 10, output: 20, cacheRead: 300, cacheWrite: 4000, total: 4330 });
    expect(s.lifetime.messages).toBe(1);
    expect(s.lifetime.sessions).toBe(1);
  });

  it("counts a streamed response once, with the final line's usage", async () => {
    await writeTranscript(root, "s1.jsonl", [
      assistant({ id: "m1", req: "r1", ts: "2026-11-25T10:00:00.100Z", input: 5, output: 1, cacheRead: 100 }),
      assistant({ id: "m1", req: "r1", ts: "2026-11-25T10:00:00.900Z", input: 5, output: 7, cacheRead: 100 }),
      assistant({ id: "m1", req: "r1", ts: "2026-11-25T10:00:02.000Z", input: 5, output: 42, cacheRead: 100 }),
    ]);
    const s = await scan(configFor([root]));
    expect(buckets(s.lifetime)).toEqual({ input: 5, output: 42, cacheRead: 100, cacheWrite: 0, total: 147 });
    expect(s.lifetime.messages).toBe(1);
  });

  it("lets the latest timestamp win even when the final line comes first in the file", async () => {
    await writeTranscript(root, "s1.jsonl", [
      assistant({ id: "m1", req: "r1", ts: "2026-11-25T10:00:09Z", output: 50 }),
      assistant({ id: "m1", req: "r1", ts: "2026-11-25T10:00:01Z", output: 3 }),
    ]);
    expect((await scan(configFor([root]))).lifetime.output).toBe(50);
  });

  it("counts a response replayed into another file (a resumed session) once", async () => {
    const line = assistant({ id: "m1", req: "r1", ts: "2026-11-24T10:00:00Z", input: 10, output: 10 });
    await writeTranscript(root, "s1.jsonl", [line]);
    await writeTranscript(root, "s2.jsonl", [
      line,
      assistant({ id: "m2", req: "r2", ts: "2026-11-25T10:00:00Z", input: 1, output: 1, session: "s2" }),
    ]);
    const s = await scan(configFor([root]));
    expect(s.lifetime.total).toBe(22);
    expect(s.lifetime.messages).toBe(2);
  });

  it("keys lines without a requestId by message id and session, and counts lines with neither as they are", async () => {
    await writeTranscript(root, "s1.jsonl", [
      assistant({ id: "m1", req: null, ts: "2026-11-25T10:00:00Z", output: 5 }),
      assistant({ id: "m1", req: null, ts: "2026-11-25T10:00:01Z", output: 9 }),
      assistant({ id: "m1", req: null, session: "other", ts: "2026-11-25T10:00:01Z", output: 100 }),
      assistant({ id: null, req: null, ts: "2026-11-25T11:00:00Z", output: 1000, text: "a" }),
      assistant({ id: null, req: null, ts: "2026-11-25T11:00:00Z", output: 1000, text: "b" }),
    ]);
    const s = await scan(configFor([root]));
    expect(s.lifetime.output).toBe(9 + 100 + 2000);
    expect(s.lifetime.messages).toBe(4);
  });

  it("never counts API error lines or <synthetic> lines, and reports them", async () => {
    await writeTranscript(root, "s1.jsonl", [
      assistant({ id: "m1", ts: "2026-11-25T10:00:00Z", output: 5 }),
      assistant({ id: "e1", req: "re", ts: "2026-11-25T10:01:00Z", output: 77, extra: { isApiErrorMessage: true } }),
      assistant({ id: "e2", req: "rs", ts: "2026-11-25T10:02:00Z", output: 88, model: "<synthetic>" }),
    ]);
    const s = await scan(configFor([root]));
    expect(s.lifetime.output).toBe(5);
    expect(s.stats.skipped).toEqual({ apiError: 1, synthetic: 1 });
  });

  it("treats missing numbers as 0 and rejects negative or non-numeric ones", async () => {
    const bad = (usage: Record<string, unknown>, id: string) =>
      JSON.stringify({
        type: "assistant",
        sessionId: "s1",
        requestId: id,
        timestamp: "2026-11-25T10:00:00Z",
        message: { id, model: "mimo-v2.5", usage },
      });
    await writeTranscript(root, "s1.jsonl", [
      bad({ output_tokens: 4 }, "a"),
      bad({ input_tokens: -1, output_tokens: 4 }, "b"),
      bad({ input_tokens: "12", output_tokens: 4 }, "c"),
      bad({ input_tokens: 1, cache_read_input_tokens: null }, "d"),
    ]);
    const s = await scan(configFor([root]));
    expect(buckets(s.lifetime)).toEqual({ input: 1, output: 4, cacheRead: 0, cacheWrite: 0, total: 5 });
    expect(s.stats.skipped.invalid).toBe(2);
  });

  it("ignores lines of other types, even large ones that mention usage in their text", async () => {
    await writeTranscript(root, "s1.jsonl", [
      user("2026-11-25T09:00:00Z", '{"usage":{"input_tokens":999}} '.repeat(5000)),
      JSON.stringify({ type: "progress", data: { message: { usage: { input_tokens: 50 } } } }),
      assistant({ ts: "2026-11-25T10:00:00Z", input: 3 }),
    ]);
    const s = await scan(configFor([root]));
    expect(s.lifetime.total).toBe(3);
    expect(s.stats.skipped).toEqual({});
  });
});

describe("broken input", () => {
  it("skips malformed and binary lines, counting each reason, and keeps the good ones", async () => {
    const binary = Buffer.from([0x7b, 0xff, 0xfe, 0x22, 0x75, 0x73, 0x61, 0x67, 0x65, 0x22, 0x3a, 0x00, 0x7d]);
    const file = await writeTranscript(root, "s1.jsonl", [
      "this is not json",
      '{"type":"assistant","message":{"usage":{"input_tokens":1}',
      '{"type":"assistant","broken": "usage":}',
      assistant({ ts: "2026-11-25T10:00:00Z", input: 7 }),
    ]);
    await fs.appendFile(file, Buffer.concat([binary, Buffer.from("\n")]));
    await fs.appendFile(file, assistant({ id: "m2", req: "r2", ts: "2026-11-25T10:00:00Z", input: 1 }) + "\n");
    const s = await scan(configFor([root]));
    expect(s.lifetime.input).toBe(8);
    expect(s.stats.skipped).toEqual({ malformed: 3, invalidUtf8: 1 });
  });

  it("handles an empty file and a missing root without failing", async () => {
    await writeTranscript(root, "empty.jsonl", []);
    const missing = path.join(root, "nope");
    const s = await scan(configFor([root, missing]));
    expect(s.lifetime.total).toBe(0);
    expect(s.roots).toEqual([
      { path: root, kind: "dedicated", exists: true, files: 1 },
      { path: missing, kind: "dedicated", exists: false, files: 0 },
    ]);
    expect(s.sessions).toEqual([]);
  });

  it("reads a 10 MB line", async () => {
    const big = assistant({ ts: "2026-11-25T10:00:00Z", output: 11, text: "x".repeat(10 * 1024 * 1024) });
    await writeTranscript(root, "s1.jsonl", [
      big,
      assistant({ id: "m2", req: "r2", ts: "2026-11-25T10:00:01Z", output: 1 }),
    ]);
    const s = await scan(configFor([root]));
    expect(s.lifetime.output).toBe(12);
    expect(s.stats.bytesRead).toBeGreaterThan(10 * 1024 * 1024);
  });

  it("reads a transcript and a folder whose names are not UTF-8, and goes on from them in later refreshes", async () => {
    // Linux takes any bytes but "/" and NUL in a name; Latin-1 "é" is 0xE9 and invalid UTF-8.
    const projects = Buffer.from(path.join(root, "projects"));
    const bytePath = (...parts: (string | number[])[]) =>
      Buffer.concat([projects, ...parts.map((p) => (typeof p === "string" ? Buffer.from(p) : Buffer.from(p)))]);
    const folder = bytePath("/-caf", [0xe9]);
    const named = bytePath("/-work-app/s", [0xe9, 0xff], ".jsonl");
    const inFolder = bytePath("/-caf", [0xe9], "/s2.jsonl");
    await fs.mkdir(bytePath("/-work-app"), { recursive: true });
    await fs.mkdir(folder);
    const lines = (session: string, input: number) =>
      [
        assistant({ id: `m-${session}`, req: `r-${session}`, session, ts: "2026-11-25T10:00:00Z", input }),
        assistant({ id: null, req: null, session, ts: "2026-11-25T10:01:00Z", input: input * 10 }),
        "",
      ].join("\n");
    await fs.writeFile(named, lines("s1", 1));
    await fs.writeFile(inFolder, lines("s2", 2));
    await writeTranscript(root, "plain.jsonl", [
      assistant({ id: "m3", req: "r3", session: "s3", ts: "2026-11-25T10:00:00Z", input: 100 }),
    ]);

    const config = configFor([root], { statePath: path.join(root, "support", "state.bin") });
    const cold = await scan({ ...config, statePath: null });
    expect(cold.lifetime).toMatchObject({ input: 133, messages: 5 });
    expect(cold.stats).toMatchObject({ filesSeen: 3, skipped: {} });
    expect(cold.roots[0].files).toBe(3);

    const first = await scan(config);
    expect(first.lifetime).toEqual(cold.lifetime);
    const again = await scan(config);
    expect(again.stats).toMatchObject({ filesSeen: 3, filesRead: 0, bytesRead: 0, skipped: {} });
    expect(again.lifetime).toEqual(cold.lifetime);

    const appended = assistant({ id: "m4", req: "r4", session: "s1", ts: "2026-11-25T11:00:00Z", input: 1000 }) + "\n";
    await fs.appendFile(named, appended);
    const grown = await scan(config);
    expect(grown.stats).toMatchObject({ filesRead: 1, bytesRead: Buffer.byteLength(appended) });
    expect(grown.lifetime).toMatchObject({ input: 1133, messages: 6 });
    expect(grown.vanished.files).toBe(0);
  });

  it("reports an unreadable file and counts the others", async () => {
    const good = await writeTranscript(root, "good.jsonl", [assistant({ ts: "2026-11-25T10:00:00Z", input: 2 })]);
    const bad = await writeTranscript(root, "bad.jsonl", [
      assistant({ id: "b", ts: "2026-11-25T10:00:00Z", input: 5 }),
    ]);
    // CI runs as root, which can read a chmod 000 file, so the open itself is made to fail.
    const realOpen = fsSync.openSync;
    const spy = jest.spyOn(fsSync, "openSync").mockImplementation((file, ...rest) => {
      if (file === bad) throw Object.assign(new Error("denied"), { code: "EACCES" });
      return realOpen(file, ...rest);
    });
    try {
      const s = await scan(configFor([root]));
      expect(s.lifetime.input).toBe(2);
      expect(s.stats.skipped.unreadable).toBe(1);
      expect(good).toBeTruthy();
    } finally {
      spy.mockRestore();
    }
  });
});

describe("incremental refresh", () => {
  let statePath: string;
  beforeEach(() => {
    statePath = path.join(root, "support", "state.bin");
  });

  it("reads only appended bytes, and nothing when nothing changed", async () => {
    const file = await writeTranscript(root, "s1.jsonl", [
      assistant({ id: "m1", ts: "2026-11-25T10:00:00Z", input: 1 }),
    ]);
    const config = configFor([root], { statePath });
    const first = await scan(config);
    expect(first.stats.filesRead).toBe(1);

    const again = await scan(config);
    expect(again.stats).toMatchObject({ filesSeen: 1, filesRead: 0, bytesRead: 0 });
    expect(again.lifetime.input).toBe(1);

    const appended = assistant({ id: "m2", req: "r2", ts: "2026-11-25T10:05:00Z", input: 10 }) + "\n";
    await fs.appendFile(file, appended);
    const third = await scan(config);
    expect(third.stats.bytesRead).toBe(Buffer.byteLength(appended));
    expect(third.lifetime.input).toBe(11);
  });

  it("keeps a session known only from its summary line through a save and reload", async () => {
    await writeTranscript(root, "resumed.jsonl", [
      JSON.stringify({ type: "summary", summary: "Earlier work", leafUuid: "x" }),
      assistant({ id: "m1", session: "original", ts: "2026-11-25T10:00:00Z", input: 1 }),
    ]);
    const config = configFor([root], { statePath });
    await scan(config);
    const again = await scan(config);
    expect(again.warnings).toEqual([]);
    expect(again.stats.bytesRead).toBe(0);
    expect(again.sessions.map((s) => s.sessionId)).toEqual(["original"]);
  });

  it("counts a line without a trailing newline only once it is complete", async () => {
    const complete = assistant({ id: "m1", ts: "2026-11-25T10:00:00Z", input: 1 });
    const partial = assistant({ id: "m2", req: "r2", ts: "2026-11-25T10:00:01Z", input: 100 });
    const file = await writeTranscript(root, "s1.jsonl", [complete, partial.slice(0, 40)], { trailingNewline: false });
    const config = configFor([root], { statePath });
    expect((await scan(config)).lifetime.input).toBe(1);

    await fs.appendFile(file, partial.slice(40));
    expect((await scan(config)).lifetime.input).toBe(1);

    await fs.appendFile(file, "\n");
    const done = await scan(config);
    expect(done.lifetime.input).toBe(101);
    expect(done.lifetime.messages).toBe(2);
  });

  it("updates a streamed response whose final line arrives in a later refresh", async () => {
    const file = await writeTranscript(root, "s1.jsonl", [
      assistant({ id: "m1", req: "r1", ts: "2026-11-25T10:00:00Z", input: 5, output: 2 }),
    ]);
    const config = configFor([root], { statePath });
    expect((await scan(config)).lifetime.output).toBe(2);
    await fs.appendFile(
      file,
      assistant({ id: "m1", req: "r1", ts: "2026-11-25T10:00:03Z", input: 5, output: 60 }) + "\n",
    );
    const s = await scan(config);
    expect(s.lifetime.output).toBe(60);
    expect(s.lifetime.messages).toBe(1);
  });

  it("re-reads a truncated file without counting anything twice", async () => {
    const lines = [
      assistant({ id: "m1", req: "r1", ts: "2026-11-25T10:00:00Z", input: 1 }),
      assistant({ id: "m2", req: "r2", ts: "2026-11-25T10:00:01Z", input: 2 }),
    ];
    const file = await writeTranscript(root, "s1.jsonl", lines);
    const config = configFor([root], { statePath });
    await scan(config);
    await fs.truncate(file, Buffer.byteLength(lines[0]) + 1);
    const s = await scan(config);
    expect(s.stats.filesRead).toBe(1);
    expect(s.lifetime.input).toBe(3);
    expect(s.lifetime.messages).toBe(2);
  });

  it("re-reads a file replaced by a new one and counts its new lines once", async () => {
    const first = assistant({ id: "m1", req: "r1", ts: "2026-11-25T10:00:00Z", input: 1 });
    const file = await writeTranscript(root, "s1.jsonl", [first]);
    const config = configFor([root], { statePath });
    await scan(config);
    const replacement = path.join(root, "replacement.tmp");
    await fs.writeFile(
      replacement,
      [first, assistant({ id: "m9", req: "r9", ts: "2026-11-25T11:00:00Z", input: 40 }), ""].join("\n"),
    );
    await fs.rename(replacement, file);
    const s = await scan(config);
    expect(s.lifetime.input).toBe(41);
    expect(s.lifetime.messages).toBe(2);
  });

  it("notices a file rewritten in place with the same size", async () => {
    const a = assistant({ id: "m1", req: "r1", ts: "2026-11-25T10:00:00Z", input: 1 });
    const b = assistant({ id: "m2", req: "r2", ts: "2026-11-25T10:00:00Z", input: 2 });
    const file = await writeTranscript(root, "s1.jsonl", [a]);
    const config = configFor([root], { statePath });
    await scan(config);
    await fs.writeFile(file, b + "\n" + a + "\n");
    const s = await scan(config);
    expect(s.lifetime.input).toBe(3);
  });

  /** What a cold scan of the same files says, but for what only a refresh can differ in. */
  async function asCold(config: EngineConfig): Promise<unknown> {
    const strip = (s: Snapshot) => ({
      ...s,
      updatedAt: null,
      stats: { filesSeen: s.stats.filesSeen, skipped: s.stats.skipped },
    });
    return strip(await scan({ ...config, statePath: null }));
  }
  const comparable = (s: Snapshot) => ({
    ...s,
    updatedAt: null,
    stats: { filesSeen: s.stats.filesSeen, skipped: s.stats.skipped },
  });

  it("reads again from the start a file rewritten past its first 4 KB that did not shrink", async () => {
    const opening = user("2026-11-25T09:00:00Z", "x".repeat(6000));
    const first = assistant({ id: "m1", req: "r1", ts: "2026-11-25T10:00:00Z", input: 1, output: 5 });
    const file = await writeTranscript(root, "s1.jsonl", [opening, first]);
    const config = configFor([root], { statePath });
    expect((await scan(config)).lifetime.output).toBe(5);

    // Corrected in place: the first 6 KB stay, a response turns up before the old end, and the
    // one counted gets its final figure.
    await writeTranscript(root, "s1.jsonl", [
      opening,
      assistant({ id: "m0", req: "r0", ts: "2026-11-25T09:30:00Z", input: 40 }),
      assistant({ id: "m1", req: "r1", ts: "2026-11-25T10:00:00Z", input: 1, output: 9 }),
    ]);
    expect((await fs.stat(file)).size).toBeGreaterThan(Buffer.byteLength(`${opening}\n${first}\n`));
    const after = await scan(config);
    expect(after.stats.filesRead).toBe(1);
    expect(after.lifetime).toMatchObject({ input: 41, output: 9, messages: 2 });
    expect(comparable(after)).toEqual(await asCold(config));
  });

  it("reads again a file rewritten with the same size and its old mtime put back", async () => {
    const opening = user("2026-11-25T09:00:00Z", "x".repeat(6000));
    const line = assistant({ id: "m1", req: "r1", ts: "2026-11-25T10:00:00Z", input: 1, output: 5 });
    const file = await writeTranscript(root, "s1.jsonl", [opening, line]);
    // A whole second, so putting it back gives the very same mtime on every file system.
    const mtime = new Date("2026-11-25T10:00:01Z");
    await fs.utimes(file, mtime, mtime);
    const config = configFor([root], { statePath });
    expect((await scan(config)).lifetime.output).toBe(5);

    const before = await fs.stat(file);
    await writeTranscript(root, "s1.jsonl", [opening, line.replace('"output_tokens":5', '"output_tokens":9')]);
    await fs.utimes(file, mtime, mtime);
    const rewritten = await fs.stat(file);
    expect([rewritten.size, rewritten.mtimeMs]).toEqual([before.size, before.mtimeMs]);

    const after = await scan(config);
    expect(after.lifetime.output).toBe(9);
    expect(comparable(after)).toEqual(await asCold(config));
    // Read once: the next refresh finds it as read.
    expect((await scan(config)).stats.filesRead).toBe(0);
  });

  it("reads again once a day the files changed since the last check, which catches an edit that kept both ends", async () => {
    const filler = (ts: string) => user(ts, "y".repeat(6000));
    const line = assistant({ id: "m1", req: "r1", ts: "2026-11-25T10:00:00Z", input: 1, output: 5 });
    const file = await writeTranscript(root, "s1.jsonl", [
      filler("2026-11-25T09:00:00Z"),
      line,
      filler("2026-11-25T10:01:00Z"),
    ]);
    await writeTranscript(root, "untouched.jsonl", [
      assistant({ id: "m9", req: "r9", session: "u", ts: "2026-11-24T10:00:00Z", input: 3 }),
    ]);
    // File times tick coarsely: the check takes in what changed up to 2 s before it.
    await new Promise((resolve) => setTimeout(resolve, 2100));
    const config = configFor([root], { statePath });
    await scan(config);

    // The middle corrected in place and a line appended: the bytes at both ends of the old read stay.
    const appended = assistant({ id: "m2", req: "r2", ts: "2026-11-25T10:02:00Z", input: 7 });
    await writeTranscript(root, "s1.jsonl", [
      filler("2026-11-25T09:00:00Z"),
      line.replace('"output_tokens":5', '"output_tokens":9'),
      filler("2026-11-25T10:01:00Z"),
      appended,
    ]);
    const sameDay = await scan(config);
    expect(sameDay.stats.bytesRead).toBe(Buffer.byteLength(appended) + 1);
    expect(sameDay.lifetime.output).toBe(5);

    const clock = jest.spyOn(Date, "now").mockReturnValue(Date.now() + 24 * 60 * 60 * 1000);
    try {
      const nextDay = await scan(config);
      expect(nextDay.stats.filesRead).toBe(1);
      expect(nextDay.lifetime.output).toBe(9);
      expect(comparable(nextDay)).toEqual(await asCold(config));
      expect((await scan(config)).stats.filesRead).toBe(0);
    } finally {
      clock.mockRestore();
    }
    expect(file).toBeTruthy();
  });

  it("takes a transcript replaced by a hard link to another for neither deleted nor new", async () => {
    const a = await writeTranscript(root, "a.jsonl", [
      assistant({ id: "m1", req: "r1", session: "a", ts: "2026-11-25T10:00:00Z", input: 1 }),
      assistant({ id: null, req: null, session: "a", ts: "2026-11-25T10:01:00Z", input: 1000 }),
    ]);
    const b = await writeTranscript(root, "b.jsonl", [
      assistant({ id: "m2", req: "r2", session: "b", ts: "2026-11-25T10:00:00Z", input: 10 }),
      assistant({ id: null, req: null, session: "b", ts: "2026-11-25T10:01:00Z", input: 100 }),
    ]);
    const config = configFor([root], { statePath });
    expect((await scan(config)).lifetime.total).toBe(1111);

    // a.jsonl sorts first, so discovery meets b's file under a's path first.
    const link = path.join(root, "link.tmp");
    await fs.link(b, link);
    await fs.rename(link, a);
    const after = await scan(config);
    expect(after.vanished).toEqual({ files: 0, messages: 0, total: 0 });
    expect(after.lifetime).toMatchObject({ total: 1111, messages: 4 });
    // The new link moved the file's ctime, so it was read again, under its own name.
    expect(after.stats.filesSeen).toBe(1);
    expect(after.sessions.map((s) => [s.sessionId, s.file])).toEqual([
      ["a", a],
      ["b", b],
    ]);

    // Written through either name, the file is read on once.
    await fs.appendFile(
      a,
      assistant({ id: "m3", req: "r3", session: "b", ts: "2026-11-25T11:00:00Z", input: 5 }) + "\n",
    );
    const grown = await scan(config);
    expect(grown.lifetime).toMatchObject({ total: 1116, messages: 5 });
    expect(grown.vanished.files).toBe(0);
  });

  it("keeps a deleted transcript's contribution in lifetime and says how much it is", async () => {
    const old = await writeTranscript(root, "old.jsonl", [
      assistant({ id: "m1", req: "r1", session: "old", ts: "2026-10-01T10:00:00Z", input: 100, output: 50 }),
    ]);
    await writeTranscript(root, "new.jsonl", [
      assistant({ id: "m2", req: "r2", session: "new", ts: "2026-11-25T10:00:00Z", input: 1 }),
    ]);
    const config = configFor([root], { statePath });
    expect((await scan(config)).lifetime.total).toBe(151);
    await fs.rm(old);
    const s = await scan(config);
    expect(s.lifetime.total).toBe(151);
    expect(s.vanished).toEqual({ files: 1, messages: 1, total: 150 });
    expect(s.sessions.find((x) => x.sessionId === "old")).toMatchObject({ file: null, total: 150 });
    expect(s.windows.lifetimeFrom).toBe("2026-10-01");
  });

  it("falls back to a full rescan when the state is corrupt, truncated or from another version", async () => {
    await writeTranscript(root, "s1.jsonl", [assistant({ ts: "2026-11-25T10:00:00Z", input: 9 })]);
    const config = configFor([root], { statePath });
    await scan(config);
    const good = await fs.readFile(statePath);

    const damaged = Buffer.from(good);
    // The first byte of the cell columns, just past the 8-byte aligned header.
    damaged[Math.ceil((16 + good.readUInt32LE(12)) / 8) * 8] ^= 0xff;
    for (const bytes of [good.subarray(0, good.length - 8), damaged]) {
      await fs.writeFile(statePath, bytes);
      const s = await scan(config);
      expect(s.lifetime.input).toBe(9);
      expect(s.stats.filesRead).toBe(1);
      expect(s.warnings.join(" ")).toMatch(/could not be used/);
    }
    const otherVersion = Buffer.from(good);
    otherVersion.writeUInt32LE(99, 8);
    await fs.writeFile(statePath, otherVersion);
    expect((await scan(config)).lifetime.input).toBe(9);
    // Each fallback saved a good state again, so the next refresh reads nothing.
    expect((await scan(config)).stats.bytesRead).toBe(0);
  });

  it("falls back when the key section alone is damaged, found only once something must be counted", async () => {
    const file = await writeTranscript(root, "s1.jsonl", [assistant({ ts: "2026-11-25T10:00:00Z", input: 9 })]);
    const config = configFor([root], { statePath });
    await scan(config);
    const damaged = await fs.readFile(statePath);
    damaged[damaged.length - 9] ^= 0xff;
    await fs.writeFile(statePath, damaged);
    expect((await scan(config)).warnings).toEqual([]);
    await fs.appendFile(file, assistant({ id: "m2", req: "r2", ts: "2026-11-25T10:01:00Z", input: 1 }) + "\n");
    const s = await scan(config);
    expect(s.lifetime.input).toBe(10);
    expect(s.warnings.join(" ")).toMatch(/could not be used/);
  });

  it("carries a state saved in format 2 over without reading a byte again or losing kept usage", async () => {
    const old = await writeTranscript(root, "old.jsonl", [
      assistant({ id: "m1", req: "r1", session: "old", ts: "2026-10-01T10:00:00Z", input: 100, output: 50 }),
    ]);
    const file = await writeTranscript(root, "new.jsonl", [
      assistant({ id: "m2", req: "r2", session: "new", ts: "2026-11-25T10:00:00Z", input: 1 }),
    ]);
    const config = configFor([root], { statePath });
    await scan(config);
    await fs.rm(old);
    const before = await scan(config);
    await fs.writeFile(statePath, await formatTwo(statePath));

    const upgraded = await scan(config);
    expect(upgraded.warnings).toEqual([]);
    expect(upgraded.stats.bytesRead).toBe(0);
    expect({ ...upgraded, stats: null, updatedAt: null }).toEqual({ ...before, stats: null, updatedAt: null });
    expect((await fs.readFile(statePath)).readUInt32LE(8)).toBe(STATE_FORMAT_VERSION);
    // Saved in the current format once; after that a refresh with nothing new leaves it alone.
    const saved = (await fs.stat(statePath)).mtimeMs;
    expect((await scan(config)).stats.bytesRead).toBe(0);
    expect((await fs.stat(statePath)).mtimeMs).toBe(saved);
    await fs.appendFile(
      file,
      assistant({ id: "m3", req: "r3", session: "new", ts: "2026-11-25T10:05:00Z", input: 2 }) + "\n",
    );
    const after = await scan(config);
    expect(after.lifetime.total).toBe(153);
    expect(after.vanished).toEqual({ files: 1, messages: 1, total: 150 });
  });

  it("carries a state saved in format 3 over without reading a byte again or losing kept usage", async () => {
    const old = await writeTranscript(root, "old.jsonl", [
      assistant({ id: "m1", req: "r1", session: "old", ts: "2026-10-01T10:00:00Z", input: 100, output: 50 }),
    ]);
    // Longer than 4 KB, so format 3's hash of its first bytes is not its ends hash.
    const file = await writeTranscript(root, "new.jsonl", [
      user("2026-11-25T09:00:00Z", "z".repeat(9000), "new"),
      assistant({ id: null, req: null, session: "new", ts: "2026-11-25T10:00:00Z", input: 1 }),
    ]);
    const config = configFor([root], { statePath });
    await scan(config);
    await fs.rm(old);
    const before = await scan(config);
    await fs.writeFile(statePath, await formatThree(statePath));

    const upgraded = await scan(config);
    expect(upgraded.warnings).toEqual([]);
    expect(upgraded.stats.bytesRead).toBe(0);
    expect({ ...upgraded, stats: null, updatedAt: null }).toEqual({ ...before, stats: null, updatedAt: null });
    expect((await fs.readFile(statePath)).readUInt32LE(8)).toBe(STATE_FORMAT_VERSION);
    expect((await scan(config)).stats.bytesRead).toBe(0);

    // Its old hash cannot vouch for the bytes before its end, so it is read once from the start,
    // and its line without ids does not count twice.
    await fs.appendFile(
      file,
      assistant({ id: "m3", req: "r3", session: "new", ts: "2026-11-25T10:05:00Z", input: 2 }) + "\n",
    );
    const after = await scan(config);
    expect(after.stats.bytesRead).toBe((await fs.stat(file)).size);
    expect(after.lifetime.total).toBe(153);
    expect(after.vanished).toEqual({ files: 1, messages: 1, total: 150 });
  });

  it("rescans when the folders or filter change, since stored totals belong to the old configuration", async () => {
    await writeTranscript(root, "s1.jsonl", [assistant({ ts: "2026-11-25T10:00:00Z", model: "other", input: 9 })]);
    await scan(configFor([root], { statePath }));
    const shared = await scan(configFor([{ path: root, kind: "shared" }], { statePath }));
    expect(shared.lifetime.input).toBe(0);
    expect(shared.stats.skipped.otherModel).toBe(1);
  });

  it("loses and double-counts nothing when two refreshes run at once", async () => {
    for (let i = 0; i < 20; i++) {
      await writeTranscript(root, `s${i}.jsonl`, [
        assistant({ id: `m${i}`, req: `r${i}`, session: `s${i}`, ts: "2026-11-25T10:00:00Z", input: 1, output: 1 }),
      ]);
    }
    const config = configFor([root], { statePath });
    const [a, b] = await Promise.all([refreshUsage(config), refreshUsage({ ...config })]);
    expect(a.ok && b.ok && a.snapshot.lifetime.total).toBe(40);
    expect(b.ok && b.snapshot.lifetime.total).toBe(40);

    // A second engine instance (its own module copy, as another process would have) writing the
    // same state file at the same time: whichever save lands, the saved state must be exact.
    let other: typeof import("../../../src/core/chain/local") | undefined;
    jest.isolateModules(() => {
      other = jest.requireActual<typeof import("../../../src/core/chain/local")>("../../../src/core/chain/local");
    });
    await writeTranscript(root, "late.jsonl", [
      assistant({ id: "late", req: "late", session: "late", ts: "2026-11-25T11:00:00Z", input: 5 }),
    ]);
    const [c, d] = await Promise.all([refreshUsage(config), other!.refreshUsage(config)]);
    expect(c.ok && c.snapshot.lifetime.total).toBe(45);
    expect(d.ok && d.snapshot.lifetime.total).toBe(45);
    const after = await scan(config);
    expect(after.lifetime.total).toBe(45);
    expect(after.stats.bytesRead).toBe(0);
  });

  it("keeps folder listings beside the state, and leaves a foreign file at that place alone", async () => {
    await writeTranscript(root, "s1.jsonl", [assistant({ ts: "2026-11-25T10:00:00Z", input: 9 })]);
    const config = configFor([root], { statePath });
    await scan(config);
    const [head, ...folders] = (await fs.readFile(`${statePath}.folders`, "utf8")).trimEnd().split("\n");
    expect(JSON.parse(head)).toMatchObject({ version: 3 });
    expect(folders.map((line) => JSON.parse(line)[4])).toContain("fs1.jsonl");
    await fs.writeFile(`${statePath}.folders`, "my notes");
    const later = await writeTranscript(root, "s2.jsonl", [
      assistant({ id: "m2", req: "r2", ts: "2026-11-25T10:00:00Z", input: 1 }),
    ]);
    expect(later).toBeTruthy();
    const s = await scan(config);
    expect(s.lifetime.input).toBe(10);
    expect(s.warnings).toEqual([]);
    expect(await fs.readFile(`${statePath}.folders`, "utf8")).toBe("my notes");
  });

  it("still answers when the state cannot be saved, and says so", async () => {
    await writeTranscript(root, "s1.jsonl", [assistant({ ts: "2026-11-25T10:00:00Z", input: 9 })]);
    const blocker = path.join(root, "blocked");
    await fs.writeFile(blocker, "a file where a folder should be");
    const statePath = path.join(blocker, "state.bin");
    const s = await scan(configFor([root], { statePath }));
    expect(s.lifetime.input).toBe(9);
    // No state was ever saved there, so there is no last state to go on from.
    expect(s.warnings).toEqual([
      `Could not save the scan state at ${statePath} (ENOTDIR: a part of the path is a file, not a folder); no state was saved before, so every refresh reads all transcripts until one can be saved there.`,
    ]);
  });

  it("says a new state path on a read-only disk is read-only, not missing", async () => {
    await writeTranscript(root, "s1.jsonl", [assistant({ ts: "2026-11-25T10:00:00Z", input: 9 })]);
    const readOnly = await readOnlyFolder(root);
    if (!readOnly) {
      console.warn("no read-only folder can be made here (needs a non-root user, or root with mount)");
      return;
    }
    try {
      const statePath = path.join(readOnly.path, "support", "state.bin");
      const s = await scan(configFor([root], { statePath }));
      expect(s.lifetime.input).toBe(9);
      expect(s.warnings).toEqual([
        expect.stringContaining(`Could not save the scan state at ${statePath} (${readOnly.code}: `),
      ]);
      expect(s.warnings[0]).toMatch(/no state was saved before/);
    } finally {
      await readOnly.release();
    }
  });
});

describe("failures", () => {
  let root: string;
  beforeEach(async () => {
    root = await tempDir();
  });

  it("names the setting at fault by kind, and keeps what was read when only the time zone is wrong", async () => {
    await writeTranscript(root, "s1.jsonl", [assistant({ ts: "2026-11-25T10:00:00Z", input: 9 })]);
    const statePath = path.join(root, "state.bin");
    const badZone = await refreshUsage(configFor([root], { statePath, timeZone: "Mars/Olympus" }));
    expect(badZone).toEqual({
      ok: false,
      kind: "invalidTimeZone",
      error: '"Mars/Olympus" is not an IANA time zone',
      cause: "timeZone",
    });
    // Counting does not depend on the zone: the next refresh with a good one reads nothing again.
    const next = await scan(configFor([root], { statePath }));
    expect(next.stats.filesRead).toBe(0);
    expect(next.lifetime.input).toBe(9);

    const badFilter = await refreshUsage(configFor([root], { modelFilter: "(" }));
    expect(badFilter).toMatchObject({ ok: false, kind: "invalidModelFilter" });
  });
});

describe("roots", () => {
  it("counts everything in dedicated roots and only matching models in shared ones", async () => {
    const shared = await tempDir();
    try {
      await writeTranscript(root, "a.jsonl", [
        assistant({ id: "a", ts: "2026-11-25T10:00:00Z", model: "glm-4", input: 1 }),
      ]);
      await writeTranscript(shared, "b.jsonl", [
        assistant({ id: "b1", req: "b1", ts: "2026-11-25T10:00:00Z", model: "claude-sonnet-4-5", input: 1000 }),
        assistant({ id: "b2", req: "b2", ts: "2026-11-25T10:00:00Z", model: "MiMo-V2.5-Pro", input: 20 }),
      ]);
      const s = await scan(configFor([root, { path: shared, kind: "shared" }]));
      expect(s.lifetime.input).toBe(21);
      expect(s.stats.skipped).toEqual({ otherModel: 1 });
      expect(s.models.map((m) => m.model).sort()).toEqual(["MiMo-V2.5-Pro", "glm-4"]);
    } finally {
      await fs.rm(shared, { recursive: true, force: true });
    }
  });

  it("scans a file reached twice (symlink, overlapping roots) once", async () => {
    await writeTranscript(root, "s1.jsonl", [assistant({ ts: "2026-11-25T10:00:00Z", input: 4, id: null, req: null })]);
    const alias = await tempDir();
    try {
      await fs.symlink(path.join(root, "projects"), path.join(alias, "projects"));
      const s = await scan(configFor([root, alias, { path: root, kind: "shared" }]));
      expect(s.lifetime.input).toBe(4);
      expect(s.stats.filesSeen).toBe(1);
    } finally {
      await fs.rm(alias, { recursive: true, force: true });
    }
  });

  it("puts sub-agent transcripts in their parent session", async () => {
    await writeTranscript(root, "parent.jsonl", [
      assistant({ id: "p", req: "p", session: "parent", ts: "2026-11-25T10:00:00Z", input: 1, cwd: "/work/app" }),
    ]);
    await writeTranscript(
      root,
      "parent/subagents/agent-1.jsonl",
      [assistant({ id: "c", req: "c", session: null, ts: "2026-11-25T10:30:00Z", input: 2 })],
      {},
    );
    const s = await scan(configFor([root]));
    expect(s.sessions).toHaveLength(1);
    expect(s.sessions[0]).toMatchObject({
      sessionId: "parent",
      project: "/work/app",
      input: 3,
      messages: 2,
      file: path.join(root, "projects", "-work-app", "parent.jsonl"),
    });
  });
});

describe("sessions", () => {
  it("records project, files, times, models, summary, cost and a series, newest first", async () => {
    await writeTranscript(root, "a.jsonl", [
      JSON.stringify({ type: "summary", summary: "Fix login", leafUuid: "x" }),
      assistant({ id: "1", req: "1", session: "a", ts: "2026-11-20T10:00:00Z", input: 1_000_000, cwd: "/w/one" }),
      assistant({ id: "2", req: "2", session: "a", ts: "2026-11-20T11:00:00Z", output: 1_000_000, model: "mimo-v2.5" }),
    ]);
    await writeTranscript(root, "b.jsonl", [
      assistant({ id: "3", req: "3", session: "b", ts: "2026-11-25T10:00:00Z", input: 5, model: "unknown-model" }),
    ]);
    const s = await scan(configFor([root]));
    expect(s.sessions.map((x) => x.sessionId)).toEqual(["b", "a"]);
    const a = s.sessions[1];
    expect(a).toMatchObject({
      project: "/w/one",
      summary: "Fix login",
      firstAt: "2026-11-20T10:00:00.000Z",
      lastAt: "2026-11-20T11:00:00.000Z",
      models: ["mimo-v2.5", "mimo-v2.5-pro"],
      messages: 2,
      total: 2_000_000,
    });
    // 1M input at 300 Credits a token on v2.5-pro plus 1M output at 200 on v2.5: 5 CNY of list price.
    expect(a).toMatchObject({ credits: 500_000_000, uncreditedTokens: 0 });
    expect(costOf(a)).toEqual({ amount: 5, currency: "CNY", partial: false });
    // Each point carries its own Credits (its model's rate), not a share of the session's.
    expect(a.series).toEqual([
      { at: "2026-11-20T10:00:00.000Z", total: 1_000_000, credits: 300_000_000 },
      { at: "2026-11-20T11:00:00.000Z", total: 1_000_000, credits: 200_000_000 },
    ]);
    expect(s.sessions[0].series).toEqual([{ at: "2026-11-25T10:00:00.000Z", total: 5, credits: 0 }]);
    expect(costOf(s.sessions[0])).toBeNull();
    expect(s.sessions[0].uncreditedTokens).toBe(s.sessions[0].total);
    expect(s.lifetime).toMatchObject({ credits: 500_000_000, uncreditedTokens: s.sessions[0].total });
    expect(costOf(s.lifetime)).toEqual({ amount: 5, currency: "CNY", partial: true });
    expect(s.lastActivity).toBe("2026-11-25T10:00:00.000Z");
  });

  it("adds the Credits of slots merged into one point exactly, each at its own model's rate", async () => {
    // 10:00 to 16:00 the next day is 121 slots: more than 96 points, so two slots make one point.
    await writeTranscript(root, "long.jsonl", [
      assistant({ id: "1", req: "1", session: "l", ts: "2026-11-20T10:00:00Z", input: 1_000, cacheRead: 1 }),
      assistant({ id: "2", req: "2", session: "l", ts: "2026-11-20T10:20:00Z", output: 10, model: "mimo-v2.5" }),
      assistant({ id: "3", req: "3", session: "l", ts: "2026-11-21T16:00:00Z", input: 1 }),
    ]);
    const [session] = (await scan(configFor([root]))).sessions;
    expect(session.seriesStepMs).toBe(30 * 60_000);
    // 1,000 miss at 300 and 1 hit at 2.5 on v2.5-pro, 10 output at 200 on v2.5.
    expect(session.series).toEqual([
      { at: "2026-11-20T10:00:00.000Z", total: 1_011, credits: 302_002.5 },
      { at: "2026-11-21T16:00:00.000Z", total: 1, credits: 300 },
    ]);
    expect(session.series.reduce((sum, point) => sum + point.credits, 0)).toBe(session.credits);
  });
});
