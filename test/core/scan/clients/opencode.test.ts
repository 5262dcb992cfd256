import { promises as fs } from "node:fs";
import path from "node:path";
import { readOpenCode } from "../../../../src/core/scan/clients/opencode/reader";
import type { OpenCodeCursor } from "../../../../src/core/scan/clients/opencode/schema";
import type { OpenCodeSources } from "../../../../src/core/scan/clients/opencode/paths";
import {
  daysOfEvents,
  expectedDays,
  openCodeInserts,
  q,
  requestPlan,
  sqlite,
  writeOpenCodeDb,
  type PlannedRequest,
} from "../../../helpers/clients";
import { OPENCODE_V2_SCHEMA, preFixStep, v2Assistant, v2Session } from "../../../helpers/current-writers";
import { tempDir } from "../../../helpers/transcripts";

const NOW = Date.parse("2026-11-29T12:00:00Z");
const plan = requestPlan().filter((r) => r.client === "opencode");

let dir: string;
beforeEach(async () => {
  dir = await tempDir("mimo-opencode-");
});
afterEach(async () => {
  await fs.rm(dir, { recursive: true, force: true });
});

function sources(databases: string[], legacyDir: string | null = null): OpenCodeSources {
  return { client: "opencode", path: dir, databases, legacyDir };
}

async function read(src: OpenCodeSources, cursor: OpenCodeCursor | null = null, now = NOW) {
  const result = await readOpenCode({ sources: src, cursor, now, sqlite: { backend: "sqlite3" } });
  expect(result.problems).toEqual([]);
  return result;
}

describe("OpenCode and Kilo databases", () => {
  it("counts a message's own tokens only when it has no step part", async () => {
    const file = await writeOpenCodeDb(dir, "opencode", plan, { withoutSteps: true });
    const result = await read(sources([file]));
    // Without steps the message is all there is: each MiMo turn counts once, with what it holds.
    const turns = new Map<string, PlannedRequest>();
    for (const r of plan) turns.set(r.turn as string, r);
    const lastSteps = [...turns.values()];
    expect(result.events.map((e) => e.key).sort()).toEqual(
      lastSteps
        .filter((r) => r.provider.startsWith("xiaomi"))
        .map((r) => `opencode:message:msg_${r.turn}_a`)
        .sort(),
    );
    expect(daysOfEvents(result.events)).toEqual(expectedDays(lastSteps));
    expect(result.skipped).toEqual({ notMimo: 1 });
  });

  it("reads only what was added since its cursor", async () => {
    const file = await writeOpenCodeDb(dir, "opencode", plan.slice(0, 4));
    const first = await read(sources([file]));
    expect(daysOfEvents(first.events)).toEqual(expectedDays(plan.slice(0, 4)));
    sqlite(file, openCodeInserts(plan.slice(4)));
    const second = await read(sources([file]), first.cursor);
    expect(daysOfEvents(second.events)).toEqual(expectedDays(plan.slice(4)));
    expect(second.skipped).toEqual({ notMimo: 1 });
    const third = await read(sources([file]), second.cursor);
    expect(third.events).toEqual([]);
    // An unchanged database is not opened at all: a missing sqlite3 shell goes unnoticed.
    const fourth = await readOpenCode({
      sources: sources([file]),
      cursor: third.cursor,
      now: NOW,
      sqlite: { backend: "sqlite3", cli: path.join(dir, "no-sqlite3") },
    });
    expect(fourth).toEqual({ events: [], cursor: third.cursor, skipped: {}, problems: [] });
  });

  it("waits for an unfinished message without steps, and settles an abandoned one", async () => {
    const file = await writeOpenCodeDb(dir, "opencode", []);
    const created = Date.parse("2026-11-29T11:00:00Z");
    const data = (completed: number | null) =>
      JSON.stringify({
        role: "assistant",
        time: completed === null ? { created } : { created, completed },
        modelID: "mimo-v2.5-pro",
        providerID: "xiaomi-token-plan-sgp",
        tokens: { input: 10, output: 5, reasoning: 2, cache: { read: 100, write: 0 } },
      });
    sqlite(
      file,
      `INSERT INTO session VALUES ('s', 'p', NULL, 's', '/w', 't', '1', ${created}, ${created});
       INSERT INTO message VALUES ('m1', 's', ${created}, ${created}, ${q(data(null))});`,
    );
    const first = await read(sources([file]));
    expect(first.events).toEqual([]);
    expect(first.skipped).toEqual({ incomplete: 1 });
    sqlite(
      file,
      `UPDATE message SET data = ${q(data(created + 5000))}, time_updated = ${created + 5000} WHERE id = 'm1';`,
    );
    const second = await read(sources([file]), first.cursor);
    expect(second.events).toEqual([
      {
        client: "opencode",
        key: "opencode:message:m1",
        sessionId: "s",
        project: "/w",
        model: "mimo-v2.5-pro",
        timestamp: created,
        input: 10,
        output: 7,
        cacheRead: 100,
        cacheWrite: 0,
      },
    ]);
    // A message that never completed counts as it stands once it is hours old.
    sqlite(file, `INSERT INTO message VALUES ('m2', 's', ${created + 1}, ${created + 1}, ${q(data(null))});`);
    const stale = await read(sources([file]), second.cursor, created + 7 * 3600_000);
    expect(stale.events.map((e) => e.key)).toEqual(["opencode:message:m2"]);
  });

  it("reports a database that is not OpenCode's and goes on with the next", async () => {
    const other = path.join(dir, "other.db");
    sqlite(other, "CREATE TABLE unrelated (x INTEGER);");
    const file = await writeOpenCodeDb(dir, "opencode", plan);
    const result = await readOpenCode({
      sources: sources([other, file]),
      cursor: null,
      now: NOW,
      sqlite: { backend: "sqlite3" },
    });
    expect(result.problems).toEqual([
      expect.stringMatching(/other\.db has none of the tables OpenCode keeps messages in .*; it was not counted\.$/),
    ]);
    expect(daysOfEvents(result.events)).toEqual(expectedDays(plan));
  });

  it("counts a step row whose JSON is broken as malformed and loses nothing else", async () => {
    const file = await writeOpenCodeDb(dir, "opencode", plan);
    sqlite(
      file,
      `INSERT INTO part VALUES ('prt_bad', 'msg_t1_a', 'ses_a', 1, 1, '{"type":"step-finish","tokens":{"input":"many"}}');`,
    );
    const result = await read(sources([file]));
    expect(result.skipped.malformed).toBe(1);
    expect(daysOfEvents(result.events)).toEqual(expectedDays(plan));
  });
});

