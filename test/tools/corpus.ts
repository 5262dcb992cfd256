import type { PlatformSnapshot } from "../../src/core/chain/report-schema";
import type { CorpusSession } from "../helpers/report";
import { assistant } from "../helpers/transcripts";

/**
 * A corpus laid out around calendar edges, read through the real source chain. In UTC, with "now"
 * on Sunday 2026-11-29 at noon:
 *
 * | session    | project  | when (UTC)                         | tokens                                  | model         |
 * | ---------- | -------- | ---------------------------------- | --------------------------------------- | ------------- |
 * | s-oct      | alpha    | Sat 10-31 10:00                    | 100 in                                  | pro           |
 * | s-nov1     | alpha    | Sun 11-01 03:00                    | 200 in, 10 out                          | pro           |
 * | s-sun      | beta     | Sun 11-22 10:00                    | 1,000 in                                | pro           |
 * | s-mon      | beta     | Mon 11-23 10:00                    | 2,000 in, 100 out                       | pro           |
 * | s-night    | gamma    | Fri 11-27 23:30 and Sat 11-28 00:30 | 4,000 in; then 500 out + 10,000 read   | pro           |
 * | s-unpriced | gamma    | Sat 11-28 15:00                    | 16,000 in                               | mimo-v2-flash |
 * | s-late     | beta     | Sat 11-28 17:00                    | 32,000 in                               | pro           |
 * | s-today    | alpha    | Sun 11-29 09:00                    | 8,000 in, 300 write                     | mimo-v2.5     |
 *
 * Costs (CNY per million: pro 3 in / 6 out / 0.025 read / 3 write; v2.5 1 / 2 / 0.02 / 1; flash has no
 * price): s-oct 0.0003, s-nov1 0.00066, s-sun 0.003, s-mon 0.0066, s-night 0.012 + 0.00325, s-late
 * 0.096, s-today 0.0083. In Shanghai (UTC+8) s-late falls on Sunday and both parts of s-night on
 * Saturday; in Los Angeles (UTC−7 until 11-01 02:00, then −8) s-nov1 falls in October and s-night on
 * Friday.
 */

export const NOW = new Date("2026-11-29T12:00:00Z");

/** A platform answer a minute before NOW: 62% of a 10B monthly quota, resetting on 2026-12-10. */
export const PLATFORM: PlatformSnapshot = {
  fetchedAt: "2026-11-29T11:59:00.000Z",
  balance: { amount: 12.34, currency: "CNY", cash: 10, gift: 2.34 },
  plan: { code: "token_plan_pro", periodEnd: "2026-12-10T00:00:00.000Z", expired: false },
  planError: null,
  quota: {
    primary: { name: "month_total_token", used: 6_200_000_000, limit: 10_000_000_000, fraction: 0.62 },
    items: [
      { name: "month_total_token", used: 6_200_000_000, limit: 10_000_000_000, fraction: 0.62 },
      { name: "compensation_total_token", used: 0, limit: 500_000, fraction: 0 },
    ],
  },
  quotaError: null,
};

export const PROJECTS = { alpha: "/Users/me/alpha", beta: "/Users/me/beta", gamma: "/Users/me/gamma" } as const;

/** Read with `corpusFixture(SESSIONS, { now: NOW })` (no cookie unless a load says otherwise). */
export const SESSIONS: readonly CorpusSession[] = [
  { id: "s-oct", cwd: PROJECTS.alpha, lines: [{ ts: "2026-10-31T10:00:00Z", input: 100 }] },
  { id: "s-nov1", cwd: PROJECTS.alpha, lines: [{ ts: "2026-11-01T03:00:00Z", input: 200, output: 10 }] },
  { id: "s-sun", cwd: PROJECTS.beta, lines: [{ ts: "2026-11-22T10:00:00Z", input: 1_000 }] },
  { id: "s-mon", cwd: PROJECTS.beta, lines: [{ ts: "2026-11-23T10:00:00Z", input: 2_000, output: 100 }] },
  {
    id: "s-night",
    cwd: PROJECTS.gamma,
    summary: "Night migration",
    lines: [
      { ts: "2026-11-27T23:30:00Z", input: 4_000 },
      { ts: "2026-11-28T00:30:00Z", output: 500, cacheRead: 10_000 },
    ],
  },
  {
    id: "s-unpriced",
    cwd: PROJECTS.gamma,
    lines: [{ ts: "2026-11-28T15:00:00Z", input: 16_000, model: "mimo-v2-flash" }],
  },
  { id: "s-late", cwd: PROJECTS.beta, lines: [{ ts: "2026-11-28T17:00:00Z", input: 32_000 }] },
  {
    id: "s-today",
    cwd: PROJECTS.alpha,
    lines: [{ ts: "2026-11-29T09:00:00Z", input: 8_000, cacheWrite: 300, model: "mimo-v2.5" }],
  },
];

/** `count` messages of `input` tokens each, 15 minutes apart from `start`, all in session `id`. */
export function longSession(id: string, start: string, count: number, input: number): string[] {
  return Array.from({ length: count }, (_, i) =>
    assistant({
      id: `${id}-${i}`,
      req: `${id}-r${i}`,
      session: id,
      ts: new Date(Date.parse(start) + i * 15 * 60_000).toISOString(),
      input,
      cwd: "/Users/me/long",
    }),
  );
}
