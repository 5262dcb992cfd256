import { execFileSync } from "node:child_process";
import { promises as fs } from "node:fs";
import path from "node:path";
import { LAST_PLATFORM_FILE, LAST_SNAPSHOT_FILE } from "../../../src/core/settings";
import type { PlatformResult, PlatformSnapshot, UsageReport } from "../../../src/core/chain/report-schema";
import { loadUsageReport, type SourceOptions } from "../../../src/core/chain/report";
import { isStale } from "../../../src/core/query/status";
import { planUsage } from "../../../src/core/query/plan";
import { FAILURES } from "../../../src/core/chain/failures";
import { PlatformErrorKindSchema, type PlatformErrorKind } from "../../../src/core/chain/report-schema";
import { CREDIT_HISTORY_FILE, readCreditHistory } from "../../../src/core/platform/credit-history";
import { assistant, configFor, tempDir, writeTranscript } from "../../helpers/transcripts";
import { chainOptions } from "../../helpers/report";
import { everywhere, healthy, liveBalance, liveMaxDetail, liveMaxUsage, ok } from "../platform/fixtures/fixtures";
import { FixtureServer } from "../platform/fixtures/server";

const NOW = new Date("2026-11-25T12:00:00Z");
const FIVE_MIN = 5 * 60 * 1000;

const platformAnswer: PlatformSnapshot = {
  fetchedAt: "2026-11-25T11:59:00.000Z",
  balance: { amount: 12.34, currency: "CNY", cash: 10, gift: 2.34 },
  plan: { code: "token_plan_pro", name: null, periodEnd: "2026-12-01T15:30:00.000Z", expired: false },
  planError: null,
  quota: null,
  quotaError: null,
};
const platformOk = async (): Promise<PlatformResult> => ({ ok: true, value: platformAnswer });
const platformDown = async (): Promise<PlatformResult> => ({
  ok: false,
  error: { kind: "loginRequired", message: "The platform wants you to log in again." },
});

let dir: string;
let root: string;
let support: string;
beforeEach(async () => {
  dir = await tempDir("mimo-sources-");
  root = path.join(dir, "mimo");
  support = path.join(dir, "support");
  await writeTranscript(root, "s1.jsonl", [assistant({ ts: "2026-11-25T10:00:00Z", input: 42 })]);
});
afterEach(async () => {
  await fs.rm(dir, { recursive: true, force: true });
});

function options(overrides: Partial<SourceOptions> & { scanFails?: boolean } = {}): SourceOptions {
  const { scanFails, ...rest } = overrides;
  return {
    // An invalid model filter is one way a scan fails for real, without mocking the engine.
    ...chainOptions(dir, {
      now: NOW,
      modelFilter: scanFails ? "(" : "mimo",
      platform: { ok: true, value: platformAnswer },
    }),
    ...rest,
  };
}

/** Leaves a last-good snapshot written at `at` in the support folder. */
async function primeCache(at: Date): Promise<void> {
  await loadUsageReport(options({ now: () => at, platform: platformOk }));
}

