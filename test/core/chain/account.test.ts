import { promises as fs } from "node:fs";
import path from "node:path";
import { loadUsageReport, type SourceOptions } from "../../../src/core/chain/report";
import type { UsageReport } from "../../../src/core/chain/report-schema";
import { ACCOUNT_DAYS_FILE } from "../../../src/core/platform/account-days";
import { getUsage, type UsageAnswer } from "../../../src/tools/get-usage";
import type { Unavailable } from "../../../src/tools/answer";
import { FAILURES } from "../../../src/core/chain/failures";
import { chainOptions, corpusFixture, type CorpusFixture } from "../../helpers/report";
import * as fx from "../platform/fixtures/fixtures";
import { FixtureServer, type Reply, type ReplyFor } from "../platform/fixtures/server";

/**
 * The account part of the real chain against the loopback stand-in, seen on Wednesday 2026-12-02 in
 * UTC: this week (from Monday 11-30) crosses the month boundary, so both months asked are used.
 *
 * This Mac: today 1,070,000 tokens of mimo-v2.5-pro (50,000 in, 20,000 out, 1,000,000 cache read),
 * Monday 10,000 in. The account: today 5,800,000 hit, 200,000 miss, 70,000 out (6,070,000); Monday
 * 30,000 miss; 11-15 1,000 miss.
 * Credits (2.5 / 300 / 600): account today 116.5M, this Mac today 29.5M; Monday account 9M, Mac 3M.
 */

const NOW = new Date("2026-12-02T12:00:00Z");
const PH = "ph-value+1/2=";
const COOKIE = `api-platform_serviceToken=token-abc; userId=42; api-platform_ph=${PH}`;
const LIST = "usage/token-plan/list";

const MONTHS = {
  "2026-11": [
    fx.listRow("2026-11-15", "mimo-v2.5-pro", 0, 1_000, 0),
    fx.listRow("2026-11-30", "mimo-v2.5-pro", 0, 30_000, 0),
  ],
  "2026-12": [fx.listRow("2026-12-02", "mimo-v2.5-pro", 5_800_000, 200_000, 70_000, 40)],
};

/** A plan whose period began 2026-11-10 08:00 UTC (it ends 30 days later), with `used` Credits. */
function platform(used: number, list: Reply | ReplyFor = fx.tokenPlanList(MONTHS)): Record<string, Reply | ReplyFor> {
  return {
    balance: fx.liveBalance(),
    "tokenPlan/detail": fx.liveMaxDetail("2026-12-10 08:00:00"),
    "tokenPlan/usage": fx.liveMaxUsage(used, 82_000_000_000),
    [LIST]: list,
  };
}
// Period days 11-10 .. 12-02 in the rows: 11-15 (300K), 11-30 (9M), 12-02 (116.5M) = 125.8M.
const PERIOD_CREDITS = 125_800_000;

const server = new FixtureServer();
let baseUrl = "";
let corpus: CorpusFixture;

beforeAll(async () => {
  baseUrl = await server.start();
});
afterAll(() => server.close());
beforeEach(async () => {
  corpus = await corpusFixture([
    {
      id: "mac",
      cwd: "/work/app",
      lines: [
        { ts: "2026-11-30T09:00:00Z", input: 10_000 },
        { ts: "2026-12-02T09:00:00Z", input: 50_000, output: 20_000, cacheRead: 1_000_000 },
      ],
    },
  ]);
});
afterEach(() => corpus.cleanup());

function options(overrides: Partial<SourceOptions> & { at?: Date; timeZone?: string } = {}): SourceOptions {
  const { at = NOW, timeZone, ...rest } = overrides;
  return {
    ...chainOptions(corpus.dir, { now: at, timeZone }),
    cookie: COOKIE,
    platform: undefined,
    accountList: undefined,
    env: { MIMO_API_URL: baseUrl },
    ...rest,
  };
}

function usage(report: UsageReport, input: object, at = NOW): UsageAnswer {
  const result: UsageAnswer | Unavailable = getUsage(input, report, at);
  if (!result.available) throw new Error(result.reason);
  return result;
}

const supportFile = () => path.join(corpus.dir, "support", ACCOUNT_DAYS_FILE);

