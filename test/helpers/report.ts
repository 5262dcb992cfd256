import { promises as fs } from "node:fs";
import path from "node:path";
import type { PlatformResult, PlatformSnapshot, UsageReport } from "../../src/core/chain/report-schema";
import { loadUsageReport, type SourceOptions } from "../../src/core/chain/report";
import type { AccountListResult } from "../../src/core/platform/account-request";
import type { Snapshot, WeekStart } from "../../src/core/views/schema";
import type { PlanSetting } from "../../src/core/platform/plan-setting";
import { assistant, configFor, tempDir, writeTranscript, type AssistantOptions } from "./transcripts";

/**
 * The one way tests get a UsageReport: transcript corpora (plain data) written to a temp dir, then the real
 * source chain (`loadUsageReport`) over them, with the same options for the first build and every rescan.
 */

/** One message of a corpus session; its session id and working folder come from the session. */
export type CorpusLine = Omit<AssistantOptions, "session" | "cwd">;

/** One transcript: `<root>/projects/<cwd with / as ->/<id>.jsonl`, an optional summary line, then its messages. */
export interface CorpusSession {
  id: string;
  cwd: string;
  summary?: string;
  lines: CorpusLine[];
}

/** Writes every session of a corpus under `<root>/projects`; messages without ids get `<session>-<n>`. */
export async function writeCorpus(root: string, sessions: readonly CorpusSession[]): Promise<void> {
  for (const session of sessions) {
    const lines = session.lines.map((line, i) =>
      assistant({
        id: `${session.id}-${i + 1}`,
        req: `${session.id}-r${i + 1}`,
        ...line,
        session: session.id,
        cwd: session.cwd,
      }),
    );
    const summary = session.summary
      ? [JSON.stringify({ type: "summary", summary: session.summary, leafUuid: "x" })]
      : [];
    await writeTranscript(root, `${session.id}.jsonl`, [...summary, ...lines], {
      project: session.cwd.replace(/\//g, "-"),
    });
  }
}

export const REPORT_NOW = new Date("2026-11-25T12:00:00Z");

/**
 * The default corpus, seen from REPORT_NOW: "a1" in webapp today (1,000,000 in, 200,000 out, 30,000 read and 4,000
 * write, then 5,000 in and 1,000 out), "b2" in cli yesterday (40,000 in on mimo-v2.5), "c3" in old on 11-10 (7,000 in).
 */
export const REPORT_CORPUS: readonly CorpusSession[] = [
  {
    id: "a1",
    cwd: "/Users/me/work/webapp",
    summary: "Fix the login flow",
    lines: [
      { ts: "2026-11-25T09:00:00Z", input: 1_000_000, output: 200_000, cacheRead: 30_000, cacheWrite: 4_000 },
      { ts: "2026-11-25T10:30:00Z", input: 5_000, output: 1_000 },
    ],
  },
  { id: "b2", cwd: "/Users/me/work/cli", lines: [{ ts: "2026-11-24T08:00:00Z", input: 40_000, model: "mimo-v2.5" }] },
  { id: "c3", cwd: "/Users/me/work/old", lines: [{ ts: "2026-11-10T08:00:00Z", input: 7_000 }] },
];

/** REPORT_CORPUS's tokens seen from REPORT_NOW (UTC, Monday weeks), added up by hand from the table above. */
export const REPORT_TOKENS = { today: 1_240_000, week: 1_280_000, lifetime: 1_287_000 } as const;

/** A platform answer two minutes before REPORT_NOW: 62% of a 10B monthly quota, resetting on 2026-12-10. */
export const PLATFORM: PlatformSnapshot = {
  fetchedAt: "2026-11-25T11:58:00.000Z",
  balance: { amount: 12.34, currency: "CNY", cash: 10, gift: 2.34 },
  plan: { code: "token_plan_pro", periodEnd: "2026-12-10T00:00:00.000Z", expired: false },
  planError: null,
  quota: {
    primary: { name: "month_total_token", used: 6_200_000_000, limit: 10_000_000_000, fraction: 0.62 },
    items: [{ name: "month_total_token", used: 6_200_000_000, limit: 10_000_000_000, fraction: 0.62 }],
  },
  quotaError: null,
};

export interface ChainOptions {
  now?: Date;
  timeZone?: string;
  weekStart?: WeekStart;
  modelFilter?: string;
  /** What the platform answers; null: no cookie is set, so the platform is never asked. */
  platform?: PlatformResult | null;
  /** The plan named in preferences. */
  planSetting?: PlanSetting | null;
  /** What the account's daily list answers when the platform is asked; by default no month has rows. */
  accountList?: AccountListResult;
}

const NO_COOKIE: PlatformResult = { ok: false, error: { kind: "noCookie", message: "No platform cookie is set." } };

/**
 * The source options over a fixture folder: transcripts in `<dir>/mimo`, scan state and support files in
 * `<dir>/support`, a five-minute refresh interval. Unset options: REPORT_NOW, UTC, Monday weeks, "mimo", no cookie.
 */
export function chainOptions(dir: string, options: ChainOptions = {}): SourceOptions {
  const now = options.now ?? REPORT_NOW;
  const platform = options.platform ?? null;
  const support = path.join(dir, "support");
  return {
    engine: configFor([path.join(dir, "mimo")], {
      statePath: path.join(support, "state.bin"),
      timeZone: options.timeZone ?? "UTC",
      weekStart: options.weekStart ?? "monday",
      modelFilter: options.modelFilter ?? "mimo",
      now: () => now,
    }),
    supportPath: support,
    cookie: platform ? "api-platform_serviceToken=t; userId=1; api-platform_ph=p" : "",
    refreshIntervalMs: 5 * 60 * 1000,
    now: () => now,
    platform: async () => platform ?? NO_COOKIE,
    planSetting: options.planSetting ?? null,
    accountList: async () => options.accountList ?? { ok: true, answers: [] },
  };
}

/** A corpus written to a temp dir, with the chain options its rescans start from. */
export interface CorpusFixture {
  dir: string;
  /** The Claude config folder holding the transcripts (`<dir>/mimo`). */
  root: string;
  defaults: ChainOptions;
  cleanup: () => Promise<void>;
}

export interface ReportFixture extends CorpusFixture {
  /** The first build, with the fixture's defaults. */
  report: UsageReport;
}

export async function corpusFixture(
  sessions: readonly CorpusSession[],
  defaults: ChainOptions = {},
): Promise<CorpusFixture> {
  const dir = await tempDir("mimo-report-");
  const root = path.join(dir, "mimo");
  // An empty corpus writes nothing: the config folder is missing, as on a Mac that never ran Claude Code.
  await writeCorpus(root, sessions);
  return { dir, root, defaults, cleanup: () => fs.rm(dir, { recursive: true, force: true }) };
}

/**
 * Runs the real source chain again over a fixture's folders (same transcripts, scan state and support folder), e.g.
 * after changing a transcript, later, or with a broken model filter (so the cached snapshot stands in). Options not
 * given are the fixture's defaults.
 */
export function rescan(fixture: CorpusFixture, options: ChainOptions = {}): Promise<UsageReport> {
  const given = Object.fromEntries(Object.entries(options).filter(([, value]) => value !== undefined));
  return loadUsageReport(chainOptions(fixture.dir, { ...fixture.defaults, ...given }));
}

/**
 * A report from the real chain over a corpus (REPORT_CORPUS unless told), by default at REPORT_NOW with the platform
 * answering PLATFORM; `platform: null` leaves the cookie unset.
 */
export async function makeReport(
  options: ChainOptions & { corpus?: readonly CorpusSession[] } = {},
): Promise<ReportFixture> {
  const { corpus = REPORT_CORPUS, ...chain } = options;
  const defaults: ChainOptions = {
    now: REPORT_NOW,
    ...chain,
    platform: chain.platform === undefined ? { ok: true, value: PLATFORM } : chain.platform,
  };
  const fixture = await corpusFixture(corpus, defaults);
  return { ...fixture, report: await rescan(fixture) };
}

/** One session ("use" unless told) with one message per entry: its instant and its input tokens. */
export function messagesAt(messages: Record<string, number>, id = "use"): CorpusSession[] {
  return [{ id, cwd: "/work/app", lines: Object.entries(messages).map(([ts, input]) => ({ ts, input })) }];
}

/** A report's local snapshot, which a scan that worked always has. */
export function localSnapshot(report: UsageReport): Snapshot {
  if (!report.local) throw new Error(`expected a local snapshot, got: ${JSON.stringify(report.localError)}`);
  return report.local.snapshot;
}

/**
 * The snapshot the real chain makes of `messagesAt(messages)` in a new fixture, for code that reads snapshots
 * (calibration, the estimate). The caller cleans the fixture up.
 */
export async function scanMessages(
  messages: Record<string, number>,
  options: ChainOptions = {},
): Promise<{ snapshot: Snapshot; fixture: CorpusFixture }> {
  const fixture = await corpusFixture(messagesAt(messages), options);
  return { snapshot: localSnapshot(await rescan(fixture)), fixture };
}
