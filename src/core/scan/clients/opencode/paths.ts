import path from "node:path";
import { env, isDir, isFile, listDir, type LocateContext } from "../paths";

/**
 * Where OpenCode keeps its data, and Kilo, its fork, under its own name: the same layout and the
 * same reader (see reader.ts).
 */

/** OpenCode and Kilo: SQLite databases plus the JSON files from before the database. */
export interface OpenCodeSources {
  client: "opencode" | "kilo";
  /** The data folder shown to the user. */
  path: string;
  databases: string[];
  /** `storage/` with legacy `message/` and `part/` JSON, when present. */
  legacyDir: string | null;
}

/** `$XDG_DATA_HOME` when it is an absolute path, else `~/.local/share` (also on macOS, as both clients do). */
function dataHome(context: LocateContext): string {
  const xdg = env(context, "XDG_DATA_HOME");
  return xdg && path.isAbsolute(xdg) ? xdg : path.join(context.home, ".local", "share");
}

const DB_ENV = { opencode: "OPENCODE_DB", kilo: "KILO_DB" } as const;

/**
 * `<data>/<name>/<name>.db` plus channel builds' `<name>-<channel>.db`; `OPENCODE_DB` / `KILO_DB`
 * name one file instead, a relative one inside the client's data folder, where the client itself
 * resolves it.
 */
export function locateOpenCode(context: LocateContext, client: "opencode" | "kilo"): OpenCodeSources {
  const dir = path.join(dataHome(context), client);
  const override = env(context, DB_ENV[client]);
  if (override) {
    const file = path.resolve(dir, override);
    return { client, path: file, databases: isFile(file) ? [file] : [], legacyDir: null };
  }
  const channel = new RegExp(`^${client}-[A-Za-z0-9_-]+\\.db$`);
  const databases = listDir(dir)
    .filter((name) => name === `${client}.db` || channel.test(name))
    .sort((a, b) => Number(b === `${client}.db`) - Number(a === `${client}.db`) || a.localeCompare(b))
    .map((name) => path.join(dir, name))
    .filter(isFile);
  const storage = path.join(dir, "storage");
  return { client, path: dir, databases, legacyDir: isDir(path.join(storage, "message")) ? storage : null };
}