describe("source chain", () => {
  it("platform ok, scan ok: local figures from the scan, plan from the platform, both with their own times", async () => {
    const report = await loadUsageReport(options());
    expect(report.local).toMatchObject({ source: "local", updatedAt: NOW.toISOString() });
    expect(report.local?.snapshot.today.input).toBe(42);
    expect(report.plan).toMatchObject({ source: "platform", updatedAt: platformAnswer.fetchedAt });
    // Fresh data turns stale after two missed refreshes, decided once, by the chain.
    expect(report.local?.staleAt).toBe(new Date(NOW.getTime() + 2 * FIVE_MIN).toISOString());
    expect(isStale(report.local!, NOW)).toBe(false);
    expect(isStale(report.local!, new Date(NOW.getTime() + 11 * 60_000))).toBe(true);
    expect(report.planError).toBeNull();
    expect(report.problems).toEqual([]);
  });

  it("platform failing, scan ok: keeps the typed reason and says what to do", async () => {
    const report = await loadUsageReport(options({ platform: platformDown }));
    expect(report.local?.source).toBe("local");
    expect(report.plan).toBeNull();
    expect(report.planError?.kind).toBe("loginRequired");
    expect(report.problems).toEqual([
      expect.objectContaining({
        kind: "loginRequired",
        title: expect.stringMatching(/login required/),
        action: "openPreferences",
      }),
    ]);
  });

  it("platform failing after it once worked: shows the last plan as cache, with its own time", async () => {
    await primeCache(new Date("2026-11-25T00:00:00Z"));
    const report = await loadUsageReport(options({ platform: platformDown }));
    expect(report.plan).toMatchObject({ source: "cache", updatedAt: platformAnswer.fetchedAt, credits: null });
    expect(isStale(report.plan!, NOW)).toBe(false);
    expect(report.planError?.kind).toBe("loginRequired");
  });

  // The menu, the refresh HUD and the AI tools read the same row of the one failure table.
  it.each<[PlatformErrorKind, string]>(
    PlatformErrorKindSchema.options
      .filter((kind) => kind !== "noCookie")
      .map((kind) => [kind, FAILURES[kind].action] as [PlatformErrorKind, string]),
  )("platform failing with %s: the problem offers %s, in the table's words", async (kind, action) => {
    const report = await loadUsageReport(
      options({ platform: async () => ({ ok: false, error: { kind, message: `what happened: ${kind}` } }) }),
    );
    expect(report.problems).toEqual([{ kind, title: FAILURES[kind].title, action, detail: `what happened: ${kind}` }]);
  });

  it("no cookie: no platform call, no warning, the reason is noCookie", async () => {
    const platform = jest.fn(platformOk);
    const report = await loadUsageReport(options({ cookie: "", platform }));
    expect(platform).not.toHaveBeenCalled();
    expect(report.planError?.kind).toBe("noCookie");
    expect(report.problems).toEqual([]);
  });

  it.each([
    ["platform ok", platformOk],
    ["platform failing", platformDown],
  ])("%s, scan failing, cache present: falls back to the cache with the cache's own time", async (_, platform) => {
    const cachedAt = new Date("2026-11-25T09:00:00Z");
    await primeCache(cachedAt);
    const report = await loadUsageReport(options({ scanFails: true, platform }));
    expect(report.local).toMatchObject({ source: "cache", updatedAt: cachedAt.toISOString() });
    expect(isStale(report.local!, NOW)).toBe(false);
    expect(report.local?.snapshot.today.input).toBe(42);
    expect(report.localError).toEqual({
      kind: "invalidModelFilter",
      message: expect.stringMatching(/not a valid regular expression/),
    });
    expect(report.problems[0]).toMatchObject({ kind: "invalidModelFilter", action: "openPreferences" });
    expect(report.problems[0].detail).toMatch(/Showing the figures cached 3 h ago/);
    expect(report.plan?.source).toBe(platform === platformOk ? "platform" : "cache");
  });

  it("marks a cache older than 12 hours as stale", async () => {
    await primeCache(new Date("2026-11-24T23:00:00Z"));
    const report = await loadUsageReport(options({ scanFails: true }));
    expect(report.local?.source).toBe("cache");
    expect(isStale(report.local!, NOW)).toBe(true);
  });

  it.each([
    ["platform ok", platformOk],
    ["platform failing", platformDown],
  ])("%s, scan failing, cache absent: no local section, a clear reason", async (_, platform) => {
    const report = await loadUsageReport(options({ scanFails: true, platform }));
    expect(report.local).toBeNull();
    expect(report.localError?.message).toMatch(/model filter/);
    expect(report.problems.map((p) => p.kind)).toContain("invalidModelFilter");
    expect(report.plan === null).toBe(platform !== platformOk);
  });

  it("scan failing, cache corrupt: treated as absent, never thrown", async () => {
    await fs.mkdir(support, { recursive: true });
    await fs.writeFile(path.join(support, LAST_SNAPSHOT_FILE), '{"version":1,"updatedAt":');
    await fs.writeFile(path.join(support, LAST_PLATFORM_FILE), '{"fetchedAt":"yesterday"}');
    const report = await loadUsageReport(options({ scanFails: true, platform: platformDown }));
    expect(report.local).toBeNull();
    expect(report.plan).toBeNull();
    expect(report.planError?.kind).toBe("loginRequired");
  });

  it("says what to set up when no Claude folder exists", async () => {
    const report = await loadUsageReport(options({ engine: configFor([path.join(dir, "missing")]) }));
    expect(report.local?.snapshot.lifetime.total).toBe(0);
    expect(report.problems).toEqual([
      expect.objectContaining({
        kind: "noConfigFolder",
        title: "No Claude config folder found",
        action: "openPreferences",
      }),
    ]);
  });

  it("writes CodexBar's cache when asked", async () => {
    const out = path.join(dir, "codexbar.json");
    await loadUsageReport(options({ codexBarExport: out }));
    expect(JSON.parse(await fs.readFile(out, "utf8")).windows.today.input).toBe(42);
  });
});

