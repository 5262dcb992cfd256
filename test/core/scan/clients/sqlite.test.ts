import { spawn, type ChildProcessWithoutNullStreams } from "node:child_process";
import { createHash } from "node:crypto";
import { promises as fs, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { readOpenCode } from "../../../../src/core/scan/clients/opencode/reader";
import { nodeSqlite, openReadOnly, type SqliteBackendName } from "../../../../src/core/scan/clients/sqlite";
import {
  daysOfEvents,
  expectedDays,
  OPENCODE_SCHEMA,
  openCodeInserts,
  requestPlan,
  type PlannedRequest,
} from "../../../helpers/clients";
import { tempDir } from "../../../helpers/transcripts";

/**
 * Reading a running client's database: rows committed to the WAL but not yet checkpointed are seen,
 * the database file is not changed, and the writer is never blocked. The sqlite3 shell way runs
 * everywhere (CI installs sqlite3); the node:sqlite way runs where Node has it (Node ≥ 22.13, which
 * Raycast uses) and is reported as skipped on older Node, never passed silently.
 */

/** A sqlite3 shell kept open as the client's writer. */
class Writer {
  private out = "";
  private err = "";
  private child: ChildProcessWithoutNullStreams;
  constructor(file: string) {
    this.child = spawn("sqlite3", ["-bail", file]);
    this.child.stdout.on("data", (chunk: Buffer) => (this.out += chunk.toString()));
    this.child.stderr.on("data", (chunk: Buffer) => (this.err += chunk.toString()));
  }
  /** Runs statements and waits until the shell has executed them. */
  async run(sql: string): Promise<void> {
    const mark = `DONE-${Math.random().toString(36).slice(2)}`;
    this.child.stdin.write(`${sql}\n.print ${mark}\n`);
    const start = Date.now();
    while (!this.out.includes(mark)) {
      if (this.err) throw new Error(`writer failed: ${this.err}`);
      if (Date.now() - start > 10_000) throw new Error("writer did not answer");
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    if (this.err) throw new Error(`writer failed: ${this.err}`);
  }
  async close(): Promise<void> {
    this.child.stdin.end();
    await new Promise((resolve) => this.child.once("exit", resolve));
  }
}

const hash = (file: string) => createHash("sha1").update(readFileSync(file)).digest("hex");
const NOW = Date.parse("2026-11-29T12:00:00Z");
const available = nodeSqlite() !== null;
const BACKENDS: { name: SqliteBackendName; run: boolean }[] = [
  { name: "sqlite3", run: true },
  { name: "node:sqlite", run: available },
];

describe.each(BACKENDS)("$name", ({ name, run }) => {
  const maybe = run ? it : it.skip;
  let dir: string;
  beforeEach(async () => {
    dir = await tempDir("mimo-sqlite-");
  });
  afterEach(async () => {
    await fs.rm(dir, { recursive: true, force: true });
  });

  maybe("reads rows still in the WAL while the client holds the database open, and never blocks it", async () => {
    const plan = requestPlan().filter((r) => r.client === "opencode");
    const file = path.join(dir, "opencode.db");
    const writer = new Writer(file);
    try {
      await writer.run(`PRAGMA journal_mode=WAL;\n${OPENCODE_SCHEMA}\n${openCodeInserts(plan.slice(0, 5))}`);
      // The rows are in the WAL only: the main file holds no message yet.
      expect(statSync(`${file}-wal`).size).toBeGreaterThan(0);
      expect(readFileSync(file).includes("step-finish")).toBe(false);
      const before = hash(file);
      const sources = { client: "opencode" as const, path: dir, databases: [file], legacyDir: null };
      const first = await readOpenCode({ sources, cursor: null, now: NOW, sqlite: { backend: name } });
      expect(first.problems).toEqual([]);
      expect(daysOfEvents(first.events)).toEqual(expectedDays(plan.slice(0, 5)));
      expect(hash(file)).toBe(before);
      // The writer goes on writing: no lock was left behind. Only the new turn is read next time.
      const next: PlannedRequest[] = plan.slice(5);
      await writer.run(openCodeInserts(next));
      const second = await readOpenCode({ sources, cursor: first.cursor, now: NOW, sqlite: { backend: name } });
      expect(daysOfEvents(second.events)).toEqual(expectedDays(next));
    } finally {
      await writer.close();
    }
  });

  maybe(
    "does not wait on a writer's lock: the store is named once, in words, and read at the next refresh",
    async () => {
      // A rollback-journal database (no WAL) while its writer holds an exclusive lock, as a client
      // mid-write does; the legacy folder beside it needs the same database, and must not repeat it.
      const plan = requestPlan().filter((r) => r.client === "opencode");
      const file = path.join(dir, "opencode.db");
      const storage = path.join(dir, "storage");
      await fs.mkdir(path.join(storage, "message", "ses_x"), { recursive: true });
      const writer = new Writer(file);
      try {
        await writer.run(`PRAGMA journal_mode=DELETE;\n${OPENCODE_SCHEMA}\n${openCodeInserts(plan.slice(0, 4))}`);
        await writer.run("BEGIN EXCLUSIVE; INSERT INTO session VALUES ('held', 'p', NULL, 'h', '/h', 't', '1', 1, 1);");
        const sources = { client: "opencode" as const, path: dir, databases: [file], legacyDir: storage };
        const started = Date.now();
        const locked = await readOpenCode({ sources, cursor: null, now: NOW, sqlite: { backend: name } });
        expect(Date.now() - started).toBeLessThan(1500);
        expect(locked.problems).toEqual([
          `OpenCode's database ${file} is locked by the program writing to it; its last figures are kept and it is read again at the next refresh.`,
        ]);
        expect(locked.events).toEqual([]);
        await writer.run("COMMIT;");
        const next = await readOpenCode({ sources, cursor: locked.cursor, now: NOW, sqlite: { backend: name } });
        expect(next.problems).toEqual([]);
        expect(daysOfEvents(next.events)).toEqual(expectedDays(plan.slice(0, 4)));
      } finally {
        await writer.close();
      }
    },
  );

  maybe("opens read-only: a statement that writes fails", async () => {
    const file = path.join(dir, "x.db");
    const writer = new Writer(file);
    await writer.run("CREATE TABLE t (x INTEGER); INSERT INTO t VALUES (1);");
    await writer.close();
    const db = await openReadOnly(file, { backend: name });
    try {
      expect(db.backend).toBe(name);
      await expect(db.all("SELECT x FROM t")).resolves.toEqual([{ x: 1 }]);
      await expect(db.all("INSERT INTO t VALUES (2)")).rejects.toThrow(/readonly|read-only|read only/i);
      await expect(db.all("SELECT count(*) AS n FROM t")).resolves.toEqual([{ n: 1 }]);
    } finally {
      db.close();
    }
  });

  maybe("answers an empty result with no rows", async () => {
    const file = path.join(dir, "y.db");
    const writer = new Writer(file);
    await writer.run("CREATE TABLE t (x INTEGER);");
    await writer.close();
    const db = await openReadOnly(file, { backend: name });
    await expect(db.all("SELECT x FROM t")).resolves.toEqual([]);
    db.close();
  });
});

describe("failures are plain messages", () => {
  it("a missing database", async () => {
    await expect(openReadOnly("/nonexistent/opencode.db")).rejects.toThrow(/ENOENT|no such file/);
  });

  it("a missing sqlite3 shell where node:sqlite is absent", async () => {
    const dir = await tempDir("mimo-sqlite-");
    const file = path.join(dir, "z.db");
    await fs.writeFile(file, "");
    const db = await openReadOnly(file, { backend: "sqlite3", cli: path.join(dir, "no-sqlite3") });
    await expect(db.all("SELECT 1")).rejects.toThrow(/was not found/);
    await fs.rm(dir, { recursive: true, force: true });
  });

  it("a file that is not a database", async () => {
    const dir = await tempDir("mimo-sqlite-");
    const file = path.join(dir, "not.db");
    await fs.writeFile(file, "this is not a database, just text that is long enough to have a header ".repeat(3));
    const db = await openReadOnly(file, { backend: "sqlite3" });
    await expect(db.all("SELECT 1 FROM message")).rejects.toThrow(/could not read/);
    await fs.rm(dir, { recursive: true, force: true });
  });
});