describe("legacy JSON storage", () => {
  async function writeJson(file: string, value: object): Promise<void> {
    await fs.mkdir(path.dirname(file), { recursive: true });
    await fs.writeFile(file, JSON.stringify(value));
  }

  it("counts messages the database does not hold, by their steps, and reads each file once", async () => {
    // t1 (three steps) and t2 are in the database; t3 and t5 exist only as legacy JSON.
    const inDb = plan.filter((r) => r.turn === "t1" || r.turn === "t2");
    const legacyOnly = plan.filter((r) => r.turn === "t3" || r.turn === "t5");
    const file = await writeOpenCodeDb(dir, "opencode", inDb);
    const storage = path.join(dir, "storage");
    for (const r of [...inDb, ...legacyOnly]) {
      const id = `msg_${r.turn}_a`;
      const steps = plan.filter((s) => s.turn === r.turn);
      await writeJson(path.join(storage, "message", r.session, `${id}.json`), {
        id,
        sessionID: r.session,
        role: "assistant",
        modelID: r.model,
        providerID: r.provider,
        time: { created: Date.parse(steps[0].at), completed: Date.parse(steps[steps.length - 1].at) },
        tokens: {
          input: r.input,
          output: r.output,
          reasoning: r.reasoning,
          cache: { read: r.cacheRead, write: r.cacheWrite },
        },
      });
      await writeJson(path.join(storage, "part", id, `prt_${r.turn}_${r.at}.json`), {
        id: `prt_${r.turn}_${r.at}`,
        type: "step-finish",
        tokens: {
          input: r.input,
          output: r.output,
          reasoning: r.reasoning,
          cache: { read: r.cacheRead, write: r.cacheWrite },
        },
      });
    }
    await writeJson(path.join(storage, "session", "prj", "ses_b.json"), { id: "ses_b", directory: "/legacy/b" });
    const first = await read(sources([file], storage));
    // Legacy steps have no time of their own: each counts at its message's start.
    const legacyDays = expectedDays(
      legacyOnly.map((r) => ({ ...r, at: plan.find((s) => s.turn === r.turn)?.at ?? r.at })),
    );
    const dbDays = expectedDays(inDb);
    expect(daysOfEvents(first.events)).toEqual(
      Object.fromEntries(
        [...new Set([...Object.keys(legacyDays), ...Object.keys(dbDays)])].sort().map((d) => [
          d,
          {
            input: (legacyDays[d]?.input ?? 0) + (dbDays[d]?.input ?? 0),
            output: (legacyDays[d]?.output ?? 0) + (dbDays[d]?.output ?? 0),
            cacheRead: (legacyDays[d]?.cacheRead ?? 0) + (dbDays[d]?.cacheRead ?? 0),
            cacheWrite: (legacyDays[d]?.cacheWrite ?? 0) + (dbDays[d]?.cacheWrite ?? 0),
          },
        ]),
      ),
    );
    expect(first.skipped.inDatabase).toBe(new Set(inDb.map((r) => r.turn)).size);
    expect(first.events.filter((e) => e.sessionId === "ses_b").every((e) => e.project === "/legacy/b")).toBe(true);
    const second = await read(sources([file], storage), first.cursor);
    expect(second.events).toEqual([]);
    // A touched legacy copy of a message the (unchanged, so unread) database holds still counts nothing.
    const copy = path.join(storage, "message", "ses_a", "msg_t1_a.json");
    const later = new Date(Date.now() + 60_000);
    await fs.utimes(copy, later, later);
    const third = await read(sources([file], storage), second.cursor);
    expect(third.events).toEqual([]);
    expect(third.skipped).toEqual({ inDatabase: 1 });
  });
});

