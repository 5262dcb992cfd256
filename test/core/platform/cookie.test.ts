import { normalizeCookie, parseCookiePairs, shellWords } from "../../../src/core/platform/cookie";

const TOKEN = "V1:tok/Ab+c9==";
const USER = "88001234";
const FULL = `api-platform_serviceToken=${TOKEN}; userId=${USER}; api-platform_ph=ph%3Dxyz; api-platform_slh=slh_42`;
const EXPECTED = FULL;
const BROWSER_COOKIES = `_ga=GA1.1.5551; Hm_lvt_abc=1732500000; ${FULL}; locale=zh-CN; _ga_XYZ=GS1.1.1732`;

function header(raw: string): string {
  const result = normalizeCookie(raw);
  if (!result.ok) throw new Error(`expected a header, got ${result.error.kind}: ${result.error.message}`);
  return result.header;
}

function failure(raw: string) {
  const result = normalizeCookie(raw);
  if (result.ok) throw new Error(`expected a failure, got ${result.header}`);
  return result.error;
}

describe("normalizeCookie: what people paste", () => {
  it("keeps a bare header with only the MiMo cookies", () => expect(header(FULL)).toBe(EXPECTED));

  it.each(["Cookie: ", "cookie:", "COOKIE:  "])("strips a %j prefix", (prefix) =>
    expect(header(`${prefix}${BROWSER_COOKIES}`)).toBe(EXPECTED),
  );

  it("drops unrelated browser cookies and puts the rest in a stable order", () => {
    const shuffled = `locale=en; api-platform_slh=slh_42; userId=${USER}; theme=dark; api-platform_ph=ph%3Dxyz; api-platform_serviceToken=${TOKEN}`;
    expect(header(shuffled)).toBe(EXPECTED);
  });

  it("works without the optional cookies", () =>
    expect(header(`userId=${USER};api-platform_serviceToken=${TOKEN}`)).toBe(
      `api-platform_serviceToken=${TOKEN}; userId=${USER}`,
    ));

  it("keeps the first of repeated names (the browser lists the most specific path first)", () =>
    expect(header(`userId=1; api-platform_serviceToken=a; userId=2`)).toBe("api-platform_serviceToken=a; userId=1"));

  it("tolerates a header wrapped in quotes and spread over lines", () =>
    expect(header(`"api-platform_serviceToken=${TOKEN};\n userId=${USER}"`)).toBe(
      `api-platform_serviceToken=${TOKEN}; userId=${USER}`,
    ));

  it("reads a raw request-header block", () => {
    const block = [
      "GET /api/v1/balance HTTP/1.1",
      "Host: platform.xiaomimimo.com",
      "Accept: application/json, text/plain, */*",
      `Cookie: ${BROWSER_COOKIES}`,
      "Referer: https://platform.xiaomimimo.com/",
    ].join("\r\n");
    expect(header(block)).toBe(EXPECTED);
  });

  it("reads DevTools' name-then-value layout", () => expect(header(`cookie\n${BROWSER_COOKIES}`)).toBe(EXPECTED));
});

