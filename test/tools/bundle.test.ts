import * as fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { resetRaycastDouble, setPreferences } from "../raycast/api-double";
import { NOW, SESSIONS } from "./corpus";
import { writeCorpus } from "../helpers/report";
import { builtExtension } from "../helpers/ray-build";

/**
 * The tool bundles `ray build` ships, run against the @raycast/api double: the build derives each tool's input
 * schema from its `Input` type and bundles zod and the engine, so this is what Raycast AI actually calls.
 */

let dir = "";
let buildDir = "";
let corpus = "";

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "mimo-tool-bundles-"));
  corpus = path.join(dir, "mimo");
  await writeCorpus(corpus, SESSIONS);
  buildDir = await builtExtension();
}, 180_000);

afterEach(() => {
  jest.useRealTimers();
});

afterAll(() => {
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

beforeEach(() => {
  resetRaycastDouble();
  jest.useFakeTimers({
    now: NOW,
    doNotFake: ["nextTick", "setImmediate", "setTimeout", "clearTimeout", "queueMicrotask"],
  });
  setPreferences({ mimoConfigDirs: corpus, sharedConfigDirs: "", exportCodexBar: false, cookie: "" });
});

async function loadTool(name: string): Promise<(input?: Record<string, unknown>) => Promise<unknown>> {
  const loaded = (await import(path.join(buildDir, "tools", `${name}.js`))) as { default?: unknown };
  if (typeof loaded.default !== "function") throw new Error(`tools/${name}.js has no default export function`);
  return loaded.default as (input?: Record<string, unknown>) => Promise<unknown>;
}

interface BuiltTool {
  name: string;
  input?: { properties: Record<string, { type: string; enum?: string[] }>; required: string[] };
}

describe("the built tools", () => {
  it("carry the input schemas Raycast AI is given", () => {
    const built = JSON.parse(fs.readFileSync(path.join(buildDir, "package.json"), "utf8")) as { tools: BuiltTool[] };
    const inputs = Object.fromEntries(built.tools.map((tool) => [tool.name, tool.input]));
    const periods = ["today", "yesterday", "this-week", "last-week", "this-month", "last-month", "lifetime"];
    expect(inputs["get-usage"]).toMatchObject({
      properties: { period: { type: "string", enum: periods }, from: { type: "string" }, to: { type: "string" } },
      required: [],
    });
    expect(inputs["get-top-sessions"]).toMatchObject({
      properties: {
        period: { enum: periods },
        groupBy: { type: "string", enum: ["session", "project"] },
        limit: { type: "number" },
      },
      required: [],
    });
    expect(inputs["get-plan-status"]).toBeUndefined();
  });

  it("answer usage questions", async () => {
    const getUsage = await loadTool("get-usage");
    await expect(getUsage({ period: "lifetime" })).resolves.toMatchObject({
      available: true,
      totalTokens: 74_210,
      sessions: 8,
    });
    await expect(getUsage({ period: "next-week" })).rejects.toThrow(/^Invalid input for get-usage: period "next-week"/);

    const getTopSessions = await loadTool("get-top-sessions");
    await expect(getTopSessions({ groupBy: "project", limit: 1 })).resolves.toMatchObject({
      projects: [{ rank: 1, project: "/Users/me/beta", periodTokens: 35_100 }],
    });
  });

  it("answer plan questions", async () => {
    const getPlanStatus = await loadTool("get-plan-status");
    await expect(getPlanStatus()).resolves.toMatchObject({ available: false, problem: { kind: "noCookie" } });
  });
});
