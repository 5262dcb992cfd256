import { promises as fs } from "node:fs";
import path from "node:path";
import { locateOpenClaw } from "../../../../src/core/scan/clients/locate";
import { readOpenClaw, sessionIdOf, type OpenClawCursor } from "../../../../src/core/scan/clients/openclaw";
import {
  daysOfEvents,
  expectedDays,
  openClawEvents,
  openClawInserts,
  requestPlan,
  sqlite,
  writeOpenClaw,
} from "../../../helpers/clients";
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