describe("normalizeCookie: Copy as cURL", () => {
  it("Chrome (bash) with -H 'cookie: …'", () => {
    const curl = [
      `curl 'https://platform.xiaomimimo.com/api/v1/balance' \\`,
      `  -H 'accept: application/json, text/plain, */*' \\`,
      `  -H 'accept-language: zh-CN,zh;q=0.9,en;q=0.8' \\`,
      `  -H 'cookie: ${BROWSER_COOKIES}' \\`,
      `  -H 'referer: https://platform.xiaomimimo.com/' \\`,
      `  -H 'user-agent: Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 Chrome/131.0.0.0 Safari/537.36'`,
    ].join("\n");
    expect(header(curl)).toBe(EXPECTED);
  });

  it("Chrome (bash) with -b, as newer versions copy it", () => {
    const curl = `curl 'https://platform.xiaomimimo.com/api/v1/balance' \\\r\n  -H 'accept: application/json' \\\r\n  -b '${BROWSER_COOKIES}' \\\r\n  -H 'priority: u=1, i'`;
    expect(header(curl)).toBe(EXPECTED);
  });

  it("Chrome (cmd) with ^ escapes and continuations", () => {
    const escaped = BROWSER_COOKIES.replace(/%/g, "^%^");
    const curl = [
      `curl ^"https://platform.xiaomimimo.com/api/v1/balance^" ^`,
      `  -H ^"accept: application/json^" ^`,
      `  -b ^"${escaped}^" ^`,
      `  -H ^"referer: https://platform.xiaomimimo.com/^"`,
    ].join("\n");
    expect(header(curl)).toBe(EXPECTED);
  });

  it("Firefox with -H 'Cookie: …' on one line", () => {
    const curl = `curl 'https://platform.xiaomimimo.com/api/v1/balance' --compressed -H 'User-Agent: Mozilla/5.0 (Macintosh; Intel Mac OS X 10.15; rv:133.0) Gecko/20100101 Firefox/133.0' -H 'Accept: application/json' -H 'Cookie: ${BROWSER_COOKIES}' -H 'Sec-Fetch-Mode: cors'`;
    expect(header(curl)).toBe(EXPECTED);
  });

  it("Firefox with -b", () => {
    const curl = `curl 'https://platform.xiaomimimo.com/api/v1/balance' --compressed -H 'Accept: application/json' -b '${BROWSER_COOKIES}'`;
    expect(header(curl)).toBe(EXPECTED);
  });

  it("Safari with -X and double quotes", () => {
    const curl = [
      `curl "https://platform.xiaomimimo.com/api/v1/balance" \\`,
      `-X "GET" \\`,
      `-H "Accept: application/json" \\`,
      `-H "Cookie: ${BROWSER_COOKIES}" \\`,
      `-H "Origin: https://platform.xiaomimimo.com"`,
    ].join("\n");
    expect(header(curl)).toBe(EXPECTED);
  });

  it.each([
    ["--header 'cookie: …'", `curl https://x --header 'cookie: ${FULL}'`],
    ["--header=…", `curl https://x "--header=Cookie: ${FULL}"`],
    ["--cookie '…'", `curl https://x --cookie '${FULL}'`],
    ["-H'…' glued", `curl https://x -H'Cookie: ${FULL}'`],
    ["$'…' strings", `curl $'https://x' -H $'cookie: note=caf\\u00e9\\x21; ${FULL}'`],
    ["only the -H part", `-H 'Cookie: ${FULL}'`],
  ])("%s", (_name, curl) => expect(header(curl)).toBe(EXPECTED));

  it("joins cookies spread over several -H and -b options", () =>
    expect(header(`curl https://x -b 'userId=${USER}' -H 'Cookie: api-platform_serviceToken=${TOKEN}'`)).toBe(
      `api-platform_serviceToken=${TOKEN}; userId=${USER}`,
    ));

  it("does not take a cookie-jar file name or other headers for cookies", () => {
    const error = failure(`curl https://x -b cookies.txt -H 'X-Note: userId=1; api-platform_serviceToken=2'`);
    expect(error.kind).toBe("invalidCookie");
    expect(error.message).toMatch(/no Cookie header/);
  });
});

describe("normalizeCookie: failures", () => {
  it.each(["", "   ", "\n\t"])("empty input %j is noCookie", (raw) => expect(failure(raw).kind).toBe("noCookie"));

  it("names a missing userId without quoting any value", () => {
    const error = failure(`Cookie: _ga=GA1; api-platform_serviceToken=${TOKEN}; api-platform_ph=ph%3Dxyz`);
    expect(error).toEqual({ kind: "invalidCookie", message: expect.stringContaining("userId") });
    expect(error.message).not.toContain("api-platform_serviceToken");
    expect(error.message).not.toContain(TOKEN);
    expect(error.message).not.toContain("GA1");
  });

  it("names both missing cookies", () => {
    const error = failure("_ga=GA1; theme=dark");
    expect(error.kind).toBe("invalidCookie");
    expect(error.message).toContain("api-platform_serviceToken and userId");
  });

  it("treats an empty value as missing", () =>
    expect(failure(`api-platform_serviceToken=; userId=${USER}`).message).toContain("api-platform_serviceToken"));

  it("refuses values a header cannot carry, naming the cookie only", () => {
    const error = failure(`api-platform_serviceToken=abc\u0001def; userId=${USER}`);
    expect(error.kind).toBe("invalidCookie");
    expect(error.message).toContain("api-platform_serviceToken");
    expect(error.message).not.toContain("abc");
  });

  it("says so when a header block has no Cookie line", () =>
    expect(failure("Host: platform.xiaomimimo.com\nAccept: application/json").kind).toBe("invalidCookie"));

  it("treats plain prose as a cookie missing everything", () =>
    expect(failure("I could not find it").message).toContain("api-platform_serviceToken and userId"));
});

describe("helpers", () => {
  it("splits shell words with every quoting style", () =>
    expect(shellWords(`a 'b c' "d \\"e\\"" $'f\\tg' h\\ i j"k"'l'`)).toEqual([
      "a",
      "b c",
      'd "e"',
      "f\tg",
      "h i",
      "jkl",
    ]));

  it("parses pairs, keeping '=' inside values and skipping junk", () =>
    expect(parseCookiePairs("a=b=c; ;=x; bad name=1; d=")).toEqual([
      { name: "a", value: "b=c" },
      { name: "d", value: "" },
    ]));
});
