import { promises as fs } from "node:fs";
import path from "node:path";
import { locateOpenClaw } from "../../../../src/core/scan/clients/openclaw/paths";
import { readOpenClaw, sessionIdOf } from "../../../../src/core/scan/clients/openclaw/reader";
import type { OpenClawCursor } from "../../../../src/core/scan/clients/openclaw/schema";
import {
  daysOfEvents,
  expectedDays,
  openClawEvents,
  openClawInserts,
  requestPlan,
  sqlite,
  writeOpenClaw,
} from "../../../helpers/clients";
import {
  jsonl,
  openClawArchive,
  openClawRows,
  openClawSession,
  writeOpenClawDatabase,
  zstd,
  type OpenClawTurn,
} from "../../../helpers/current-writers";
import { tempDir } from "../../../helpers/transcripts";

const plan = requestPlan().filter((r) => r.client === "openclaw");

let state: string;
beforeEach(async () => {
  state = await tempDir("mimo-openclaw-");
});
afterEach(async () => {
  await fs.rm(state, { recursive: true, force: true });
});

async function read(cursor: OpenClawCursor | null = null) {
  const result = await readOpenClaw({
    sources: locateOpenClaw({ home: "/nonexistent", env: { OPENCLAW_STATE_DIR: state } }),
    cursor,
    sqlite: { backend: "sqlite3" },
  });
  expect(result.problems).toEqual([]);
  return result;
}

const sessions = () => path.join(state, "agents", "main", "sessions");
const database = () => path.join(state, "agents", "main", "agent", "openclaw-agent.sqlite");

