import { randomHex } from "./hashing";
import fsSync, { promises as fs } from "node:fs";
import path from "node:path";

/**
 * Small file helpers shared by the ledger, the caches, the CodexBar export and the CLI. The files we
 * write sit in places a person can point anywhere (`--state notes.md`), so the rule here is: ours or
 * untouched. A target is replaced only when it is missing or a regular file that carries our mark;
 * anything else (a person's file, a FIFO, a device, a folder) is left exactly as it was.
 */

/** Temp files are `<target>.<pid>.<8 hex>.tmp` beside the target, so a killed write is recognisable. */
const TEMP_PATTERN = /^(.+)\.(\d+)\.([0-9a-f]{8})\.tmp$/;
/** No write of ours takes this long; an older temp file was left by a write that died. */
const STALE_TEMP_MS = 10 * 60 * 1000;

/** A failure worth a sentence to the user; `kind` says which. */
export class FileRefusal extends Error {
  constructor(
    readonly kind: "notOurs" | "notRegular" | "tooBig",
    readonly file: string,
    message: string,
  ) {
    super(message);
  }
}

/**
 * Writes a whole file or nothing: a reader (or a crash) never sees half a file, because the bytes
 * go to a temporary file beside the target that is renamed over it once synced.
 */
export async function writeAtomically(file: string, chunks: Buffer[]): Promise<void> {
  await makeFolder(path.dirname(file));
  const temp = `${file}.${process.pid}.${randomHex(4)}.tmp`;
  const handle = await fs.open(temp, "wx");
  try {
    // One gathered write: each write is a round trip through the thread pool, and a state has a
    // score of columns, which a single buffer would first copy. A short write goes on where it stopped.
    const total = chunks.reduce((sum, chunk) => sum + chunk.length, 0);
    let written = (await handle.writev(chunks)).bytesWritten;
    if (written < total) {
      const all = Buffer.concat(chunks);
      while (written < total) written += (await handle.write(all, written, total - written, written)).bytesWritten;
    }
    await handle.sync();
  } catch (error) {
    await handle.close().catch(() => undefined);
    await fs.rm(temp, { force: true });
    throw error;
  }
  await handle.close();
  try {
    await fs.rename(temp, file);
  } catch (error) {
    await fs.rm(temp, { force: true });
    throw error;
  }
  await removeStaleTemps(file).catch(() => undefined);
}

/**
 * Makes a folder and the folders above it. Node's recursive mkdir says ENOENT when one on the way
 * cannot be made (a read-only disk, no permission), which reads as if something had vanished; they
 * are then made one by one from the first that exists, so the error is the real one (EROFS, EACCES).
 */
async function makeFolder(dir: string): Promise<void> {
  try {
    await fs.mkdir(dir, { recursive: true });
  } catch (error) {
    if (!isErrno(error, "ENOENT")) throw error;
    const missing: string[] = [];
    for (let at = path.resolve(dir); ; at = path.dirname(at)) {
      if (
        await fs.lstat(at).then(
          () => true,
          () => false,
        )
      )
        break;
      missing.unshift(at);
      if (path.dirname(at) === at) break;
    }
    for (const folder of missing) {
      await fs.mkdir(folder).catch((made: unknown) => {
        if (!isErrno(made, "EEXIST")) throw made;
      });
    }
  }
}

/**
 * Replaces `file` only if it is ours: missing (created), or a regular file whose first
 * `markBytes` bytes pass `isOurs`. A symbolic link is followed to a target in the link's own folder,
 * which is written, so the link stays a link; a link that leads elsewhere is refused like any file
 * that is not ours. Throws a FileRefusal, and changes nothing, for anything else.
 */
