import { fetchAccountMonths, type AccountListResult } from "../../../src/core/platform/account-request";
import * as fx from "./fixtures/fixtures";
import { FixtureServer } from "./fixtures/server";

const TOKEN = "SECRETtoken-7f3a9c";
const PH = "SECRET+ph/0042=";
const COOKIE = `Cookie: api-platform_serviceToken=${TOKEN}; userId=SECRETuser-5521; api-platform_ph=${PH}`;
const NOW = new Date("2026-11-25T08:00:00.000Z");
const MONTHS = [
  { year: 2026, month: 10 },
  { year: 2026, month: 11 },
];
const LIST = "usage/token-plan/list";

const server = new FixtureServer();
let baseUrl = "";
beforeAll(async () => {
  baseUrl = await server.start();
});
afterAll(() => server.close());

function run(cookie = COOKIE, timeZone = "Asia/Shanghai"): Promise<AccountListResult> {
  return fetchAccountMonths(
    { cookie, env: { MIMO_API_URL: baseUrl }, timeoutMs: 2000, now: () => NOW, timeZone },
    MONTHS,
  );
}

async function failure(cookie = COOKIE) {
  const result = await run(cookie);
  if (result.ok) throw new Error("expected a failure");
  return result.error;
}

describe("fetchAccountMonths over the loopback stand-in", () => {
  it("POSTs each month with the ph cookie in the query, the console's cookies and the user's zone", async () => {
    server.reset({
      [LIST]: fx.tokenPlanList({
        "2026-10": [fx.listRow("2026-10-31", "mimo-v2.5-pro", 100, 10, 1)],
        "2026-11": [fx.listRow("2026-11-01", "mimo-v2.5", 0, 5, 5)],
      }),
    });
    const result = await run();
    expect(result).toEqual({
      ok: true,
      answers: [
        {
          month: MONTHS[0],
          asOf: NOW.toISOString(),
          rows: [
            { date: "2026-10-31", model: "mimo-v2.5-pro", hit: 100, miss: 10, output: 1, total: 111, requests: 1 },
          ],
        },
        {
          month: MONTHS[1],
          asOf: NOW.toISOString(),
          rows: [{ date: "2026-11-01", model: "mimo-v2.5", hit: 0, miss: 5, output: 5, total: 10, requests: 1 }],
        },
      ],
    });
    expect(server.requests).toHaveLength(2);
    for (const request of server.requests) {
      expect(request.method).toBe("POST");
      expect(request.path).toBe("/api/v1/usage/token-plan/list");
      expect(request.query).toBe(`api-platform_ph=${encodeURIComponent(PH)}`);
      expect(request.headers["content-type"]).toBe("application/json");
      expect(request.headers["x-timezone"]).toBe("Asia/Shanghai");
      expect(request.headers.cookie).toContain(`api-platform_ph=${PH}`);
      expect(request.headers.origin).toBe("https://platform.xiaomimimo.com");
    }
    expect(server.requests.map((r) => JSON.parse(r.body)).sort((a, b) => a.month - b.month)).toEqual(MONTHS);
  });

  it("asks nothing without the api-platform_ph cookie, and says which cookie is missing", async () => {
    server.reset({ [LIST]: fx.tokenPlanList({}) });
    const error = await failure(`api-platform_serviceToken=${TOKEN}; userId=7`);
    expect(error.kind).toBe("accountNoPh");
    expect(error.message).toMatch(/api-platform_ph/);
    expect(server.requests).toHaveLength(0);
  });

  it("reads a 401 as a login, and never echoes the cookie from the server's words", async () => {
    server.reset({ [LIST]: { status: 200, body: { code: 401, message: `bad ph ${PH}` } } });
    const error = await failure();
    expect(error.kind).toBe("loginRequired");
    expect(JSON.stringify(error)).not.toContain("SECRET");
    server.reset({ [LIST]: { status: 401, body: "" } });
    expect((await failure()).kind).toBe("loginRequired");
  });

  it("fails whole when one month fails: a missing month would read as a month without use", async () => {
    server.reset({
      [LIST]: (request) =>
        JSON.parse(request.body).month === 10
          ? { status: 500, body: "oops" }
          : fx.ok([fx.listRow("2026-11-02", "m", 1, 1, 1)]),
    });
    expect((await failure()).kind).toBe("network");
  });

  describe("hostile answers", () => {
    it("a list of wrong types is a changed shape", async () => {
      server.reset({ [LIST]: fx.ok({ total: "many" }) });
      expect(await failure()).toMatchObject({ kind: "unexpectedPayload" });
      server.reset({ [LIST]: fx.ok([{ date: true, model: [], totalToken: {} }]) });
      expect(await failure()).toMatchObject({ kind: "unexpectedPayload" });
      server.reset({ [LIST]: { body: { code: "zero", data: [] } } });
      expect(await failure()).toMatchObject({ kind: "unexpectedPayload" });
    });

    it("a huge list is refused, not read", async () => {
      const rows = Array.from({ length: 7_000 }, (_, i) => fx.listRow("2026-11-02", `m${i}`, 1, 1, 1));
      server.reset({ [LIST]: fx.ok(rows) });
      expect(await failure()).toMatchObject({
        kind: "unexpectedPayload",
        message: expect.stringMatching(/more than a month/),
      });
    });

    it("a deeply nested answer fails as a value, without throwing", async () => {
      const depth = 100_000;
      const body = `{"code":0,"data":${"[".repeat(depth)}${"]".repeat(depth)}}`;
      server.reset({ [LIST]: { body, headers: { "Content-Type": "application/json" } } });
      const result = await run();
      expect(result.ok).toBe(false);
    });

    it("a body that is not JSON is reported as such", async () => {
      server.reset({ [LIST]: { body: '{"code":0,"data":[', headers: { "Content-Type": "application/json" } } });
      expect(await failure()).toMatchObject({ kind: "unexpectedPayload" });
    });
  });
});
