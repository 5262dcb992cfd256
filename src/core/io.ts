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
  await fs.mkdir(path.dirname(file), { recursive: true });
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
 * Replaces `file` only if it is ours: missing (created), or a regular file whose first
 * `markBytes` bytes pass `isOurs`. A symbolic link is followed and its target written, so the link
 * stays a link. Throws a FileRefusal, and changes nothing, for anything else.
 */
export async function writeOwnFile(
  file: string,
  chunks: Buffer[],
  mark: { bytes: number; isOurs: (head: Buffer) => boolean; what: string },
): Promise<void> {
  const target = await resolveLinks(file);
  const head = await readHead(target, mark.bytes);
  if (head === "notRegular")
    throw new FileRefusal("notRegular", file, `${file} is not a regular file, so it was left alone`);
  if (head !== null && !mark.isOurs(head))
    throw new FileRefusal("notOurs", file, `${file} exists and is not ${mark.what}, so it was left as it was`);
  await writeAtomically(target, chunks);
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
 * The first `bytes` bytes of a regular file, null when there is no file, or "notRegular". Opening
 * without blocking means a FIFO cannot hang the call.
 */
async function readHead(file: string, bytes: number): Promise<Buffer | null | "notRegular"> {
  const opened = await openRegular(file);
  if (opened === null || opened === "notRegular") return opened;
  try {
    const length = Math.min(bytes, opened.size);
    const buffer = Buffer.alloc(length);
    const { bytesRead } = await opened.handle.read(buffer, 0, length, 0);
    return buffer.subarray(0, bytesRead);
  } finally {
    await opened.handle.close();
  }
}

async function openRegular(file: string): Promise<{ handle: fs.FileHandle; size: number } | null | "notRegular"> {
  let handle: fs.FileHandle;
  try {
    handle = await fs.open(file, fsSync.constants.O_RDONLY | fsSync.constants.O_NONBLOCK);
  } catch (error) {
    if (isErrno(error, "ENOENT")) return null;
    if (isErrno(error, "EISDIR")) return "notRegular";
    throw error;
  }
  const stats = await handle.stat().catch(async (error: unknown) => {
    await handle.close();
    throw error;
  });
  if (!stats.isFile()) {
    await handle.close();
    return "notRegular";
  }
  return { handle, size: stats.size };
}

export type BoundedRead =
  { ok: true; bytes: Buffer } | { ok: false; reason: "missing" } | { ok: false; reason: "refused"; message: string };

export type BoundedOpen =
  | { ok: true; fd: number; size: number }
  | { ok: false; reason: "missing" }
  | { ok: false; reason: "refused"; message: string };

/**
 * Opens a file for reading only after its own stat says it is a regular file of at most `maxBytes`
 * and only if its first `mark.bytes` bytes pass `mark.isOurs`. A FIFO, a device or a huge (possibly
 * sparse) file is refused after a stat and at most a few bytes, never read without bound. The
 * caller closes the descriptor it gets. Errors other than a missing file are thrown. The calls are
 * synchronous: this runs at the start of every refresh, and a few page-cache reads take less time
 * than one trip through the thread pool.
 */
export async function openOwnFile(
  file: string,
  maxBytes: number,
  mark: { bytes: number; isOurs: (head: Buffer) => boolean; what: string },
): Promise<BoundedOpen> {
  let fd: number;
  try {
    fd = fsSync.openSync(file, fsSync.constants.O_RDONLY | fsSync.constants.O_NONBLOCK);
  } catch (error) {
    // A path through a file ("a-file/state.bin") cannot exist either; saving will say why.
    if (isErrno(error, "ENOENT") || isErrno(error, "ENOTDIR")) return { ok: false, reason: "missing" };
    if (isErrno(error, "EISDIR")) return { ok: false, reason: "refused", message: `${file} is not a regular file` };
    throw error;
  }
  let keep = false;
  try {
    const stats = fsSync.fstatSync(fd);
    if (!stats.isFile()) return { ok: false, reason: "refused", message: `${file} is not a regular file` };
    const size = stats.size;
    const head = Buffer.alloc(Math.min(mark.bytes, size));
    fsSync.readSync(fd, head, 0, head.length, 0);
    if (!mark.isOurs(head)) return { ok: false, reason: "refused", message: `${file} is not ${mark.what}` };
    if (size > maxBytes)
      return { ok: false, reason: "refused", message: `${file} is ${size} bytes, more than ${mark.what} can be` };
    keep = true;
    return { ok: true, fd, size };
  } finally {
    if (!keep) fsSync.closeSync(fd);
  }
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
export async function readOwnFile(
  file: string,
  maxBytes: number,
  mark: { bytes: number; isOurs: (head: Buffer) => boolean; what: string },
): Promise<BoundedRead> {
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

export function isErrno(error: unknown, code: string): boolean {
  return errnoCode(error) === code;
}
