import {
  MAX_BODY_BYTES,
  fetchPlatform,
  redactError,
  safeServerMessage,
  type FetchPlatformOptions,
} from "../../../src/core/platform/client";
import { DEFAULT_BASE_URL, LOGIN_URL, resolveBaseUrl } from "../../../src/core/platform/base-url";
import { toFraction, utcWallTimeToIso } from "../../../src/core/platform/wire";
import {
  PlatformSnapshotSchema,
  type PlatformError,
  type PlatformResult,
  type PlatformSnapshot,
} from "../../../src/core/chain/report-schema";
import * as fx from "./fixtures/fixtures";
import { FixtureServer, type Reply } from "./fixtures/server";

const TOKEN = "SECRETtoken-7f3a9c";
const USER = "SECRETuser-5521";
const PH = "SECRETph-0042";
const SLH = "SECRETslh-9917";
const UNRELATED = "SECRETga-1234";
const MIMO_HEADER = `api-platform_serviceToken=${TOKEN}; userId=${USER}; api-platform_ph=${PH}; api-platform_slh=${SLH}`;
const PASTED = `Cookie: _ga=${UNRELATED}; api-platform_slh=${SLH}; userId=${USER}; api-platform_serviceToken=${TOKEN}; api-platform_ph=${PH}`;
const SECRETS = [TOKEN, USER, PH, SLH, UNRELATED];
const NOW = new Date("2026-11-25T08:00:00.000Z");

const server = new FixtureServer();
let baseUrl = "";

beforeAll(async () => {
  baseUrl = await server.start();
});
afterAll(() => server.close());
beforeEach(() => server.reset(fx.healthy()));

function run(overrides: Partial<FetchPlatformOptions> = {}): Promise<PlatformResult> {
  return fetchPlatform({
    cookie: PASTED,
    env: { MIMO_API_URL: baseUrl },
    // Generous for a loaded machine; the timeout tests set their own.
    timeoutMs: 1000,
    now: () => NOW,
    ...overrides,
  });
}

async function snapshot(overrides: Partial<FetchPlatformOptions> = {}): Promise<PlatformSnapshot> {
  const result = await run(overrides);
  if (!result.ok) throw new Error(`expected a snapshot, got ${result.error.kind}: ${result.error.message}`);
  // Whatever the client builds must be what the rest of the extension validates against.
  return PlatformSnapshotSchema.parse(result.value);
}

async function failure(overrides: Partial<FetchPlatformOptions> = {}): Promise<PlatformError> {
  const result = await run(overrides);
  if (result.ok) throw new Error("expected a failure");
  return result.error;
}