export async function writeOwnFile(
  file: string,
  chunks: Buffer[],
  mark: { bytes: number; isOurs: (head: Buffer) => boolean; what: string },
): Promise<void> {
  const elsewhere = linkLeadsElsewhere(file);
  if (elsewhere) throw new FileRefusal("notOurs", file, elsewhere);
  const target = await resolveLinks(file);
  const head = await readHead(target, mark.bytes);
  if (head !== null && typeof head !== "object")
    throw new FileRefusal("notRegular", file, `${file} is ${head}, not a regular file, so it was left alone`);
  if (head !== null && !mark.isOurs(head))
    throw new FileRefusal("notOurs", file, `${file} exists and is not ${mark.what}, so it was left as it was`);
  await writeAtomically(target, chunks);
}

/** Any regular file passes: for files that are ours by their name in a folder of ours. */
const BY_NAME = { bytes: 0, isOurs: () => true };

/**
 * Writes a JSON file of ours (the support folder's last snapshot, last platform answer, credit
 * history) whole or not at all. A regular file there is ours by its name and replaced, even when
 * damaged; a FIFO, a device, a folder or a link that leads out of the folder is left alone, and a
 * FileRefusal names it.
 */
export async function writeJsonFile(file: string, value: unknown, what: string): Promise<void> {
  await writeOwnFile(file, [Buffer.from(JSON.stringify(value), "utf8")], { ...BY_NAME, what });
}

/**
 * Where a symbolic link at `file` leads when that is outside the link's own folder, in words; null
 * for anything else (no link, a link within the folder, a dangling link, an unreadable path: the
 * open that follows says what those are). A link out of the folder may point at someone's file
 * or at a device (`/dev/zero`); it is refused before anything is opened.
 */
function linkLeadsElsewhere(file: string): string | null {
  try {
    if (!fsSync.lstatSync(file).isSymbolicLink()) return null;
    const folder = fsSync.realpathSync(path.dirname(path.resolve(file)));
    const target = fsSync.realpathSync(file);
    const relative = path.relative(folder, target);
    if (relative !== "" && !relative.startsWith("..") && !path.isAbsolute(relative)) return null;
    return `${file} is a symbolic link to ${target}, outside its folder, so it was left alone`;
  } catch {
    return null;
  }
}

/** The final target of a chain of symbolic links (or `file` itself); a dangling link's target path. */
async function resolveLinks(file: string): Promise<string> {
  let current = path.resolve(file);
  for (let hops = 0; hops < 40; hops++) {
    let stats: fsSync.Stats;
    try {
      stats = await fs.lstat(current);
    } catch (error) {
      if (isErrno(error, "ENOENT")) return current;
      throw error;
    }
    if (!stats.isSymbolicLink()) return current;
    current = path.resolve(path.dirname(current), await fs.readlink(current));
  }
  throw Object.assign(new Error(`too many symbolic links at ${file}`), { code: "ELOOP" });
}

/**
 * The first `bytes` bytes of a regular file, null when there is no file, or what the file is instead
 * ("a FIFO"). Opening without blocking means a FIFO cannot hang the call.
 */
async function readHead(file: string, bytes: number): Promise<Buffer | null | string> {
  const opened = await openRegular(file);
  if (opened === null || typeof opened === "string") return opened;
  try {
    const length = Math.min(bytes, opened.size);
    const buffer = Buffer.alloc(length);
    const { bytesRead } = await opened.handle.read(buffer, 0, length, 0);
    return buffer.subarray(0, bytesRead);
  } finally {
    await opened.handle.close();
  }
}

/** Read-only, without blocking on a FIFO and without making a terminal ours. */
const OPEN_FOR_READING = fsSync.constants.O_RDONLY | fsSync.constants.O_NONBLOCK | (fsSync.constants.O_NOCTTY ?? 0);

async function openRegular(file: string): Promise<{ handle: fs.FileHandle; size: number } | null | string> {
  let handle: fs.FileHandle;
  try {
    handle = await fs.open(file, OPEN_FOR_READING);
  } catch (error) {
    if (isErrno(error, "ENOENT")) return null;
    if (isErrno(error, "EISDIR")) return "a folder";
    throw error;
  }
  const stats = await handle.stat().catch(async (error: unknown) => {
    await handle.close();
    throw error;
  });
  if (!stats.isFile()) {
    await handle.close();
    return kindOf(stats);
  }
  return { handle, size: stats.size };
}

