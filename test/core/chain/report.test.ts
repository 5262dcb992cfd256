import { promises as fs } from "node:fs";
import path from "node:path";
import { LAST_PLATFORM_FILE, LAST_SNAPSHOT_FILE } from "../../../src/core/settings";
import type { PlatformResult, PlatformSnapshot } from "../../../src/core/chain/report-schema";
import { loadUsageReport, type SourceOptions } from "../../../src/core/chain/report";
import { assistant, configFor, tempDir, writeTranscript } from "../../helpers/transcripts";
import { everywhere, healthy } from "../platform/fixtures/fixtures";
import { FixtureServer } from "../platform/fixtures/server";

const NOW = new Date("2026-11-25T12:00:00Z");
const FIVE_MIN = 5 * 60 * 1000;

const platformAnswer: PlatformSnapshot = {
  fetchedAt: "2026-11-25T11:59:00.000Z",
  balance: { amount: 12.34, currency: "CNY", cash: 10, gift: 2.34 },
  plan: { code: "token_plan_pro", periodEnd: "2026-12-01T15:30:00.000Z", expired: false },
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
    engine: configFor([root], { statePath: path.join(support, "state.bin"), modelFilter: scanFails ? "(" : "mimo" }),
    supportPath: support,
    cookie: "api-platform_serviceToken=tok; userId=1",
    refreshIntervalMs: FIVE_MIN,
    now: () => NOW,
    platform: platformOk,
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
    expect(report.local).toMatchObject({ source: "local", updatedAt: NOW.toISOString(), stale: false });
    expect(report.local?.snapshot.today.input).toBe(42);
    expect(report.plan).toMatchObject({ source: "platform", updatedAt: platformAnswer.fetchedAt, stale: false });
    expect(report.planError).toBeNull();
    expect(report.problems).toEqual([]);
  });

  it("platform failing, scan ok: keeps the typed reason and says what to do", async () => {
    const report = await loadUsageReport(options({ platform: platformDown }));
    expect(report.local?.source).toBe("local");
    expect(report.plan).toBeNull();
    expect(report.planError?.kind).toBe("loginRequired");
    expect(report.problems).toEqual([
      expect.objectContaining({ title: expect.stringMatching(/login required/), action: "openPreferences" }),
    ]);
  });

  it("platform failing after it once worked: shows the last plan as cache, with its own time", async () => {
    await primeCache(new Date("2026-11-25T00:00:00Z"));
    const report = await loadUsageReport(options({ platform: platformDown }));
    expect(report.plan).toMatchObject({ source: "cache", updatedAt: platformAnswer.fetchedAt, stale: false });
    expect(report.planError?.kind).toBe("loginRequired");
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
    expect(report.local).toMatchObject({ source: "cache", updatedAt: cachedAt.toISOString(), stale: false });
    expect(report.local?.snapshot.today.input).toBe(42);
    expect(report.localError).toMatch(/not a valid regular expression/);
    expect(report.problems[0].title).toMatch(/cached figures/);
    expect(report.plan?.source).toBe(platform === platformOk ? "platform" : "cache");
  });

  it("marks a cache older than 12 hours as stale", async () => {
    await primeCache(new Date("2026-11-24T23:00:00Z"));
    const report = await loadUsageReport(options({ scanFails: true }));
    expect(report.local).toMatchObject({ source: "cache", stale: true });
  });

  it.each([
    ["platform ok", platformOk],
    ["platform failing", platformDown],
  ])("%s, scan failing, cache absent: no local section, a clear reason", async (_, platform) => {
    const report = await loadUsageReport(options({ scanFails: true, platform }));
    expect(report.local).toBeNull();
    expect(report.localError).toMatch(/model filter/);
    expect(report.problems.map((p) => p.title)).toContain("Local scan failed");
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
      expect.objectContaining({ title: "No Claude config folder found", action: "openPreferences" }),
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