describe("fetchPlatform: a healthy session", () => {
  it("reads balance, plan and the documented usage shape", async () => {
    expect(await snapshot()).toEqual({
      fetchedAt: NOW.toISOString(),
      balance: { amount: 12.34, currency: "CNY", cash: 10, gift: 2.34 },
      plan: { code: "token_plan_pro", name: null, periodEnd: "2026-12-01T15:30:00.000Z", expired: false },
      planError: null,
      quota: {
        primary: { name: "month_total_token", used: 250000, limit: 1000000, fraction: 0.25 },
        items: [{ name: "month_total_token", used: 250000, limit: 1000000, fraction: 0.25 }],
      },
      quotaError: null,
    });
  });

  it("sends exactly the four MiMo cookies and the console's headers, with GET, to all three endpoints", async () => {
    await snapshot({ timeZone: "Asia/Shanghai" });
    expect(server.requests.map((r) => r.path).sort()).toEqual([
      "/api/v1/balance",
      "/api/v1/tokenPlan/detail",
      "/api/v1/tokenPlan/usage",
    ]);
    for (const { method, headers } of server.requests) {
      expect(method).toBe("GET");
      expect(headers.cookie).toBe(MIMO_HEADER);
      expect(headers.accept).toContain("application/json");
      expect(headers["accept-language"]).toMatch(/^en-US/);
      expect(headers["user-agent"]).toMatch(/^Mozilla\/5\.0 \(Macintosh;/);
      expect(headers["x-timezone"]).toBe("Asia/Shanghai");
      expect(headers.origin).toBe("https://platform.xiaomimimo.com");
      expect(headers.referer).toBe("https://platform.xiaomimimo.com/#/console/balance");
    }
  });

  it("sends the system's zone when none is given, and never an invalid one", async () => {
    await snapshot({ timeZone: "Mars/Olympus" });
    const zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
    for (const { headers } of server.requests) expect(headers["x-timezone"]).toBe(zone);
  });

  it("reads the live Max plan: credits, a ratio percent, percent objects, the plan name", async () => {
    server.reset({
      balance: fx.liveBalance(),
      "tokenPlan/detail": fx.liveMaxDetail(),
      "tokenPlan/usage": fx.liveMaxUsage(),
    });
    const value = await snapshot();
    expect(value.balance).toEqual({ amount: 12.3, currency: "CNY", cash: null, gift: null });
    expect(value.plan).toEqual({
      code: "token_plan_max",
      name: "Max",
      periodEnd: "2026-12-10T00:00:00.000Z",
      expired: false,
    });
    expect(value.quota?.primary).toEqual({
      name: "month_total_token",
      used: 8_582_309_279,
      limit: 82_000_000_000,
      fraction: 8_582_309_279 / 82_000_000_000,
    });
    expect(value.quota?.items.map((item) => item.name)).toEqual([
      "month_total_token",
      "plan_total_token",
      "compensation_total_token",
    ]);
    expect(value.planError).toBeNull();
    expect(value.quotaError).toBeNull();
  });

  it("reads a plan used past its limit as more than 100%, from figures or from a ratio alone", async () => {
    server.reply(
      "tokenPlan/usage",
      fx.ok({
        monthUsage: {
          items: [{ name: "month_total_token", used: 86_100_000_000, limit: 82_000_000_000, percent: 1.05 }],
        },
        usage: {
          items: [{ name: "plan_total_token", used: 5, limit: 0, percent: { source: "1.05", parsedValue: 1.05 } }],
        },
      }),
    );
    const { quota } = await snapshot();
    expect(quota?.items.map((item) => item.fraction)).toEqual([1.05, 1.05]);
  });

  it("lists every item of the live usage shape and keeps month_total_token as the primary", async () => {
    server.reply("tokenPlan/usage", fx.liveUsage());
    const { quota } = await snapshot();
    expect(quota?.primary?.name).toBe("month_total_token");
    expect(quota?.items).toEqual([
      { name: "month_total_token", used: 250000, limit: 1000000, fraction: 0.25 },
      { name: "plan_total_token", used: 3000000, limit: 12000000, fraction: 0.25 },
      { name: "compensation_total_token", used: 0, limit: 500000, fraction: 0 },
    ]);
  });

  it("falls back to plan_total_token when there is no monthly item, parsing string counts", async () => {
    server.reply("tokenPlan/usage", fx.planOnlyUsage());
    const { quota } = await snapshot();
    expect(quota).toEqual({
      primary: { name: "plan_total_token", used: 6000000, limit: 12000000, fraction: 0.5 },
      items: [{ name: "plan_total_token", used: 6000000, limit: 12000000, fraction: 0.5 }],
    });
  });

  it("uses percent, a ratio, only when there is no limit", async () => {
    server.reply(
      "tokenPlan/usage",
      fx.ok({
        monthUsage: { items: [{ name: "month_total_token", used: 10, limit: 0, percent: 0.45 }] },
        usage: { items: [{ name: "plan_total_token", used: 0, limit: 0, percent: "0.3" }] },
      }),
    );
    const { quota } = await snapshot();
    expect(quota?.items.map((item) => item.fraction)).toEqual([0.45, 0.3]);
  });

  it("leaves out usage items whose figures do not parse, keeping the others", async () => {
    server.reply(
      "tokenPlan/usage",
      fx.ok({
        monthUsage: { items: [{ name: "month_total_token", used: "unknown", limit: 10, percent: "" }, 7] },
        usage: { items: [{ name: "plan_total_token", used: "6", limit: "12", percent: "n/a" }] },
      }),
    );
    const { quota, quotaError } = await snapshot();
    expect(quotaError).toBeNull();
    expect(quota?.primary).toEqual({ name: "plan_total_token", used: 6, limit: 12, fraction: 0.5 });
    expect(quota?.items).toHaveLength(1);
  });

  it.each([
    ["a string", "12.34", 12.34],
    ["a number", 12.34, 12.34],
    ["an integer string", "0", 0],
  ])("reads a balance sent as %s", async (_name, amount, expected) => {
    server.reply("balance", fx.balance(amount));
    expect((await snapshot()).balance.amount).toBe(expected);
  });

  it("leaves cash and gift null when the platform omits them", async () => {
    server.reply("balance", fx.ok({ balance: 5, currency: "USD" }));
    expect((await snapshot()).balance).toEqual({ amount: 5, currency: "USD", cash: null, gift: null });
  });

  it.each([
    ["empty", ""],
    ["unknown", "unknown"],
    ["an object", { value: 1 }],
    ["null", null],
  ])("treats a cash or gift part that is %s as not shown, keeping the balance", async (_name, part) => {
    server.reply("balance", fx.ok({ balance: "12.30", currency: "CNY", cashBalance: part, giftBalance: "2.5" }));
    expect((await snapshot()).balance).toEqual({ amount: 12.3, currency: "CNY", cash: null, gift: 2.5 });
  });

  it.each([
    ["no currency", { balance: "12.30", cashBalance: "1" }],
    ["an empty balance", { balance: "", currency: "CNY" }],
    ["an unknown balance", { balance: "unknown", currency: "CNY" }],
  ])("still fails the section on %s", async (_name, body) => {
    server.reply("balance", fx.ok(body));
    expect((await failure()).kind).toBe("unexpectedPayload");
  });

  it("reports no plan, without an error, when plan and usage data are null", async () => {
    server.reply("tokenPlan/detail", fx.ok(null));
    server.reply("tokenPlan/usage", fx.ok(null));
    const value = await snapshot();
    expect(value).toMatchObject({ plan: null, planError: null, quota: null, quotaError: null });
  });

  it("derives expired from the period end when the flag is missing", async () => {
    server.reply("tokenPlan/detail", fx.ok({ planCode: "lite", currentPeriodEnd: "2026-11-01 00:00:00" }));
    expect((await snapshot()).plan).toEqual({
      code: "lite",
      name: null,
      periodEnd: "2026-11-01T00:00:00.000Z",
      expired: true,
    });
  });

  it("defaults to the real platform when no override is set", async () => {
    const urls: string[] = [];
    const fetchImpl: typeof fetch = async (input) => {
      urls.push(String(input));
      return new Response(JSON.stringify({ code: 0, data: null }), { status: 200 });
    };
    await run({ env: {}, fetchImpl });
    expect(urls.sort()).toEqual([
      `${DEFAULT_BASE_URL}/balance`,
      `${DEFAULT_BASE_URL}/tokenPlan/detail`,
      `${DEFAULT_BASE_URL}/tokenPlan/usage`,
    ]);
  });
});

describe("fetchPlatform: a session the platform does not accept", () => {
  it.each<[string, Reply, PlatformError["kind"]]>([
    ["HTTP 401", { status: 401, body: { code: 401, message: "Unauthorized" } }, "loginRequired"],
    ["body code 401", { body: { code: 401, message: "请先登录", data: null } }, "loginRequired"],
    ['body code "401"', { body: { code: "401", data: null } }, "loginRequired"],
    ["HTML login page with 200", { body: fx.loginPage, headers: { "Content-Type": "text/html" } }, "loginRequired"],
    ["HTML without a content type", { body: `\n  ${fx.loginPage}` }, "loginRequired"],
    ["HTTP 403", { status: 403, body: { code: 403 } }, "expired"],
    ["HTTP 500", { status: 500, body: "oops" }, "network"],
    ["malformed JSON", { body: '{"code":0,"data":{"balance":' }, "unexpectedPayload"],
    ["JSON that is not an envelope", { body: [1, 2] }, "unexpectedPayload"],
  ])("%s → %s", async (_name, reply, kind) => {
    server.reset(fx.everywhere(reply));
    expect((await failure()).kind).toBe(kind);
  });

  it("treats a redirect as a login and does not follow it", async () => {
    server.reset(fx.everywhere({ status: 302, headers: { Location: `${server.origin}/login` } }));
    expect((await failure()).kind).toBe("loginRequired");
    expect(server.requests.map((r) => r.path)).not.toContain("/login");
    expect(server.requests).toHaveLength(3);
  });

  it("reports a balance of the wrong shape as unexpectedPayload naming the field", async () => {
    server.reply("balance", fx.ok({ balance: "twelve", currency: "CNY" }));
    expect(await failure()).toEqual({ kind: "unexpectedPayload", message: expect.stringContaining("balance") });
  });

  it("quotes the platform's own message for other body codes", async () => {
    server.reply("balance", { body: { code: 10002, message: "账户已冻结 account frozen" } });
    expect(await failure()).toEqual({
      kind: "network",
      message: expect.stringContaining("code 10002: 账户已冻结 account frozen"),
    });
  });

  it("gives up on a slow balance after the timeout", async () => {
    server.reply("balance", { ...fx.balance(), delayMs: 3000 });
    const started = Date.now();
    const error = await failure({ timeoutMs: 150 });
    expect(error).toEqual({ kind: "timeout", message: expect.stringContaining("150 ms") });
    expect(Date.now() - started).toBeLessThan(1500);
  });

  it("drops an endless body past the cap, closes its connection and stays small", async () => {
    server.reset({ ...fx.healthy(), balance: { mode: "endless" } });
    const rssBefore = process.memoryUsage().rss;
    const started = Date.now();
    // Long enough that, without a cap, the body would run to gigabytes before the timeout.
    const error = await failure({ timeoutMs: 8000 });
    expect(error).toEqual({ kind: "unexpectedPayload", message: expect.stringMatching(/more than 4 MB for balance/) });
    expect(Date.now() - started).toBeLessThan(4000);
    expect(process.memoryUsage().rss - rssBefore).toBeLessThan(100 * 1024 * 1024);
    // The client stopped reading: the server could only fill the socket's buffers past the cap.
    await new Promise((resolve) => setTimeout(resolve, 200));
    const sent = server.endlessBytes;
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(server.endlessBytes).toBe(sent);
    expect(sent).toBeLessThan(MAX_BODY_BYTES + 16 * 1024 * 1024);
  });

  it("refuses a body whose declared length is past the cap without reading it", async () => {
    server.reply("balance", { ...fx.balance(), headers: { "Content-Length": String(MAX_BODY_BYTES + 1) } });
    expect(await failure()).toEqual({ kind: "unexpectedPayload", message: expect.stringContaining("more than 4 MB") });
  });

  it("still reads an answer just under the cap", async () => {
    const padding = "x".repeat(MAX_BODY_BYTES - 200);
    server.reply("balance", fx.ok({ balance: "12.34", currency: "CNY", padding }));
    expect((await snapshot()).balance.amount).toBe(12.34);
  });

  it("reports a refused connection as a network error", async () => {
    const gone = new FixtureServer();
    const url = await gone.start();
    await gone.close();
    expect(await failure({ env: { MIMO_API_URL: url } })).toEqual({
      kind: "network",
      message: expect.stringContaining("connection refused"),
    });
  });
});

describe("fetchPlatform: plan and usage are extras", () => {
  it("keeps the balance when plan and usage fail, reporting each", async () => {
    server.reply("tokenPlan/detail", { status: 500, body: "down" });
    server.reply("tokenPlan/usage", { status: 502, body: "down" });
    const value = await snapshot();
    expect(value.balance.amount).toBe(12.34);
    expect(value).toMatchObject({
      plan: null,
      quota: null,
      planError: { kind: "network", message: expect.stringContaining("HTTP 500") },
      quotaError: { kind: "network", message: expect.stringContaining("HTTP 502") },
    });
  });

  it("times out a slow usage call on its own", async () => {
    server.reply("tokenPlan/usage", { ...fx.monthUsage(), delayMs: 3000 });
    const value = await snapshot();
    expect(value.plan?.code).toBe("token_plan_pro");
    expect(value.quotaError?.kind).toBe("timeout");
  });

  it("reports a usage payload of the wrong shape without losing the plan", async () => {
    server.reply("tokenPlan/usage", fx.ok("monthUsage"));
    const value = await snapshot();
    expect(value.plan).not.toBeNull();
    expect(value.quotaError?.kind).toBe("unexpectedPayload");
  });

  it("shows no period end, rather than failing the plan, when it is unreadable", async () => {
    server.reply(
      "tokenPlan/detail",
      fx.ok({ planCode: "pro", planName: "", currentPeriodEnd: "2026-02-30 00:00:00", expired: "maybe" }),
    );
    const value = await snapshot();
    expect(value.planError).toBeNull();
    expect(value.plan).toEqual({ code: "pro", name: null, periodEnd: null, expired: false });
  });

  it("still fails plan details without a plan code", async () => {
    server.reply("tokenPlan/detail", fx.ok({ planName: "Max" }));
    expect((await snapshot()).planError?.kind).toBe("unexpectedPayload");
  });
});

describe("fetchPlatform: refusing before any request", () => {
  it.each<[string, Partial<FetchPlatformOptions>, PlatformError["kind"]]>([
    ["no cookie", { cookie: "  " }, "noCookie"],
    ["a cookie without userId", { cookie: `api-platform_serviceToken=${TOKEN}` }, "invalidCookie"],
    ["an http override off this machine", { env: { MIMO_API_URL: "http://example.com/api/v1" } }, "refusedBaseUrl"],
  ])("%s", async (_name, overrides, kind) => {
    const fetchImpl = jest.fn<ReturnType<typeof fetch>, Parameters<typeof fetch>>();
    expect((await failure({ ...overrides, fetchImpl })).kind).toBe(kind);
    expect(fetchImpl).not.toHaveBeenCalled();
  });
});

describe("fetchPlatform: never throws", () => {
  it("turns a fetch that throws into a network error", async () => {
    const fetchImpl: typeof fetch = () => {
      throw new Error("boom");
    };
    expect((await failure({ fetchImpl })).kind).toBe("network");
  });
});

describe("no cookie value in any message", () => {
  const echo = { code: 500, message: `bad cookie ${MIMO_HEADER}` };
  const modes: [string, Partial<FetchPlatformOptions>, Record<string, Reply>][] = [
    ["401", {}, fx.everywhere({ status: 401 })],
    ["body code 401", {}, fx.everywhere({ body: { code: 401, message: `token ${TOKEN} invalid` } })],
    ["302", {}, fx.everywhere({ status: 302, headers: { Location: `/login?userId=${USER}` } })],
    ["403", {}, fx.everywhere({ status: 403 })],
    ["HTML", {}, fx.everywhere({ body: `<html>${MIMO_HEADER}</html>` })],
    ["malformed JSON", {}, fx.everywhere({ body: `{"${TOKEN}":` })],
    ["wrong shape", {}, fx.everywhere(fx.ok({ [TOKEN]: USER }))],
    ["body echoes the cookie", {}, fx.everywhere({ body: echo })],
    ["only balance works, extras echo", {}, { balance: fx.balance(), "tokenPlan/detail": { body: echo } }],
    ["500", {}, fx.everywhere({ status: 500, body: MIMO_HEADER })],
    ["timeout", { timeoutMs: 100 }, fx.everywhere({ ...fx.balance(), delayMs: 2000 })],
    ["refused URL", { env: { MIMO_API_URL: `http://${TOKEN}.example.com/` } }, fx.healthy()],
    ["missing userId", { cookie: `Cookie: api-platform_serviceToken=${TOKEN}; x=${UNRELATED}` }, fx.healthy()],
    ["bad characters", { cookie: `api-platform_serviceToken=${TOKEN}\u0001; userId=${USER}` }, fx.healthy()],
    [
      "fetch error quoting the request",
      {
        fetchImpl: () => Promise.reject(Object.assign(new TypeError(`bad header ${MIMO_HEADER}`), { code: TOKEN })),
      },
      fx.healthy(),
    ],
  ];

  it.each(modes)("%s", async (_name, overrides, replies) => {
    server.reset(replies);
    const result = await run(overrides);
    const messages = result.ok
      ? [result.value.planError?.message, result.value.quotaError?.message]
      : [result.error.message];
    const text = messages.filter((m): m is string => m !== undefined).join("\n");
    expect(text).not.toBe("");
    for (const secret of SECRETS) expect(text).not.toContain(secret);
    expect(text).not.toContain("SECRET");
  });
});

describe("resolveBaseUrl", () => {
  it.each([
    [{}, DEFAULT_BASE_URL],
    [{ MIMO_API_URL: "" }, DEFAULT_BASE_URL],
    [{ MIMO_API_URL: "https://platform.xiaomimimo.com/api/v1/" }, "https://platform.xiaomimimo.com/api/v1"],
    [
      { MIMO_API_URL: "https://staging.platform.xiaomimimo.com/api/v2" },
      "https://staging.platform.xiaomimimo.com/api/v2",
    ],
    [{ MIMO_API_URL: "http://127.0.0.1:8080/api/v1" }, "http://127.0.0.1:8080/api/v1"],
    [{ MIMO_API_URL: "http://localhost:3000" }, "http://localhost:3000"],
    [{ MIMO_API_URL: "http://[::1]:9000/api/v1" }, "http://[::1]:9000/api/v1"],
    [{ MIMO_API_URL: "https://localhost:8443/api/v1" }, "https://localhost:8443/api/v1"],
  ])("%j → %s", (env, expected) => expect(resolveBaseUrl(env)).toEqual({ ok: true, value: expected }));

  it.each([
    "http://platform.xiaomimimo.com/api/v1",
    "http://example.com/api/v1",
    "http://127.0.0.2/api/v1",
    "http://localhost.example.com/api/v1",
    "https://example.com/api/v1",
    "https://platform.xiaomimimo.com.example.com/api/v1",
    "https://evilxiaomimimo.com/api/v1",
    "https://user:pass@platform.xiaomimimo.com/api/v1",
    "https://platform.xiaomimimo.com/api/v1?x=1",
    "ftp://127.0.0.1/api",
    "file:///etc/passwd",
    "not a url",
    "127.0.0.1:8080",
  ])("refuses %s", (url) => {
    const result = resolveBaseUrl({ MIMO_API_URL: url });
    expect(result).toEqual({ ok: false, error: { kind: "refusedBaseUrl", message: expect.any(String) } });
  });

  it("exports the page people log in on", () =>
    expect(LOGIN_URL).toBe("https://platform.xiaomimimo.com/#/console/balance"));
});

describe("pure helpers", () => {
  it.each([
    ["2026-12-01 15:30:00", "2026-12-01T15:30:00.000Z"],
    ["2026-12-01T15:30", "2026-12-01T15:30:00.000Z"],
    ["2024-02-29 23:59:59", "2024-02-29T23:59:59.000Z"],
    ["2026-12-01T15:30:00+08:00", "2026-12-01T07:30:00.000Z"],
    ["2026-02-30 00:00:00", null],
    ["2026-12-01 24:00:00", null],
    ["0099-01-01 00:00:00", null],
    ["01/12/2026", null],
  ])("utcWallTimeToIso(%j) → %j", (text, expected) => expect(utcWallTimeToIso(text)).toBe(expected));

  it.each([
    [0.45, 0.45],
    [1.05, 1.05],
    [0, 0],
    [-5, 0],
  ])("reads a percent of %d without a limit as the ratio %d", (percent, expected) =>
    expect(toFraction({ used: 1, limit: 0, percent })).toBe(expected),
  );

  it("keeps a plain server message, trimmed and without control characters", () =>
    expect(safeServerMessage("  账户\n已冻结 ", [TOKEN])).toBe("账户 已冻结"));
  it("drops a server message that contains a cookie value, however short", () => {
    expect(safeServerMessage(`user 7 unknown`, ["7"])).toBeNull();
    expect(safeServerMessage({ text: "x" }, [])).toBeNull();
  });
  it("cuts long server messages", () => expect(safeServerMessage("x".repeat(500), [])?.length).toBe(160));
  it("redacts every secret from a message", () =>
    expect(redactError({ kind: "network", message: `a ${TOKEN} b ${USER}` }, [TOKEN, USER]).message).toBe(
      "a [redacted] b [redacted]",
    ));

  it("prefers used/limit over percent", () => expect(toFraction({ used: 1, limit: 4, percent: 90 })).toBe(0.25));
  it("lets an overrun show as more than 1", () => expect(toFraction({ used: 15, limit: 10 })).toBe(1.5));
});
