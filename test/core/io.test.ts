import { execFileSync } from "node:child_process";
import { promises as fs } from "node:fs";
import path from "node:path";
import { FileRefusal, readOwnFile, removeStaleTemps, writeOwnFile } from "../../src/core/io";
import { tempDir } from "../helpers/transcripts";

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