describe("the cookie stays secret", () => {
  const server = new FixtureServer();
  let baseUrl: string;
  beforeAll(async () => {
    baseUrl = await server.start();
  });
  afterAll(async () => {
    await server.close();
  });

  const secret = "S3cr3tT0kenValue-9f8e7d";
  const cookie = `Cookie: api-platform_serviceToken=${secret}; userId=77; other=zzz`;

  it.each([
    ["a working platform", healthy()],
    ["a 401", everywhere({ status: 401, body: { code: 401, message: `bad token ${secret}` } })],
    ["a 403", everywhere({ status: 403, body: "expired" })],
    ["a broken payload", everywhere({ body: `{"code":0,"data":{"balance":"${secret}"` })],
  ])("never appears in the report or any persisted file with %s", async (_, replies) => {
    server.reset(replies);
    const out = path.join(dir, "codexbar.json");
    const report = await loadUsageReport(
      options({ cookie, platform: undefined, env: { MIMO_API_URL: baseUrl }, codexBarExport: out }),
    );
    expect(server.requests.length).toBeGreaterThan(0);
    expect(JSON.stringify(report)).not.toContain(secret);
    for (const file of [...(await fs.readdir(support)).map((f) => path.join(support, f)), out]) {
      expect((await fs.readFile(file)).toString("latin1")).not.toContain(secret);
    }
  });
});