describe("OpenClaw sessions", () => {
  it("counts a session found in its log and in the agent database once", async () => {
    await writeOpenClaw(state, plan, { both: ["oc1", "oc2", "oc3"] });
    const result = await read();
    expect(result.events).toHaveLength(2 * 3);
    expect(daysOfEvents(result.events)).toEqual(expectedDays(plan));
    expect(new Set(result.events.map((e) => e.key)).size).toBe(3);
    expect(result.skipped).toEqual({ notMimo: 2 });
  });

  it("counts reset and deleted archives under their session", async () => {
    await writeOpenClaw(state, plan, { archived: ["oc1", "oc2", "oc3"] });
    const result = await read();
    expect(daysOfEvents(result.events)).toEqual(expectedDays(plan));
    expect(sessionIdOf("/x/abc.jsonl.deleted.2026-11-20T10-00-00.000Z")).toBe("abc");
    expect(new Set(result.events.map((e) => e.sessionId))).toEqual(new Set(["oc1", "oc2", "oc3"]));
  });

  it("reads only rows and lines added since its cursor, keeping each session's model", async () => {
    const early = plan.filter((r) => r.session !== "oc3");
    await writeOpenClaw(state, early, { databaseOnly: ["oc1"] });
    const first = await read();
    expect(daysOfEvents(first.events)).toEqual(expectedDays(early));
    // New usage without a model of its own: the session's model_change, read last time, names it.
    const more = { ...plan.find((r) => r.session === "oc2")!, at: "2026-11-24T09:00:00.000Z" };
    const events = openClawEvents([more]) as { type: string; message?: Record<string, unknown> }[];
    const assistant = events.find((e) => e.message?.role === "assistant")!;
    delete assistant.message?.model;
    delete assistant.message?.provider;
    const appended = JSON.stringify({ ...assistant, id: "oc2-late" }) + "\n";
    await fs.appendFile(path.join(sessions(), "oc2.jsonl"), appended);
    sqlite(
      database(),
      openClawInserts("oc1", openClawEvents(plan.filter((r) => r.session === "oc1")))
        .replace(/VALUES \('oc1', (\d+),/g, (_, seq) => `VALUES ('oc1', ${Number(seq) + 100},`)
        .replace(/"id":"oc1-e/g, '"id":"oc1-late-e'),
    );
    const second = await read(first.cursor);
    expect(second.events.map((e) => e.key).sort()).toEqual(["openclaw:oc1:oc1-late-e3", "openclaw:oc2:oc2-late"]);
    expect(second.events.find((e) => e.sessionId === "oc2")).toMatchObject({
      model: more.model,
      project: "/work/openclaw-oc2",
    });
    const third = await read(second.cursor);
    expect(third.events).toEqual([]);
  });

  it("keys events without an id by their content, so a repeated line counts once", async () => {
    await fs.mkdir(sessions(), { recursive: true });
    const message = {
      type: "message",
      timestamp: "2026-11-20T10:00:00.000Z",
      message: {
        role: "assistant",
        provider: "xiaomi-token-plan-sgp",
        model: "mimo-v2.5-pro",
        usage: { input: 5, output: 6, cacheRead: 7, cacheWrite: 8 },
      },
    };
    await fs.writeFile(
      path.join(sessions(), "s.jsonl"),
      `${JSON.stringify(message)}\n${JSON.stringify(message)}\nnot json\n`,
    );
    const result = await read();
    expect(daysOfEvents(result.events)).toEqual({ "2026-11-20": { input: 5, output: 6, cacheRead: 7, cacheWrite: 8 } });
  });
});

describe("OpenClaw 2026.9.6 and later", () => {
  const MIMO = { model: "mimo-v2.5-pro", provider: "xiaomi-token-plan-sgp" };
  const big: OpenClawTurn = {
    id: "ev-big",
    at: "2026-11-22T10:00:00.000Z",
    ...MIMO,
    usage: { input: 3000, output: 1200, cacheRead: 28000, cacheWrite: 400 },
    textLength: 3000,
  };
  const small: OpenClawTurn = {
    id: "ev-small",
    at: "2026-11-22T10:02:00.000Z",
    ...MIMO,
    usage: { input: 50, output: 20, cacheRead: 0, cacheWrite: 0 },
  };
  const total = (events: { input: number; output: number; cacheRead: number; cacheWrite: number }[]) =>
    events.reduce((sum, e) => sum + e.input + e.output + e.cacheRead + e.cacheWrite, 0);

  it("reads events stored compressed in event_zstd with event_json NULL", async () => {
    const rows = openClawRows("s1", openClawSession("s1", "/w", [big, small]));
    expect(rows).toMatch(/VALUES \('s1', 2, NULL, \d+, X'28B52FFD/i);
    await writeOpenClawDatabase(database(), rows);
    const result = await read();
    expect(result.events.map((e) => [e.key, e.project])).toEqual([
      ["openclaw:s1:ev-big", "/w"],
      ["openclaw:s1:ev-small", "/w"],
    ]);
    expect(total(result.events)).toBe(32_670);
    // Nothing new: the next read fetches no row again.
    expect((await read(result.cursor)).events).toEqual([]);
  });

  it("reads archived sessions once, from the database and from the published .zst file alike", async () => {
    const gone = openClawSession("s2", "/w", [small]);
    const name = "s2.jsonl.deleted.2026-11-23T08-00-00.000Z.zst";
    await writeOpenClawDatabase(database(), openClawArchive("s2", gone, name, Date.parse("2026-11-23T08:00:00Z")));
    await fs.mkdir(sessions(), { recursive: true });
    await fs.writeFile(path.join(sessions(), name), zstd(jsonl(gone)));
    const first = await read();
    expect(first.events.map((e) => e.key)).toEqual(["openclaw:s2:ev-small", "openclaw:s2:ev-small"]);
    expect(daysOfEvents(first.events)).toEqual({
      "2026-11-22": { input: 50, output: 20, cacheRead: 0, cacheWrite: 0 },
    });
    const second = await read(first.cursor);
    expect(second.events).toEqual([]);
  });

  it("names an agent database without transcript_events in a known shape", async () => {
    await fs.mkdir(path.dirname(database()), { recursive: true });
    sqlite(database(), "CREATE TABLE transcript_records (session_id TEXT, body BLOB);");
    const result = await readOpenClaw({
      sources: locateOpenClaw({ home: "/nonexistent", env: { OPENCLAW_STATE_DIR: state } }),
      cursor: null,
      sqlite: { backend: "sqlite3" },
    });
    expect(result.problems).toEqual([
      `OpenClaw's agent database ${database()} has no transcript_events table in a shape OpenClaw is known to write; it was not counted.`,
    ]);
  });
});