/** What a file that is not a regular file is, for a message. */
function kindOf(stats: fsSync.Stats): string {
  if (stats.isFIFO()) return "a FIFO";
  if (stats.isCharacterDevice() || stats.isBlockDevice()) return "a device";
  if (stats.isDirectory()) return "a folder";
  if (stats.isSocket()) return "a socket";
  return "a special file";
}

export type BoundedRead =
  { ok: true; bytes: Buffer } | { ok: false; reason: "missing" } | { ok: false; reason: "refused"; message: string };

export type BoundedOpen =
  | { ok: true; fd: number; size: number }
  | { ok: false; reason: "missing" }
  | { ok: false; reason: "refused"; message: string };

/** What a file must be to be read: at most `maxBytes`, and (with `bytes` > 0) its head ours. */
export interface ReadMark {
  bytes: number;
  isOurs: (head: Buffer) => boolean;
  what: string;
}

/**
 * The one way a file of ours is opened for reading: the state, the folder cache and every JSON file
 * of the support folder come through here, so none can forget a check. It is opened only after a
 * symbolic link there is seen to stay in its folder, and kept only when its own stat says it is a
 * regular file of at most `maxBytes` whose first `mark.bytes` bytes pass `mark.isOurs`. A FIFO, a
 * device, a link out of the folder or a huge (possibly sparse) file is refused, and named, after a
 * stat and at most a few bytes, never read without bound; the open never blocks. The caller closes
 * the descriptor it gets. Errors other than a missing file are thrown. The calls are synchronous:
 * this runs at the start of every refresh, and a few page-cache reads take less time than one trip
 * through the thread pool.
 */
export async function openOwnFile(file: string, maxBytes: number, mark: ReadMark): Promise<BoundedOpen> {
  const elsewhere = linkLeadsElsewhere(file);
  if (elsewhere) return { ok: false, reason: "refused", message: elsewhere };
  let fd: number;
  try {
    fd = fsSync.openSync(file, OPEN_FOR_READING);
  } catch (error) {
    // A path through a file ("a-file/state.bin") cannot exist either; saving will say why.
    if (isErrno(error, "ENOENT") || isErrno(error, "ENOTDIR")) return { ok: false, reason: "missing" };
    if (isErrno(error, "EISDIR")) return { ok: false, reason: "refused", message: notRegular(file, "a folder") };
    throw error;
  }
  let keep = false;
  try {
    const stats = fsSync.fstatSync(fd);
    if (!stats.isFile()) return { ok: false, reason: "refused", message: notRegular(file, kindOf(stats)) };
    const size = stats.size;
    if (mark.bytes > 0) {
      const head = Buffer.alloc(Math.min(mark.bytes, size));
      fsSync.readSync(fd, head, 0, head.length, 0);
      if (!mark.isOurs(head)) return { ok: false, reason: "refused", message: `${file} is not ${mark.what}` };
    }
    if (size > maxBytes)
      return { ok: false, reason: "refused", message: `${file} is ${size} bytes, more than ${mark.what} can be` };
    keep = true;
    return { ok: true, fd, size };
  } finally {
    if (!keep) fsSync.closeSync(fd);
  }
}

function notRegular(file: string, kind: string): string {
  return `${file} is ${kind}, not a regular file, so it was left alone`;
}

/** Reads `length` bytes at `position` into `into` (from its start); fewer only at the end of the file. */
export function readFully(fd: number, into: Uint8Array, length: number, position: number): number {
  let at = 0;
  while (at < length) {
    const read = fsSync.readSync(fd, into, at, length - at, position + at);
    if (read === 0) break;
    at += read;
  }
  return at;
}