describe("the plan in credits: history, calibration and the estimate", () => {
  const server = new FixtureServer();
  let baseUrl: string;
  beforeAll(async () => {
    baseUrl = await server.start();
  });
  afterAll(async () => {
    await server.close();
  });

  const T0 = new Date("2026-11-25T12:00:00Z");
  const at = (minutes: number) => new Date(T0.getTime() + minutes * 60_000);
  const USED = 5_000_000_000;
  const LIMIT = 82_000_000_000;
  const loginRequired = everywhere({ status: 401, body: { code: 401, message: "请先登录" } });

  function live(used = USED) {
    return {
      balance: liveBalance(),
      "tokenPlan/detail": liveMaxDetail(),
      "tokenPlan/usage": liveMaxUsage(used, LIMIT),
    };
  }

  async function reportAt(now: Date) {
    return loadUsageReport(
      options({
        platform: undefined,
        env: { MIMO_API_URL: baseUrl },
        now: () => now,
        engine: chainOptions(dir, { now }).engine,
      }),
    );
  }

  beforeEach(async () => {
    // Replace the shared corpus: one million tokens this period, on 2026-11-25 at 10:00.
    await writeTranscript(root, "s1.jsonl", [assistant({ ts: "2026-11-25T10:00:00Z", input: 1_000_000 })]);
  });

  it("reads the live answer in credits and keeps it as a sample with this Mac's Credits", async () => {
    server.reset(live());
    const report = await reportAt(T0);
    expect(report.plan?.source).toBe("platform");
    expect(report.problems).toEqual([]);
    expect(planUsage(report, T0)).toEqual({
      used: USED,
      limit: LIMIT,
      fraction: USED / LIMIT,
      estimated: false,
      periodEnd: "2026-12-10T00:00:00.000Z",
      basis: {
        kind: "platform",
        answeredAt: T0.toISOString(),
        local: expect.objectContaining({ tokens: 0, credits: 0 }),
      },
    });
    const [sample] = await readCreditHistory(path.join(support, CREDIT_HISTORY_FILE));
    expect(sample).toMatchObject({
      at: T0.toISOString(),
      used: USED,
      limit: LIMIT,
      periodEnd: "2026-12-10T00:00:00.000Z",
      localTokens: 1_000_000,
      // 1M cache-miss tokens of mimo-v2.5-pro at 300 Credits each, all of them in the period.
      localCredits: 300_000_000,
      localUncredited: 0,
      periodLocalCredits: 300_000_000,
    });
  });

  it("keeps an estimate after the cookie lapses: still without local use, growing with it", async () => {
    server.reset(live());
    await reportAt(T0);

    server.reset(loginRequired);
    const quiet = await reportAt(at(30));
    expect(quiet.plan?.source).toBe("estimate");
    expect(quiet.planError?.kind).toBe("loginRequired");
    expect(planUsage(quiet, at(30))).toMatchObject({ used: USED, estimated: true, basis: { kind: "lastAnswer" } });
    expect(quiet.problems).toEqual([
      expect.objectContaining({
        kind: "loginRequired",
        detail: expect.stringContaining("estimated from the answer of 30 min ago and local use since"),
      }),
    ]);

    await writeTranscript(root, "s2.jsonl", [
      assistant({ id: "m2", req: "r2", ts: at(40).toISOString(), input: 200_000 }),
    ]);
    const busy = await reportAt(at(60));
    expect(planUsage(busy, at(60))).toMatchObject({
      used: USED + 200_000 * 300,
      basis: { kind: "localUse", local: { tokens: 200_000, credits: 200_000 * 300 }, answeredAt: T0.toISOString() },
    });

    const stillBusy = await reportAt(at(90));
    expect(planUsage(stillBusy, at(90))?.used).toBe(USED + 200_000 * 300);
  });

  it("restarts the estimate from the reset when the period ends while the cookie is lapsed", async () => {
    server.reset(live());
    await reportAt(T0);
    server.reset(loginRequired);
    await writeTranscript(root, "s3.jsonl", [
      assistant({ id: "m3", req: "r3", ts: "2026-12-09T20:00:00Z", input: 300_000 }),
      assistant({ id: "m4", req: "r4", ts: "2026-12-10T03:00:00Z", input: 100_000 }),
    ]);
    const afterReset = new Date("2026-12-10T06:00:00Z");
    const report = await reportAt(afterReset);
    expect(planUsage(report, afterReset)).toMatchObject({
      used: 100_000 * 300,
      limit: LIMIT,
      periodEnd: "2027-01-09T00:00:00.000Z",
      basis: { kind: "reset", local: { tokens: 100_000 } },
    });
  });

  it("estimates plan usage that failed to load, but not a plan the account no longer has", async () => {
    server.reset(live());
    await reportAt(T0);
    server.reply("tokenPlan/usage", { status: 502, body: "down" });
    const usageDown = await reportAt(at(30));
    expect(usageDown.plan?.source).toBe("platform");
    expect(planUsage(usageDown, at(30))).toMatchObject({ used: USED, estimated: true, basis: { kind: "lastAnswer" } });

    server.reply("tokenPlan/usage", ok(null));
    server.reply("tokenPlan/detail", ok(null));
    const noPlan = await reportAt(at(60));
    expect(noPlan.plan?.credits).toBeNull();
    expect(planUsage(noPlan, at(60))).toBeNull();
  });

  it("starts the history over when its file is corrupt, without a problem in the menu", async () => {
    await fs.mkdir(support, { recursive: true });
    await fs.writeFile(path.join(support, CREDIT_HISTORY_FILE), "\u0000{not json");
    server.reset(live());
    const report = await reportAt(T0);
    expect(report.problems).toEqual([]);
    expect(await readCreditHistory(path.join(support, CREDIT_HISTORY_FILE))).toHaveLength(1);
  });

  it("takes the run-out rate from samples over several days", async () => {
    const days = [0, 1, 2, 3].map((day) => new Date(Date.parse("2026-11-22T12:00:00Z") + day * 86_400_000));
    let report = null;
    for (const [i, day] of days.entries()) {
      server.reset(live(1_000_000_000 + i * 2_000_000_000));
      report = await reportAt(day);
    }
    // 6B credits in 3 days: 2B a day.
    expect(report?.plan?.credits?.creditsPerDay).toBe(2_000_000_000);
  });
});