describe("the account beside this Mac, through the real chain", () => {
  it("asks both months, keeps the rows, and get-usage for today reports the account and elsewhere", async () => {
    server.reset(platform(PERIOD_CREDITS));
    const report = await loadUsageReport(options());
    const asked = server.requests.filter((r) => r.path.endsWith(LIST)).map((r) => JSON.parse(r.body));
    expect(asked.sort((a, b) => a.month - b.month)).toEqual([
      { year: 2026, month: 11 },
      { year: 2026, month: 12 },
    ]);
    expect(report.account).toMatchObject({
      source: "platform",
      fresh: true,
      asOf: NOW.toISOString(),
      rateWarning: null,
    });
    expect(report.problems).toEqual([]);

    const today = usage(report, { period: "today" });
    expect(today.totalTokens).toBe(1_070_000);
    expect(today.account).toEqual({
      totalTokens: 6_070_000,
      credits: 116_500_000,
      elsewhereTokens: 5_000_000,
      elsewhereCredits: 87_000_000,
      byModel: [
        {
          model: "mimo-v2.5-pro",
          totalTokens: 6_070_000,
          credits: 116_500_000,
          elsewhereTokens: 5_000_000,
          elsewhereCredits: 87_000_000,
        },
      ],
      asOf: NOW.toISOString(),
      source: "platform",
    });
    expect(today.notes).toEqual([]);
  });

  it("adds up a week across the month boundary from both months", async () => {
    server.reset(platform(PERIOD_CREDITS));
    const week = usage(await loadUsageReport(options()), { period: "this-week" });
    expect(week).toMatchObject({ from: "2026-11-30", to: "2026-12-02", totalTokens: 1_080_000 });
    // Monday: 30,000 on the account, 10,000 here → 20,000 elsewhere, 6M Credits elsewhere.
    expect(week.account).toMatchObject({
      totalTokens: 6_100_000,
      credits: 125_500_000,
      elsewhereTokens: 5_020_000,
      elsewhereCredits: 93_000_000,
    });
  });

  it("gives no account figures for a period the rows do not cover, and says why", async () => {
    server.reset(platform(PERIOD_CREDITS));
    const report = await loadUsageReport(options());
    // November was asked as the previous month, so all of it is covered.
    expect(usage(report, { period: "last-month" }).account).toMatchObject({
      totalTokens: 31_000,
      elsewhereTokens: 21_000,
    });
    const october = usage(report, { from: "2026-10-01", to: "2026-10-05" });
    expect(october.account).toBeUndefined();
    expect(october.notes).toContain(
      "No all-devices figures for this period: the platform's daily list has not been read for every month of this " +
        `period (last read ${NOW.toISOString()}).`,
    );
  });

  it("keeps the rows through a lapsed cookie: yesterday still answers, as of the last answer", async () => {
    server.reset(platform(PERIOD_CREDITS));
    await loadUsageReport(options());
    const later = new Date("2026-12-03T09:00:00Z");
    server.reset(fx.everywhere({ status: 401, body: { code: 401, message: "login" } }));
    const report = await loadUsageReport(options({ at: later }));
    expect(report.plan?.source).not.toBe("platform");
    expect(report.account).toMatchObject({ fresh: false, asOf: NOW.toISOString() });
    // The plan's own line names the fix; the list adds no second one.
    expect(report.problems.map((p) => p.kind)).toEqual(["loginRequired"]);
    expect(usage(report, { period: "yesterday" }, later).account).toMatchObject({
      totalTokens: 6_070_000,
      asOf: NOW.toISOString(),
    });
    const today = usage(report, { period: "today" }, later);
    expect(today.account).toBeUndefined();
    expect(today.notes.join(" ")).toMatch(/last read before the end of this period/);
  });

  it("a 401 for the list alone keeps the plan and the local figures: one Status line with its fix", async () => {
    server.reset(platform(PERIOD_CREDITS, { status: 401, body: "" }));
    const report = await loadUsageReport(options());
    expect(report.plan?.source).toBe("platform");
    expect(report.local?.snapshot.today.total).toBe(1_070_000);
    expect(report.account).toBeNull();
    expect(report.accountError?.kind).toBe("loginRequired");
    expect(report.problems).toEqual([
      expect.objectContaining({ kind: "accountLogin", title: FAILURES.accountLogin.title, action: "openPreferences" }),
    ]);
  });

  it("a changed shape for the list is one line too, and the kept rows still answer", async () => {
    server.reset(platform(PERIOD_CREDITS));
    await loadUsageReport(options());
    server.reset(platform(PERIOD_CREDITS, fx.ok({ rows: "changed" })));
    const report = await loadUsageReport(options());
    expect(report.plan?.source).toBe("platform");
    expect(report.account).toMatchObject({ fresh: false });
    expect(report.problems).toEqual([
      expect.objectContaining({
        kind: "accountPayload",
        detail: expect.stringMatching(/Showing the account's rows as of/),
      }),
    ]);
  });

  it("without an api-platform_ph cookie the list is not asked, and the answer says which cookie to add", async () => {
    server.reset(platform(PERIOD_CREDITS));
    const report = await loadUsageReport(options({ cookie: "api-platform_serviceToken=token-abc; userId=42" }));
    expect(server.requests.some((r) => r.path.endsWith(LIST))).toBe(false);
    expect(report.plan?.source).toBe("platform");
    expect(report.accountError?.kind).toBe("accountNoPh");
    expect(report.problems).toEqual([]);
    expect(usage(report, { period: "today" }).notes).toContain(FAILURES.accountNoPh.explanation);
  });

  it("answers offline from the kept rows for the AI tools, and shows nothing without a cookie", async () => {
    server.reset(platform(PERIOD_CREDITS));
    await loadUsageReport(options());
    const before = server.requests.length;
    const kept = await loadUsageReport(options({ cookie: "", account: "kept", accountCookie: COOKIE }));
    expect(server.requests.length).toBe(before);
    expect(usage(kept, { period: "today" }).account?.elsewhereTokens).toBe(5_000_000);
    const removed = await loadUsageReport(options({ cookie: "", account: "kept", accountCookie: "" }));
    expect(removed.account).toBeNull();
  });

  it("a time-zone change starts the rows over in the new zone, asked with the new x-timeZone", async () => {
    server.reset(platform(PERIOD_CREDITS));
    await loadUsageReport(options());
    server.reset(
      platform(PERIOD_CREDITS, fx.tokenPlanList({ "2026-12": [fx.listRow("2026-12-02", "mimo-v2.5-pro", 0, 7, 0)] })),
    );
    const report = await loadUsageReport(options({ timeZone: "Asia/Shanghai" }));
    const list = server.requests.filter((r) => r.path.endsWith(LIST));
    expect(list.every((r) => r.headers["x-timezone"] === "Asia/Shanghai")).toBe(true);
    expect(report.account?.days).toMatchObject({ timeZone: "Asia/Shanghai" });
    expect(report.account?.days.rows).toEqual([
      { date: "2026-12-02", model: "mimo-v2.5-pro", hit: 0, miss: 7, output: 0, total: 7, requests: 1 },
    ]);
    expect(JSON.parse(await fs.readFile(supportFile(), "utf8")).timeZone).toBe("Asia/Shanghai");
  });

  it("kept rows from another zone give no figures, rather than days that do not line up", async () => {
    server.reset(platform(PERIOD_CREDITS));
    await loadUsageReport(options());
    const kept = await loadUsageReport(
      options({ cookie: "", account: "kept", accountCookie: COOKIE, timeZone: "America/New_York" }),
    );
    const today = usage(kept, { period: "today" });
    expect(today.account).toBeUndefined();
    expect(today.notes.join(" ")).toMatch(/another time zone/);
  });

  it("the rate check: Credits from the rows that miss the plan's used by more than 5% are one plain warning", async () => {
    server.reset(platform(2 * PERIOD_CREDITS));
    const report = await loadUsageReport(options());
    const warning =
      "The account's daily list gives 126M Credits for this plan period at MiMo's rates, but the plan says 252M used.";
    expect(report.account?.rateWarning).toBe(warning);
    expect(report.problems).toEqual([
      { kind: "rateMismatch", title: FAILURES.rateMismatch.title, action: "none", detail: warning },
    ]);
    server.reset(platform(PERIOD_CREDITS * 1.03));
    expect((await loadUsageReport(options())).problems).toEqual([]);
  });

  it("never stores the cookie, and writes the rows as a versioned file of ours", async () => {
    server.reset(platform(PERIOD_CREDITS));
    await loadUsageReport(options());
    const text = await fs.readFile(supportFile(), "utf8");
    expect(text).not.toContain(PH);
    expect(text).not.toContain("token-abc");
    expect(JSON.parse(text)).toMatchObject({ kind: "mimo-usage-account-days", version: 1, timeZone: "UTC" });
  });
});
