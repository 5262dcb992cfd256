import { execFileSync } from "node:child_process";
import { promises as fs } from "node:fs";
import path from "node:path";

/** A folder nothing can be made in, the errno a write there gets, and how to give it back. */
export interface ReadOnlyFolder {
  path: string;
  code: "EROFS" | "EACCES";
  release: () => Promise<void>;
}

/**
 * A folder nothing can be made in, inside `parent`: a read-only tmpfs mounted there when running as
 * root (root ignores permissions), else a folder without write permission. Null when root cannot
 * mount (a container without the capability): the caller then has nothing to test.
 */
export async function readOnlyFolder(parent: string): Promise<ReadOnlyFolder | null> {
  const folder = path.join(parent, "read-only");
  await fs.mkdir(folder);
  if (process.getuid?.() !== 0) {
    await fs.chmod(folder, 0o555);
    return { path: folder, code: "EACCES", release: () => fs.chmod(folder, 0o755) };
  }
  try {
    execFileSync("mount", ["-t", "tmpfs", "-o", "ro,size=64k", "tmpfs", folder], { stdio: "ignore" });
  } catch {
    return null;
  }
  return { path: folder, code: "EROFS", release: async () => void execFileSync("umount", [folder]) };
}