describe("the local figures never wait for the platform", () => {
  const server = new FixtureServer();
  let baseUrl: string;
  beforeAll(async () => {
    baseUrl = await server.start();
  });
  afterAll(async () => {
    await server.close();
  });

  const stalled = {
    balance: { mode: "stall" },
    "tokenPlan/detail": { mode: "stall" },
    "tokenPlan/usage": { mode: "stall" },
  } as const;

  function askingServer(overrides: Partial<SourceOptions> = {}): SourceOptions {
    return options({ platform: undefined, env: { MIMO_API_URL: baseUrl }, platformTimeoutMs: 1500, ...overrides });
  }

  it("hands out this refresh's local figures while a platform that sent only headers is still asked", async () => {
    await primeCache(new Date("2026-11-25T09:00:00Z"));
    server.reset({ ...stalled });
    const started = Date.now();
    let early: { at: number; report: UsageReport } | null = null;
    const report = await loadUsageReport(askingServer(), {
      onLocal: (r) => {
        early = { at: Date.now() - started, report: r };
      },
    });
    const finished = Date.now() - started;
    expect(early).not.toBeNull();
    const { at, report: first } = early as unknown as { at: number; report: UsageReport };
    expect(server.requests.length).toBeGreaterThan(0);
    // The local figures came long before the platform's timeout; the complete report only after it.
    expect(at).toBeLessThan(1000);
    expect(finished).toBeGreaterThanOrEqual(1500);
    expect(first.planPending).toBe(true);
    expect(first.local).toMatchObject({ source: "local", updatedAt: NOW.toISOString() });
    expect(first.local?.snapshot.today.input).toBe(42);
    // The last answer stands in for the plan while waiting, with its own time.
    expect(first.plan).toMatchObject({ source: "cache", updatedAt: platformAnswer.fetchedAt });
    expect(first.planError).toBeNull();
    expect(report.planPending).toBeUndefined();
    expect(report.planError?.kind).toBe("timeout");
    expect(report.problems.map((p) => p.kind)).toEqual(["timeout"]);
  });

  it("hands out nothing early when the platform answered before the scan was done", async () => {
    const onLocal = jest.fn();
    const report = await loadUsageReport(options(), { onLocal });
    expect(onLocal).not.toHaveBeenCalled();
    expect(report.plan?.source).toBe("platform");
  });

  it("hands out nothing early without a cookie", async () => {
    const onLocal = jest.fn();
    await loadUsageReport(options({ cookie: "" }), { onLocal });
    expect(onLocal).not.toHaveBeenCalled();
  });
});

