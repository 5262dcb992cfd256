import { execFileSync } from "node:child_process";
import { promises as fs } from "node:fs";
import path from "node:path";
import {
  FileRefusal,
  readJsonFile,
  readOwnFile,
  removeStaleTemps,
  writeAtomically,
  writeJsonFile,
  writeOwnFile,
} from "../../src/core/io";
import { tempDir } from "../helpers/transcripts";
import { readOnlyFolder } from "../helpers/read-only";

const MARK = { bytes: 4, isOurs: (head: Buffer) => head.toString() === "OURS", what: "one of ours" };
const payload = (text: string) => [Buffer.from(text)];

let dir: string;
beforeEach(async () => {
  dir = await tempDir("mimo-io-");
});
afterEach(async () => {
  await fs.rm(dir, { recursive: true, force: true });
});

async function fifo(name: string): Promise<string> {
  const file = path.join(dir, name);
  execFileSync("mkfifo", [file]);
  return file;
}

/** Fails the test instead of hanging it when a FIFO blocks a call. */
async function within<T>(ms: number, promise: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<T>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`still running after ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

describe("writeOwnFile", () => {
  it("creates a missing file (and its folder) and replaces a file of ours", async () => {
    const file = path.join(dir, "sub", "out");
    await writeOwnFile(file, payload("OURS 1"), MARK);
    await writeOwnFile(file, payload("OURS 2"), MARK);
    expect(await fs.readFile(file, "utf8")).toBe("OURS 2");
  });

  it.each([
    ["a README", "# Notes\nmine\n"],
    ["a transcript", '{"type":"assistant"}\n'],
    ["an empty file", ""],
  ])("leaves %s exactly as it was", async (_name, content) => {
    const file = path.join(dir, "theirs");
    await fs.writeFile(file, content);
    const before = await fs.stat(file);
    const error = await writeOwnFile(file, payload("OURS"), MARK).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(FileRefusal);
    expect((error as FileRefusal).kind).toBe("notOurs");
    expect((error as FileRefusal).message).toContain(file);
    expect(await fs.readFile(file, "utf8")).toBe(content);
    expect((await fs.stat(file)).ino).toBe(before.ino);
    expect(await fs.readdir(dir)).toEqual(["theirs"]);
  });

  it("writes a symbolic link's target and keeps the link", async () => {
    const target = path.join(dir, "real");
    const link = path.join(dir, "link");
    await fs.writeFile(target, "OURS old");
    await fs.symlink("real", link);
    await writeOwnFile(link, payload("OURS new"), MARK);
    expect((await fs.lstat(link)).isSymbolicLink()).toBe(true);
    expect(await fs.readFile(target, "utf8")).toBe("OURS new");
  });

  it("creates the target of a dangling link, and refuses a link to someone else's file", async () => {
    const link = path.join(dir, "link");
    await fs.symlink("made", link);
    await writeOwnFile(link, payload("OURS"), MARK);
    expect(await fs.readFile(path.join(dir, "made"), "utf8")).toBe("OURS");
    expect((await fs.lstat(link)).isSymbolicLink()).toBe(true);

    const other = path.join(dir, "other-link");
    await fs.writeFile(path.join(dir, "notes.md"), "notes");
    await fs.symlink("notes.md", other);
    await expect(writeOwnFile(other, payload("OURS"), MARK)).rejects.toBeInstanceOf(FileRefusal);
    expect(await fs.readFile(path.join(dir, "notes.md"), "utf8")).toBe("notes");
  });

  it("refuses a FIFO, a folder and a device without hanging", async () => {
    const pipe = await fifo("pipe");
    await expect(within(2000, writeOwnFile(pipe, payload("OURS"), MARK))).rejects.toMatchObject({
      kind: "notRegular",
    });
    expect((await fs.lstat(pipe)).isFIFO()).toBe(true);
    await fs.mkdir(path.join(dir, "folder"));
    await expect(writeOwnFile(path.join(dir, "folder"), payload("OURS"), MARK)).rejects.toMatchObject({
      kind: "notRegular",
    });
    await expect(writeOwnFile("/dev/null", payload("OURS"), MARK)).rejects.toMatchObject({ kind: "notRegular" });
    expect((await fs.lstat("/dev/null")).isCharacterDevice()).toBe(true);
  });
});

describe("readOwnFile", () => {
  it("reads a file of ours whole", async () => {
    const file = path.join(dir, "state");
    await fs.writeFile(file, "OURS and more");
    const read = await readOwnFile(file, 100, MARK);
    expect(read.ok && read.bytes.toString()).toBe("OURS and more");
    expect(await readOwnFile(path.join(dir, "missing"), 100, MARK)).toEqual({ ok: false, reason: "missing" });
  });

  it("refuses a FIFO, /dev/zero and a huge sparse file after a stat and a few bytes", async () => {
    const pipe = await fifo("pipe");
    const sparse = path.join(dir, "sparse");
    const handle = await fs.open(sparse, "w");
    await handle.write("OURS", 0);
    await handle.truncate(1024 * 1024 * 1024);
    await handle.close();
    const foreignSparse = path.join(dir, "foreign-sparse");
    await fs.writeFile(foreignSparse, "");
    await fs.truncate(foreignSparse, 1024 * 1024 * 1024);
    const rssBefore = process.memoryUsage().rss;
    for (const file of [pipe, "/dev/zero", sparse, foreignSparse]) {
      const read = await within(2000, readOwnFile(file, 1024 * 1024, MARK));
      expect(read).toMatchObject({ ok: false, reason: "refused" });
    }
    expect(process.memoryUsage().rss - rssBefore).toBeLessThan(64 * 1024 * 1024);
  });
});

describe("symbolic links", () => {
  it("reads through a link to a file in the same folder", async () => {
    await fs.writeFile(path.join(dir, "real"), "OURS here");
    await fs.symlink("real", path.join(dir, "link"));
    const read = await readOwnFile(path.join(dir, "link"), 100, MARK);
    expect(read.ok && read.bytes.toString()).toBe("OURS here");
  });

  it("refuses, and names, a link to /dev/zero or to another folder without reading it", async () => {
    const elsewhere = await tempDir("mimo-io-elsewhere-");
    try {
      await fs.writeFile(path.join(elsewhere, "theirs"), "OURS but somewhere else");
      await fs.symlink("/dev/zero", path.join(dir, "zero"));
      await fs.symlink(path.join(elsewhere, "theirs"), path.join(dir, "away"));
      const rssBefore = process.memoryUsage().rss;
      for (const [name, target] of [
        ["zero", "/dev/zero"],
        ["away", await fs.realpath(path.join(elsewhere, "theirs"))],
      ]) {
        const read = await within(2000, readOwnFile(path.join(dir, name), 1024 * 1024 * 1024, MARK));
        expect(read).toEqual({
          ok: false,
          reason: "refused",
          message: `${path.join(dir, name)} is a symbolic link to ${target}, outside its folder, so it was left alone`,
        });
      }
      expect(process.memoryUsage().rss - rssBefore).toBeLessThan(64 * 1024 * 1024);
    } finally {
      await fs.rm(elsewhere, { recursive: true, force: true });
    }
  });

  it("never writes through a link to another folder", async () => {
    const elsewhere = await tempDir("mimo-io-elsewhere-");
    try {
      const theirs = path.join(elsewhere, "theirs");
      await fs.writeFile(theirs, "OURS in looks only");
      await fs.symlink(theirs, path.join(dir, "away"));
      await expect(writeOwnFile(path.join(dir, "away"), payload("OURS new"), MARK)).rejects.toMatchObject({
        kind: "notOurs",
        message: expect.stringContaining("outside its folder"),
      });
      expect(await fs.readFile(theirs, "utf8")).toBe("OURS in looks only");
      expect((await fs.lstat(path.join(dir, "away"))).isSymbolicLink()).toBe(true);
    } finally {
      await fs.rm(elsewhere, { recursive: true, force: true });
    }
  });
});

describe("JSON files of ours", () => {
  const parse = (value: unknown) =>
    typeof value === "object" && value !== null && "n" in value && typeof value.n === "number"
      ? { success: true as const, data: value.n }
      : { success: false as const };
  const limits = { maxBytes: 1024, what: "a test file" };

  it("reads, and tells missing, damaged and refused apart", async () => {
    const file = path.join(dir, "f.json");
    expect(await readJsonFile(file, limits, parse)).toEqual({ ok: false, reason: "missing" });
    await fs.writeFile(file, '{"n":7}');
    expect(await readJsonFile(file, limits, parse)).toEqual({ ok: true, value: 7 });
    await fs.writeFile(file, '{"n":');
    expect(await readJsonFile(file, limits, parse)).toMatchObject({ ok: false, reason: "damaged" });
    await fs.writeFile(file, '{"m":1}');
    expect(await readJsonFile(file, limits, parse)).toMatchObject({ ok: false, reason: "damaged" });
    await fs.writeFile(file, `{"n":1,"pad":"${"x".repeat(2000)}"}`);
    expect(await readJsonFile(file, limits, parse)).toMatchObject({
      ok: false,
      reason: "refused",
      message: expect.stringContaining("more than a test file can be"),
    });
  });

  it("leaves a FIFO alone, neither hanging on it nor replacing it, and says it is one", async () => {
    const pipe = await fifo("f.json");
    expect(await within(2000, readJsonFile(pipe, limits, parse))).toEqual({
      ok: false,
      reason: "refused",
      message: `${pipe} is a FIFO, not a regular file, so it was left alone`,
    });
    await expect(within(2000, writeJsonFile(pipe, { n: 1 }, "a test file"))).rejects.toMatchObject({
      kind: "notRegular",
    });
    expect((await fs.lstat(pipe)).isFIFO()).toBe(true);
  });

  it("replaces a damaged file of its name, whole", async () => {
    const file = path.join(dir, "f.json");
    await fs.writeFile(file, "\u0000{not json");
    await writeJsonFile(file, { n: 2 }, "a test file");
    expect(await readJsonFile(file, limits, parse)).toEqual({ ok: true, value: 2 });
  });
});

describe("writeAtomically", () => {
  it("says why a folder cannot be made on a read-only disk, instead of ENOENT", async () => {
    const readOnly = await readOnlyFolder(dir);
    if (!readOnly) {
      console.warn("no read-only folder can be made here (needs a non-root user, or root with mount)");
      return;
    }
    try {
      const error = await writeAtomically(path.join(readOnly.path, "new", "sub", "state.bin"), payload("OURS")).catch(
        (e: unknown) => e,
      );
      expect(error).toMatchObject({ code: readOnly.code });
    } finally {
      await readOnly.release();
    }
  });
});

describe("removeStaleTemps", () => {
  it("removes temp files of killed writes and keeps live ones and other files", async () => {
    const target = path.join(dir, "state.bin");
    const dead = `${target}.999999999.0badcafe.tmp`;
    const old = `${target}.${process.ppid}.00c0ffee.tmp`;
    const live = `${target}.${process.ppid}.1234abcd.tmp`;
    const other = path.join(dir, "other.bin.999999999.0badcafe.tmp");
    const lookalike = `${target}.notes.tmp`;
    for (const file of [dead, old, live, other, lookalike]) await fs.writeFile(file, "x");
    const hourAgo = new Date(Date.now() - 60 * 60 * 1000);
    await fs.utimes(old, hourAgo, hourAgo);
    expect(await removeStaleTemps(target)).toBe(2);
    expect((await fs.readdir(dir)).sort()).toEqual([live, lookalike, other].map((f) => path.basename(f)).sort());
  });

  it("runs after every atomic write of ours", async () => {
    const target = path.join(dir, "out");
    await fs.writeFile(`${target}.999999999.0badcafe.tmp`, "left by a killed write");
    await writeOwnFile(target, payload("OURS"), MARK);
    expect(await fs.readdir(dir)).toEqual(["out"]);
  });
});
