import { normalizeCookie, parseCookiePairs } from "./cookie";
import { requestPlatform, type Endpoint, type FetchPlatformOptions } from "./client";
import { monthKey, readAccountMonth, type MonthAnswer, type YearMonth } from "./account-days";
import type { Outcome, PlatformError } from "./schema";

/**
 * The account's daily usage list, one month per call, as the console's usage page asks for it:
 *
 *   POST /api/v1/usage/token-plan/list?api-platform_ph=<that cookie's value, URL-encoded>
 *   body {"year": 2026, "month": 11}, the console's cookies and headers, x-timeZone the user's zone
 *   → {"code": 0, "data": [{"date", "model", "totalToken", "inputHitToken", "inputMissToken",
 *      "outputToken", "requestCount", "inputAudioDuration"}, …]}, one row per day and model.
 *
 * Verified against public clients of the console (October 2026): a userscript on the console and a
 * Cloudflare worker proxy both POST {year, month} to this path with `?api-platform_ph=` +
 * encodeURIComponent(cookie value); a Rust dashboard does the same per month of the plan period and
 * reads inputHitToken / inputMissToken / outputToken per row with mimo-v2.5-pro at 2.5 / 300 / 600
 * and mimo-v2.5 at 2 / 100 / 200 Credits; a Python proxy normalises the same eight row fields
 * (date, model, totalToken, inputHitToken, inputMissToken, outputToken, requestCount,
 * inputAudioDuration); a Python client posting {"year"} alone gets month-level rows, which is why
 * those are ignored here. CodexBar's MiMo provider (steipete/CodexBar,
 * Sources/CodexBarCore/Providers/MiMo/MiMoUsageFetcher.swift) does not call the list; it sends the
 * same cookie set (api-platform_ph optional, MiMoCookieImporter.swift) and an x-timeZone header, and
 * zensoku142/TokenMeter (api/providers/mimo.py) sends x-timezone as an IANA name (Asia/Shanghai), as
 * this client does. The list's dates follow that zone, so asking in the user's zone lines its days
 * up with the local ones.
 */

export const ACCOUNT_LIST_PATH = "usage/token-plan/list";
export const PH_COOKIE = "api-platform_ph";

export type AccountListResult = { ok: true; answers: MonthAnswer[] } | { ok: false; error: PlatformError };

/** What happened when the cookie has no api-platform_ph; what to do is the kind's (chain/failures.ts). */
export const NO_PH_COOKIE: PlatformError = {
  kind: "accountNoPh",
  message: "The MiMo cookie has no api-platform_ph, which the platform's daily usage list needs.",
};

/**
 * Every month asked for, or the first failure: a list missing one month would read as a month
 * without use. No call is made without the api-platform_ph cookie. Never throws.
 */
export async function fetchAccountMonths(
  options: FetchPlatformOptions,
  months: YearMonth[],
): Promise<AccountListResult> {
  const now = options.now ?? (() => new Date());
  const answers = await Promise.all(months.map((month) => fetchMonth(options, month, now)));
  for (const answer of answers) if (!answer.ok) return answer;
  return { ok: true, answers: answers.flatMap((answer) => (answer.ok ? [answer.value] : [])) };
}

async function fetchMonth(
  options: FetchPlatformOptions,
  month: YearMonth,
  now: () => Date,
): Promise<Outcome<MonthAnswer>> {
  const data = await requestPlatform(options, (cookieHeader): Outcome<Endpoint> => {
    const ph = cookieValue(cookieHeader, PH_COOKIE);
    if (ph === null) return { ok: false, error: NO_PH_COOKIE };
    return {
      ok: true,
      value: {
        path: ACCOUNT_LIST_PATH,
        label: `the daily usage list of ${monthKey(month)}`,
        query: `?${PH_COOKIE}=${encodeURIComponent(ph)}`,
        body: { year: month.year, month: month.month },
      },
    };
  });
  if (!data.ok) return data;
  const read = readAccountMonth(data.value, month);
  return read.ok ? { ok: true, value: { month, asOf: now().toISOString(), rows: read.rows } } : read;
}

function cookieValue(header: string, name: string): string | null {
  return parseCookiePairs(header).find((pair) => pair.name === name)?.value || null;
}

/** Whether the list could be asked with this cookie, decided offline (nothing is sent). */
export function hasPhCookie(cookie: string): boolean {
  const normalized = normalizeCookie(cookie);
  return normalized.ok && cookieValue(normalized.header, PH_COOKIE) !== null;
}