describe("files of the support folder that are not ours", () => {
  async function fifoAt(name: string): Promise<string> {
    await fs.mkdir(support, { recursive: true });
    const file = path.join(support, name);
    execFileSync("mkfifo", [file]);
    return file;
  }

  /** Fails the test instead of hanging it. */
  async function within<T>(ms: number, promise: Promise<T>): Promise<T> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<T>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`still running after ${ms} ms`)), ms);
    });
    try {
      return await Promise.race([promise, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  it.each([
    ["credit-history.json, platform answering", CREDIT_HISTORY_FILE, platformOk],
    ["credit-history.json, platform failing", CREDIT_HISTORY_FILE, platformDown],
    ["last-platform.json, platform answering", LAST_PLATFORM_FILE, platformOk],
    ["last-platform.json, platform failing", LAST_PLATFORM_FILE, platformDown],
  ])("a FIFO at %s is left alone, named, and the figures still come", async (_, name, platform) => {
    // A last answer of the platform makes a failing platform read the history too.
    await primeCache(new Date("2026-11-25T09:00:00Z"));
    await fs.rm(path.join(support, name), { force: true });
    const pipe = await fifoAt(name);
    const report = await within(3000, loadUsageReport(options({ platform })));
    expect(report.local?.snapshot.today.input).toBe(42);
    expect((await fs.lstat(pipe)).isFIFO()).toBe(true);
    const refused = report.problems.filter((p) => p.kind === "fileRefused");
    expect(refused).toEqual([
      {
        kind: "fileRefused",
        title: FAILURES.fileRefused.title,
        action: "none",
        detail: `${pipe} is a FIFO, not a regular file, so it was left alone`,
      },
    ]);
  });

  it("a FIFO at the last snapshot is left alone when the scan fails", async () => {
    const pipe = await fifoAt(LAST_SNAPSHOT_FILE);
    const report = await within(3000, loadUsageReport(options({ scanFails: true })));
    expect(report.local).toBeNull();
    expect(report.problems.map((p) => p.kind)).toEqual(["invalidModelFilter", "fileRefused"]);
    expect((await fs.lstat(pipe)).isFIFO()).toBe(true);
  });

  it("a link to /dev/zero is refused without being read", async () => {
    await fs.mkdir(support, { recursive: true });
    for (const name of [LAST_SNAPSHOT_FILE, LAST_PLATFORM_FILE, CREDIT_HISTORY_FILE])
      await fs.symlink("/dev/zero", path.join(support, name));
    const rssBefore = process.memoryUsage().rss;
    const report = await within(3000, loadUsageReport(options({ scanFails: true, platform: platformDown })));
    expect(process.memoryUsage().rss - rssBefore).toBeLessThan(64 * 1024 * 1024);
    expect(report.problems.filter((p) => p.kind === "fileRefused").map((p) => p.detail)).toEqual([
      `${path.join(support, LAST_SNAPSHOT_FILE)} is a symbolic link to /dev/zero, outside its folder, so it was left alone`,
      `${path.join(support, LAST_PLATFORM_FILE)} is a symbolic link to /dev/zero, outside its folder, so it was left alone`,
    ]);
    for (const name of [LAST_SNAPSHOT_FILE, LAST_PLATFORM_FILE, CREDIT_HISTORY_FILE])
      expect(await fs.readlink(path.join(support, name))).toBe("/dev/zero");
  });
});

describe("settings the report names", () => {
  it.each(["(a+)+", "x".repeat(201)])(
    "a model filter model-filter.ts refuses (%s) is a preference problem, not a failed scan",
    async (modelFilter) => {
      const report = await loadUsageReport(options({ engine: chainOptions(dir, { now: NOW, modelFilter }).engine }));
      expect(report.localError?.kind).toBe("invalidModelFilter");
      expect(report.problems[0]).toMatchObject({ kind: "invalidModelFilter", action: "openPreferences" });
    },
  );

  it("names an unknown client of Other MiMo Clients, with the name it was likely meant to be", async () => {
    const report = await loadUsageReport(options({ unknownClients: ["opencod", "cline"] }));
    expect(report.problems).toEqual([
      {
        kind: "unknownClient",
        title: FAILURES.unknownClient.title,
        action: "openPreferences",
        detail:
          '"opencod" (did you mean "opencode"?), "cline" are not clients MiMo Usage knows, so nothing is read for them; the known names are opencode, kilo, openclaw, codex, none.',
      },
    ]);
  });
});

describe("the last good snapshot, per kind of report", () => {
  const menu = (overrides: Partial<SourceOptions> & { scanFails?: boolean } = {}) => {
    const base = options(overrides);
    return { ...base, engine: { ...base.engine, sessions: false } };
  };

  it("the session list never falls back on the menu bar's snapshot, which has no sessions", async () => {
    await loadUsageReport(menu());
    const report = await loadUsageReport(options({ scanFails: true }));
    expect(report.local).toBeNull();
  });

  it("the menu bar falls back on the newer of its own and the session list's", async () => {
    await loadUsageReport(options({ now: () => new Date("2026-11-25T08:00:00Z") }));
    await loadUsageReport(menu({ now: () => new Date("2026-11-25T09:00:00Z") }));
    expect((await loadUsageReport(menu({ scanFails: true }))).local?.updatedAt).toBe("2026-11-25T09:00:00.000Z");
    await loadUsageReport(options({ now: () => new Date("2026-11-25T10:00:00Z") }));
    const report = await loadUsageReport(menu({ scanFails: true }));
    expect(report.local).toMatchObject({ source: "cache", updatedAt: "2026-11-25T10:00:00.000Z" });
    // The session list's own fallback has its sessions.
    const full = await loadUsageReport(options({ scanFails: true }));
    expect(full.local?.snapshot.sessions.length).toBe(1);
  });

  it("the menu bar's CodexBar export counts the sessions the session list's does", async () => {
    const out = path.join(dir, "codexbar.json");
    await loadUsageReport(options({ codexBarExport: out }));
    const full = JSON.parse(await fs.readFile(out, "utf8"));
    await loadUsageReport(menu({ codexBarExport: out }));
    const fromMenu = JSON.parse(await fs.readFile(out, "utf8"));
    expect(full.sessions_scanned).toBe(1);
    expect(fromMenu.sessions_scanned).toBe(1);
  });
});
