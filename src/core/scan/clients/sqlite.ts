import { execFile } from "node:child_process";
import fs from "node:fs";

/**
 * Read-only access to another client's SQLite database. Two ways in, same answers:
 *
 * - `node:sqlite` (Node ≥ 22.13, so every Raycast that runs this extension): opened read-only, it
 *   sees rows a running client has committed to the WAL but not yet checkpointed.
 * - the `sqlite3` command-line shell (`-readonly -json`), which macOS ships as /usr/bin/sqlite3:
 *   the fallback where Node has no `node:sqlite` (Node 20, which the tests and CI run on).
 *
 * A WebAssembly reader would read the main file only and miss the WAL, so today's figures of a
 * running client would lag. Neither way here writes, checkpoints or holds a lock past the query:
 * in WAL mode a reader never blocks the client's writer.
 */

export type SqliteBackendName = "node:sqlite" | "sqlite3";
export type SqliteRow = Record<string, unknown>;

export interface SqliteHandle {
  readonly backend: SqliteBackendName;
  /** Runs one SELECT and returns its rows as plain objects keyed by column name. */
  all(sql: string): Promise<SqliteRow[]>;
  /** Runs one SELECT and hands its rows over one at a time, without holding them all where it can. */
  each(sql: string, onRow: (row: SqliteRow) => void): Promise<void>;
  close(): void;
}

export interface SqliteOptions {
  /** "auto" (the default) prefers node:sqlite and falls back to the sqlite3 shell. */
  backend?: "auto" | SqliteBackendName;
  /** The sqlite3 shell to run; defaults to /usr/bin/sqlite3 when present, else `sqlite3` on PATH. */
  cli?: string;
}

/**
 * How long a query waits for another program's lock before giving up, in ms. Kept short because the
 * menu bar waits for the read, and node:sqlite waits on the main thread: a store that is locked
 * (a rollback-journal database mid-write, a checkpoint) is read again at the next refresh instead,
 * its last figures kept meanwhile. In WAL mode, which both clients use, a reader never waits.
 */
export const BUSY_TIMEOUT_MS = 150;
/**
 * The shell's whole JSON answer is held in memory. Readers select only short columns (ids, times,
 * token counts), about 250 bytes a request, so this is room for a couple of million requests.
 */
const CLI_MAX_OUTPUT = 512 * 1024 * 1024;

interface StatementLike {
  all(): unknown[];
  iterate(): Iterable<unknown>;
}
interface DatabaseLike {
  prepare(sql: string): StatementLike;
  close(): void;
}
type DatabaseConstructor = new (path: string, options: { readOnly: boolean; timeout: number }) => DatabaseLike;

/** node:sqlite's DatabaseSync when this Node has it (no flag needed), else null. */
export function nodeSqlite(): DatabaseConstructor | null {
  try {
    // getBuiltinModule exists from Node 22.3; it answers undefined for a module this Node lacks.
    const load = (process as { getBuiltinModule?: (id: string) => unknown }).getBuiltinModule;
    const mod = load?.call(process, "node:sqlite") as { DatabaseSync?: DatabaseConstructor } | undefined;
    return mod?.DatabaseSync ?? null;
  } catch {
    return null;
  }
}

/** Opens a database for reading only. Rejects with a plain message when it cannot be read. */
export async function openReadOnly(file: string, options: SqliteOptions = {}): Promise<SqliteHandle> {
  const backend = options.backend ?? "auto";
  await fs.promises.access(file, fs.constants.R_OK);
  const DatabaseSync = backend === "sqlite3" ? null : nodeSqlite();
  if (DatabaseSync) return openWithNode(DatabaseSync, file);
  if (backend === "node:sqlite") throw new Error("node:sqlite is not available in this Node.js");
  return openWithCli(file, options.cli ?? defaultCli());
}

function openWithNode(DatabaseSync: DatabaseConstructor, file: string): SqliteHandle {
  const db = new DatabaseSync(file, { readOnly: true, timeout: BUSY_TIMEOUT_MS });
  return {
    backend: "node:sqlite",
    all: async (sql) => db.prepare(sql).all() as SqliteRow[],
    each: async (sql, onRow) => {
      for (const row of db.prepare(sql).iterate()) onRow(row as SqliteRow);
    },
    close: () => db.close(),
  };
}

function defaultCli(): string {
  return fs.existsSync("/usr/bin/sqlite3") ? "/usr/bin/sqlite3" : "sqlite3";
}

function openWithCli(file: string, cli: string): SqliteHandle {
  return {
    backend: "sqlite3",
    all: (sql) => runCli(cli, file, sql),
    each: async (sql, onRow) => {
      for (const row of await runCli(cli, file, sql)) onRow(row);
    },
    close: () => undefined,
  };
}

