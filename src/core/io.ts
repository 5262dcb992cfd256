import { randomBytes } from "node:crypto";
import { promises as fs } from "node:fs";
import path from "node:path";

/** Small file helpers shared by the ledger, the caches, the CodexBar export and the CLI. */

/**
 * Writes a whole file or nothing: a reader (or a crash) never sees half a file, because the bytes
 * go to a temporary file beside the target that is renamed over it once synced.
 */
export async function writeAtomically(file: string, chunks: Buffer[]): Promise<void> {
  await fs.mkdir(path.dirname(file), { recursive: true });
  const temp = `${file}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`;
  const handle = await fs.open(temp, "w");
  try {
    for (const chunk of chunks) await handle.write(chunk);
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
}

/** The errno code of a failed call ("ENOENT"), or the message of any other error. */
export function errnoCode(error: unknown): string {
  if (error && typeof error === "object" && "code" in error && typeof error.code === "string") return error.code;
  return error instanceof Error ? error.message : "unknown error";
}

export function isErrno(error: unknown, code: string): boolean {
  return errnoCode(error) === code;
}