describe("OpenCode 2 and Kilo as they write today", () => {
  const AT = Date.parse("2026-11-29T10:00:00Z");
  const MIMO = { model: "mimo-v2.5-pro", provider: "xiaomi-token-plan-sgp" };
  const tokens = { input: 600, output: 400, reasoning: 100, read: 9000, write: 500 };
  async function v2Db(sql: string): Promise<string> {
    const file = path.join(dir, "opencode.db");
    sqlite(file, `PRAGMA journal_mode=WAL;\n${OPENCODE_V2_SCHEMA}\n${v2Session("ses", "/work/v2", AT)}\n${sql}`);
    return file;
  }

  it("counts assistant messages of session_message once they complete", async () => {
    const file = await v2Db(
      v2Assistant({ id: "msg_1", session: "ses", seq: 2, created: AT, completed: null, ...MIMO, tokens }),
    );
    const first = await read(sources([file]));
    expect(first.events).toEqual([]);
    expect(first.skipped).toEqual({ incomplete: 1 });
    const done = JSON.stringify({
      agent: "build",
      model: { id: MIMO.model, providerID: MIMO.provider },
      content: [],
      finish: "stop",
      tokens: { input: 600, output: 400, reasoning: 100, cache: { read: 9000, write: 500 } },
      time: { created: AT, completed: AT + 4000 },
    });
    sqlite(file, `UPDATE session_message SET data = ${q(done)}, time_updated = ${AT + 4000} WHERE id = 'msg_1';`);
    const second = await read(sources([file]), first.cursor);
    expect(second.events).toEqual([
      {
        client: "opencode",
        key: "opencode:message:msg_1",
        sessionId: "ses",
        project: "/work/v2",
        model: MIMO.model,
        timestamp: AT,
        input: 600,
        output: 500,
        cacheRead: 9000,
        cacheWrite: 500,
      },
    ]);
    const third = await read(sources([file]), second.cursor);
    expect(third.events).toEqual([]);
  });

  it("counts a message written to both session_message and message once", async () => {
    const file = await v2Db(
      v2Assistant({ id: "msg_1", session: "ses", seq: 2, created: AT, completed: AT + 10, ...MIMO, tokens }),
    );
    const legacy = JSON.stringify({
      role: "assistant",
      time: { created: AT, completed: AT + 10 },
      modelID: MIMO.model,
      providerID: MIMO.provider,
      tokens: { input: 600, output: 400, reasoning: 100, cache: { read: 9000, write: 500 } },
    });
    sqlite(file, `INSERT INTO message VALUES ('msg_1', 'ses', ${AT}, ${AT + 10}, ${q(legacy)});`);
    const result = await read(sources([file]));
    expect(result.events.map((e) => e.key)).toEqual(["opencode:message:msg_1"]);
  });

  it("adds reasoning to output once, whichever side of fix #21047 wrote the row", async () => {
    const t = { input: 50, output: 350, reasoning: 200, read: 0, write: 0 };
    // Today's writer: output without the reasoning, total with it.
    const current = JSON.stringify({
      type: "step-finish",
      tokens: { total: 50 + 150 + 300, input: 50, output: 150, reasoning: 300, cache: { read: 0, write: 0 } },
    });
    const newer = preFixStep("new", "ses", AT + 60_000, t, MIMO).replace(
      /'\{"type":"step-finish".*\}'\);$/,
      `${q(current)});`,
    );
    expect(newer).toContain('"output":150');
    const file = await v2Db(`${preFixStep("old", "ses", AT, t, MIMO)}\n${newer}`);
    const result = await read(sources([file]));
    expect(result.events.map((e) => [e.key, e.input, e.output])).toEqual([
      ["opencode:step:old-p", 50, 350],
      ["opencode:step:new-p", 50, 450],
    ]);
  });

  it("names a database whose tables stay empty while it keeps growing", async () => {
    const file = await v2Db("CREATE TABLE session_turn_v3 (id TEXT PRIMARY KEY, data TEXT);");
    const first = await read(sources([file]));
    expect(first.events).toEqual([]);
    // A session row and a little more: not yet a sign of anything.
    sqlite(file, `INSERT INTO session_turn_v3 VALUES ('s', ${q("x".repeat(20_000))});`);
    expect((await read(sources([file]), first.cursor)).problems).toEqual([]);
    sqlite(
      file,
      `INSERT INTO session_turn_v3 VALUES ('a', ${q("x".repeat(2_000_000))}); PRAGMA wal_checkpoint(TRUNCATE);`,
    );
    const second = await readOpenCode({
      sources: sources([file]),
      cursor: first.cursor,
      now: NOW,
      sqlite: { backend: "sqlite3" },
    });
    expect(second.problems).toEqual([
      `OpenCode's database ${file} keeps growing but holds no messages in the tables this version reads (message, session_message); it may store them in a newer way, and they are not counted.`,
    ]);
  });
});
