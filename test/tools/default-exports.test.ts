import * as fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { environment } from "@raycast/api";
import { localDate, systemTimeZone } from "../../src/core/views/calendar";
import { STATE_FILE } from "../../src/core/settings";
import getPlanStatus from "../../src/tools/get-plan-status";
import getTopSessions from "../../src/tools/get-top-sessions";
import getUsage from "../../src/tools/get-usage";
import { loadLocalReport } from "../../src/raycast/edge";
import { usePlatformStandIn } from "../core/platform/fixtures/server";
import * as fx from "../core/platform/fixtures/fixtures";
import { resetRaycastDouble, setPreferences } from "../raycast/api-double";
import { NOW, SESSIONS } from "./corpus";
import { writeCorpus } from "../helpers/report";
import { freezeClock } from "../helpers/commands";

/**
 * The tools as Raycast runs them: preferences and the support folder from the @raycast/api double, the commands'
 * source chain, the system time zone. Everything lives in a temp dir; the platform is a local stand-in.
 */

const COOKIE = "api-platform_serviceToken=t; userId=1";

let dir: string;
let corpus: string;
const server = usePlatformStandIn();

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "mimo-tool-exports-"));
  corpus = path.join(dir, "mimo");
  await writeCorpus(corpus, SESSIONS);
});

afterAll(async () => {
  fs.rmSync(dir, { recursive: true, force: true });
});

beforeEach(() => {
  resetRaycastDouble();
  server.reset(fx.healthy());
  freezeClock(NOW);
  setPreferences({ mimoConfigDirs: corpus, sharedConfigDirs: "", exportCodexBar: false, cookie: "" });
});

afterEach(() => {
  jest.useRealTimers();
});

/** Tokens of the corpus's messages on a local date, worked out from the table rather than by the engine. */
function tokensOn(date: string, timeZone: string): number {
  return SESSIONS.flatMap((session) => session.lines)
    .filter((line) => localDate(Date.parse(line.ts), timeZone) === date)
    .reduce(
      (n, line) => n + (line.input ?? 0) + (line.output ?? 0) + (line.cacheRead ?? 0) + (line.cacheWrite ?? 0),
      0,
    );
}

describe("get-usage as Raycast calls it", () => {
  it("answers from the transcripts the preferences point at, in the system time zone", async () => {
    const timeZone = systemTimeZone();
    const today = localDate(NOW.getTime(), timeZone);
    await expect(getUsage({ period: "today" })).resolves.toMatchObject({
      available: true,
      from: today,
      to: today,
      totalTokens: tokensOn(today, timeZone),
      timeZone,
      weekStart: "monday",
      source: "local",
      updatedAt: NOW.toISOString(),
    });
    await expect(getUsage({ period: "lifetime" })).resolves.toMatchObject({
      totalTokens: 74_210,
      messages: 9,
      sessions: 8,
    });
  });

  it("follows the week start preference", async () => {
    setPreferences({ weekStart: "sunday" });
    await expect(getUsage({ period: "this-week" })).resolves.toMatchObject({ weekStart: "sunday" });
  });

  it("rejects bad input with a readable error", async () => {
    await expect(getUsage({ from: "2026-11-20", to: "2026-11-01" })).rejects.toThrow(
      "Invalid input for get-usage: from 2026-11-20 is after to 2026-11-01; from must be on or before to.",
    );
  });

  it("stays offline even with a platform cookie set", async () => {
    setPreferences({ cookie: COOKIE });
    await getUsage({ period: "today" });
    await getTopSessions({});
    expect(server.requests).toEqual([]);
  });

  it("reuses the commands' scan state in Raycast's support folder, so a second question reads nothing again", async () => {
    const first = await loadLocalReport();
    expect(first.local?.snapshot.stats.filesRead).toBe(SESSIONS.length);
    expect(fs.existsSync(path.join(environment.supportPath, STATE_FILE))).toBe(true);
    const second = await loadLocalReport();
    expect(second.local?.snapshot.stats).toMatchObject({ filesSeen: SESSIONS.length, filesRead: 0, bytesRead: 0 });
    expect(second.local?.snapshot.lifetime.total).toBe(74_210);
  });
});

describe("get-top-sessions as Raycast calls it", () => {
  it("ranks sessions of all time by default", async () => {
    const result = await getTopSessions({});
    expect(result.available && result.sessions?.map((row) => row.sessionId)).toEqual([
      "s-late",
      "s-unpriced",
      "s-night",
      "s-today",
      "s-mon",
    ]);
  });

  it("rejects bad input with a readable error", async () => {
    await expect(getTopSessions({ limit: 0 })).rejects.toThrow(
      "Invalid input for get-top-sessions: limit must be at least 1.",
    );
  });
});

describe("get-plan-status as Raycast calls it", () => {
  it("explains that the platform is not connected without a cookie", async () => {
    await expect(getPlanStatus()).resolves.toMatchObject({
      available: false,
      problem: { kind: "noCookie" },
    });
    expect(server.requests).toEqual([]);
  });

  it("reads the platform with the cookie from preferences, then estimates from its last answer", async () => {
    setPreferences({ cookie: COOKIE });
    await expect(getPlanStatus()).resolves.toMatchObject({
      available: true,
      source: "platform",
      updatedAt: NOW.toISOString(),
      problem: null,
      plan: { code: "token_plan_pro", resetsAt: "2026-12-01T15:30:00.000Z" },
      quota: { name: "month_total_token", usedCredits: 250_000, limitCredits: 1_000_000, usedPercent: 25 },
      balance: { amount: 12.34, currency: "CNY", cashAmount: 10, giftAmount: 2.34 },
    });
    expect(server.requests.length).toBeGreaterThan(0);

    server.reset(fx.everywhere({ status: 401, body: { code: 401, message: "unauthorized" } }));
    await expect(getPlanStatus()).resolves.toMatchObject({
      available: true,
      source: "estimate",
      problem: { kind: "loginRequired" },
      quota: { usedCredits: 250_000, estimated: true },
      estimate: { basis: "lastAnswer", localTokensSince: 0 },
    });
  });
});