/** Reads a whole file with the checks of openOwnFile. */
export async function readOwnFile(file: string, maxBytes: number, mark: ReadMark): Promise<BoundedRead> {
  const opened = await openOwnFile(file, maxBytes, mark);
  if (!opened.ok) return opened;
  try {
    const bytes = Buffer.allocUnsafe(opened.size);
    return { ok: true, bytes: bytes.subarray(0, readFully(opened.fd, bytes, opened.size, 0)) };
  } finally {
    fsSync.closeSync(opened.fd);
  }
}

/**
 * A JSON file of ours, parsed: "missing", "damaged" (not JSON, or not the shape `parse` wants:
 * written by an older version or cut short; the next write replaces it) or "refused" (not a file we
 * may read, see openOwnFile, or unreadable); `message` names the file and says why.
 */
export type JsonRead<T> =
  | { ok: true; value: T }
  | { ok: false; reason: "missing" }
  | { ok: false; reason: "damaged" | "refused"; message: string };

/** Reads a JSON file of ours through openOwnFile; nothing is thrown. */
export async function readJsonFile<T>(
  file: string,
  limits: { maxBytes: number; what: string },
  parse: (value: unknown) => { success: true; data: T } | { success: false },
): Promise<JsonRead<T>> {
  let read: BoundedRead;
  try {
    read = await readOwnFile(file, limits.maxBytes, { ...BY_NAME, what: limits.what });
  } catch (error) {
    return { ok: false, reason: "refused", message: `${file} could not be read (${describeErrno(error)})` };
  }
  if (!read.ok) return read;
  let value: unknown;
  try {
    value = JSON.parse(read.bytes.toString("utf8"));
  } catch {
    return { ok: false, reason: "damaged", message: `${file} is not valid JSON` };
  }
  const parsed = parse(value);
  if (!parsed.success) return { ok: false, reason: "damaged", message: `${file} is not ${limits.what}` };
  return { ok: true, value: parsed.data };
}

/**
 * Removes temp files a killed write of `file` left behind: same name pattern, a regular file, and
 * either its process is gone or it is older than any write takes.
 */
export async function removeStaleTemps(file: string, now = Date.now()): Promise<number> {
  const dir = path.dirname(file);
  const base = path.basename(file);
  let removed = 0;
  for (const name of await fs.readdir(dir)) {
    const match = TEMP_PATTERN.exec(name);
    if (!match || match[1] !== base) continue;
    const pid = Number(match[2]);
    const full = path.join(dir, name);
    const stats = await fs.lstat(full).catch(() => null);
    if (!stats?.isFile()) continue;
    if (pid === process.pid && now - stats.mtimeMs < STALE_TEMP_MS) continue;
    if (isRunning(pid) && now - stats.mtimeMs < STALE_TEMP_MS) continue;
    await fs.rm(full, { force: true });
    removed++;
  }
  return removed;
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return isErrno(error, "EPERM");
  }
}

/** The errno code of a failed call ("ENOENT"), or the message of any other error. */
export function errnoCode(error: unknown): string {
  if (error instanceof FileRefusal) return error.message;
  if (error && typeof error === "object" && "code" in error && typeof error.code === "string") return error.code;
  return error instanceof Error ? error.message : "unknown error";
}

const ERRNO_WORDS: Record<string, string> = {
  EROFS: "the disk is read-only",
  EACCES: "permission denied",
  EPERM: "operation not permitted",
  ENOSPC: "the disk is full",
  EDQUOT: "the disk quota is used up",
  ENOTDIR: "a part of the path is a file, not a folder",
  ENOENT: "no such file or folder",
  EIO: "the disk could not be read",
  ELOOP: "too many symbolic links",
};

/** An error for a person: "EROFS: the disk is read-only"; other errors as errnoCode gives them. */
export function describeErrno(error: unknown): string {
  const code = errnoCode(error);
  return ERRNO_WORDS[code] ? `${code}: ${ERRNO_WORDS[code]}` : code;
}

export function isErrno(error: unknown, code: string): boolean {
  return errnoCode(error) === code;
}