function runCli(cli: string, file: string, sql: string): Promise<SqliteRow[]> {
  const args = ["-readonly", "-json", "-bail", "-cmd", `.timeout ${BUSY_TIMEOUT_MS}`, file, sql];
  return new Promise((resolve, reject) => {
    execFile(cli, args, { maxBuffer: CLI_MAX_OUTPUT, encoding: "utf8" }, (error, stdout, stderr) => {
      if (error) {
        const code = (error as NodeJS.ErrnoException).code;
        const why = code === "ENOENT" ? `${cli} was not found` : stderr.trim() || error.message;
        reject(new Error(`sqlite3 could not read ${file}: ${why}`));
        return;
      }
      try {
        // The shell prints nothing at all for an empty result.
        const text = stdout.trim();
        resolve(text === "" ? [] : (JSON.parse(text) as SqliteRow[]));
      } catch (parseError) {
        reject(new Error(`sqlite3 gave unreadable JSON for ${file}: ${(parseError as Error).message}`));
      }
    });
  });
}

/**
 * The database file's and its WAL's identity, size and modification time. While it is unchanged
 * nothing was committed since the last read, so the read can be skipped.
 */
export function databaseStamp(file: string): string {
  const part = (name: string) => {
    try {
      const stats = fs.statSync(name);
      return `${stats.dev}:${stats.ino}:${stats.size}:${stats.mtimeMs}`;
    } catch {
      return "-";
    }
  };
  return `${part(file)}|${part(`${file}-wal`)}`;
}

/** A string as an SQL literal. Queries are built from literals so both ways in run the same text. */
export function sqlText(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}

/** An integer as an SQL literal; anything else is a programming error. */
export function sqlInt(value: number): string {
  if (!Number.isSafeInteger(value)) throw new Error(`not an integer: ${value}`);
  return String(value);
}

/**
 * A failure to read a database, in words for the warnings list: what happened and what follows,
 * not SQLite's own line. `label` names the store ("OpenCode's database …/opencode.db").
 */
export function sqliteProblem(label: string, error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  const code = (error as { code?: unknown }).code;
  if (/database is locked|SQLITE_BUSY|database table is locked|SQLITE_LOCKED/i.test(message))
    return `${label} is locked by the program writing to it; its last figures are kept and it is read again at the next refresh.`;
  if (code === "ENOENT" || /no such file|unable to open database/i.test(message))
    return `${label} could not be opened (it is missing or cannot be read); its last figures are kept.`;
  if (code === "EACCES" || code === "EPERM") return `${label} may not be read by this user; its last figures are kept.`;
  if (/not a database|SQLITE_NOTADB|malformed|SQLITE_CORRUPT/i.test(message))
    return `${label} is not a readable SQLite database (damaged or of another kind); it was passed over.`;
  if (/was not found/.test(message))
    return `${label} needs the sqlite3 program, which was not found; install it or use Node.js 22.13 or later.`;
  if (/node:sqlite is not available/.test(message))
    return `${label} could not be read: this Node.js has no node:sqlite and the sqlite3 program was not asked for.`;
  const first = message
    .split("\n")[0]
    .replace(/^sqlite3 could not read \S+: /, "")
    .slice(0, 160);
  return `${label} could not be read (${first}); its last figures are kept.`;
}

/** Whether a table exists, and its column names (empty when it does not). */
export async function columnsOf(db: SqliteHandle, table: string): Promise<Set<string>> {
  const rows = await db.all(`SELECT name FROM pragma_table_info(${sqlText(table)})`);
  return new Set(rows.map((row) => String(row.name)));
}

/**
 * How much an empty store must grow before it is named: sessions and settings alone add a few
 * kilobytes, a conversation kept in a table this reader does not know adds far more.
 */
const GROWTH_BYTES = 1024 * 1024;

/**
 * Whether a database's usage tables hold no row while the file (with its WAL) goes on growing: then
 * the client writes in a shape this version does not know, which its reader names instead of
 * counting zero in silence. `emptySize` is the size first seen empty (-1 while rows exist); the
 * answer's is the one to keep in the cursor.
 */
export async function emptyStoreCheck(
  db: SqliteHandle,
  file: string,
  tables: readonly string[],
  emptySize: number,
): Promise<{ emptySize: number; growing: boolean }> {
  const [row] = await db.all(
    `SELECT ${tables.map((table) => `EXISTS (SELECT 1 FROM ${table})`).join(" OR ")} AS found`,
  );
  if (Number(row?.found) === 1) return { emptySize: -1, growing: false };
  const size = fileBytes(file) + fileBytes(`${file}-wal`);
  const growing = emptySize >= 0 && size > emptySize + GROWTH_BYTES;
  return { emptySize: emptySize >= 0 ? Math.min(emptySize, size) : size, growing };
}

function fileBytes(file: string): number {
  try {
    return fs.statSync(file).size;
  } catch {
    return 0;
  }
}
