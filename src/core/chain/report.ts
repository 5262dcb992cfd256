import { promises as fs } from "node:fs";
import type { PlanSetting } from "../platform/plan-setting";
import path from "node:path";
import { LAST_PLATFORM_FILE, LAST_SNAPSHOT_FILE } from "../settings";
import { refreshUsage, type EngineConfig, type EngineResult } from "./local";
import { writeCodexBarExport } from "../export";
import { formatRelative } from "../format";
import { fetchPlatform } from "../platform/client";
import { NO_COOKIE } from "../platform/cookie";
import {
  addSample,
  CREDIT_HISTORY_FILE,
  readCreditHistory,
  rootsFingerprint,
  writeCreditHistory,
  type CreditSample,
} from "../platform/credit-history";
import { burnRate, localUseSince, periodStartOf } from "../platform/local-since";
import { otherClientsRead } from "../views/client-split";
import { problemOf } from "./failures";
import {
  PlatformSnapshotSchema,
  type LocalFailure,
  type LocalSection,
  type PlanCredits,
  type PlanSection,
  type PlatformError,
  type PlatformResult,
  type PlatformSnapshot,
  type Problem,
  type Source,
  type UsageReport,
} from "./report-schema";
import { SnapshotSchema, type Snapshot } from "../views/schema";
import { accountPart, askAccount, type AccountOptions } from "./account";
import { errnoCode, writeAtomically } from "../io";
import { configFolderList, noConfigFolder } from "../views/roots";
import { devicesProblems, loadDevicesSection, type DevicesConfig } from "../devices/section";

/**
 * The source chain: one call produces everything the menu bar, the list and the AI tools show. Two
 * chains run side by side. Local: the scan, else the last good snapshot. Plan: the platform, else an
 * estimate from its last answer and local use since, else that last answer as it was. Every section
 * carries its own time. Nothing here throws.
 */

export const CACHE_STALE_MS = 12 * 60 * 60 * 1000;

/**
 * The one staleness rule: fresh data is stale after two missed refreshes; a cache or an estimate
 * (whose time is the platform's last answer) is expected to be older and is stale after 12 hours.
 */
export function staleAtFor(source: Source, updatedAt: string, refreshIntervalMs: number): string {
  const limit = source === "local" || source === "platform" ? 2 * refreshIntervalMs : CACHE_STALE_MS;
  return new Date(Date.parse(updatedAt) + limit).toISOString();
}

/** Whether a section is stale at `now`: the menu bar renders a cached report later, with its own clock. */
export function isStale(section: { staleAt: string }, now: Date): boolean {
  return now.getTime() > Date.parse(section.staleAt);
}

export interface SourceOptions extends AccountOptions {
  engine: EngineConfig;
  /** Where the last good snapshot, the platform's last answer and the credit history are kept. */
  supportPath: string;
  cookie?: string;
  /** How often the menu bar refreshes: local data older than twice this is stale. */
  refreshIntervalMs: number;
  /** Write CodexBar's local cache here after a successful scan. */
  codexBarExport?: string | null;
  env?: Record<string, string | undefined>;
  now?: () => Date;
  platform?: (cookie: string) => Promise<PlatformResult>;
  /** The plan named in preferences, for when the platform has never answered. */
  planSetting?: PlanSetting | null;
  /** Why the plan preferences could not be read, when they could not. */
  planSettingProblem?: string | null;
  /** Other devices through a sync folder (devices/); absent or null when none is set. */
  devices?: DevicesConfig | null;
}

export async function loadUsageReport(options: SourceOptions): Promise<UsageReport> {
  const now = options.now ?? (() => new Date());
  const problems: Problem[] = [];
  try {
    const [local, answer, listed] = await Promise.all([
      localSection(options, now, problems),
      askPlatform(options, now),
      askAccount(options, now),
    ]);
    const [plan, devices] = await Promise.all([
      planSection(options, answer, local.section, now()),
      options.devices ? loadDevicesSection(options.devices, devicesLocal(local.section), now()) : null,
    ]);
    const planError = answer.ok ? null : answer.error;
    problems.push(...planProblems(planError, plan, now()));
    if (options.planSettingProblem) problems.push(problemOf("invalidPlanSetting", options.planSettingProblem));
    const account = await accountPart(options, listed, plan, planError, now());
    problems.push(...account.problems);
    if (devices) problems.push(...devicesProblems(devices));
    return {
      generatedAt: now().toISOString(),
      local: local.section,
      localError: local.error,
      plan,
      planError,
      planSetting: options.planSetting ?? null,
      account: account.section,
      accountError: account.error,
      ...(devices ? { devices } : {}),
      problems,
    };
  } catch (error) {
    // Only a programming error reaches here; the menu still gets a report it can show.
    const failure: LocalFailure = { kind: "unexpected", message: errnoCode(error) };
    return {
      generatedAt: now().toISOString(),
      local: null,
      localError: failure,
      plan: null,
      planError: null,
      planSetting: options.planSetting ?? null,
      problems: [problemOf("unexpected", failure.message)],
    };
  }
}

// ---------------------------------------------------------------------------------------------
// Local chain

async function localSection(
  options: SourceOptions,
  now: () => Date,
  problems: Problem[],
): Promise<{ section: LocalSection | null; error: LocalFailure | null }> {
  const cacheFile = path.join(options.supportPath, LAST_SNAPSHOT_FILE);
  const result = await refreshUsage({ ...options.engine, now });
  if (result.ok) {
    const snapshot = result.snapshot;
    problems.push(...snapshotProblems(snapshot));
    await saveJson(cacheFile, snapshot).catch((error) => problems.push(problemOf("cacheNotSaved", errnoCode(error))));
    if (options.codexBarExport) {
      await writeCodexBarExport(options.codexBarExport, snapshot).catch((error) =>
        problems.push(problemOf("exportFailed", errnoCode(error))),
      );
    }
    const staleAt = staleAtFor("local", snapshot.updatedAt, options.refreshIntervalMs);
    return { section: { source: "local", updatedAt: snapshot.updatedAt, staleAt, snapshot }, error: null };
  }

  const error = localFailure(result, options.engine.modelFilter);
  const cached = await readJson(cacheFile, (value) => SnapshotSchema.safeParse(value));
  if (!cached) {
    problems.push(problemOf(error.kind, error.message));
    return { section: null, error };
  }
  problems.push(
    problemOf(error.kind, `${error.message} Showing the figures cached ${formatRelative(cached.updatedAt, now())}.`),
  );
  const staleAt = staleAtFor("cache", cached.updatedAt, options.refreshIntervalMs);
  return { section: { source: "cache", updatedAt: cached.updatedAt, staleAt, snapshot: cached }, error };
}

/** Only a scan of this refresh is published; a cached snapshot is shown but not sent again. */
function devicesLocal(section: LocalSection | null): { snapshot: Snapshot; fresh: boolean } | null {
  return section && { snapshot: section.snapshot, fresh: section.source === "local" };
}

/** The engine says what failed in words; the kind decides what the menu offers. */
function localFailure(result: Extract<EngineResult, { ok: false }>, modelFilter: string): LocalFailure {
  return { kind: isValidPattern(modelFilter) ? "scanFailed" : "invalidModelFilter", message: result.error };
}

function isValidPattern(pattern: string): boolean {
  try {
    new RegExp(pattern || "mimo", "i");
    return true;
  } catch {
    return false;
  }
}

function snapshotProblems(snapshot: Snapshot): Problem[] {
  const problems = snapshot.warnings.map((warning) => problemOf("scanWarning", undefined, warning));
  if (noConfigFolder(snapshot)) {
    problems.push(problemOf("noConfigFolder", `Looked for projects/ in ${configFolderList(snapshot)}.`));
  }
  return problems;
}

// ---------------------------------------------------------------------------------------------
// Plan chain

async function askPlatform(options: SourceOptions, now: () => Date): Promise<PlatformResult> {
  const cookie = options.cookie?.trim() ?? "";
  if (!cookie) return { ok: false, error: NO_COOKIE };
  const fetcher =
    options.platform ??
    ((c: string) => fetchPlatform({ cookie: c, env: options.env, now, timeZone: options.engine.timeZone }));
  return fetcher(cookie);
}

async function planSection(
  options: SourceOptions,
  answer: PlatformResult,
  local: LocalSection | null,
  now: Date,
): Promise<PlanSection | null> {
  // No cookie is a choice: nothing is read or estimated until one is set.
  if (!answer.ok && answer.error.kind === "noCookie") return null;
  const cacheFile = path.join(options.supportPath, LAST_PLATFORM_FILE);
  const historyFile = path.join(options.supportPath, CREDIT_HISTORY_FILE);
  const history = await readCreditHistory(historyFile);
  if (answer.ok) {
    // The platform answer holds balances and quotas only; the cookie is never part of it.
    await saveJson(cacheFile, answer.value).catch(() => undefined);
    const samples = await recordAnswer(historyFile, history, answer.value, local, now);
    // Only usage that failed to load is estimated; an account that answers without a plan has none.
    const hasPlan = answer.value.quota?.primary != null || answer.value.quotaError !== null;
    return {
      source: "platform",
      updatedAt: answer.value.fetchedAt,
      staleAt: staleAtFor("platform", answer.value.fetchedAt, options.refreshIntervalMs),
      data: answer.value,
      credits: hasPlan ? creditsOf(samples, now) : null,
    };
  }
  const cached = await readJson(cacheFile, (value) => PlatformSnapshotSchema.safeParse(value));
  if (!cached) return null;
  const credits = creditsOf(history, now);
  const source = credits ? "estimate" : "cache";
  return {
    source,
    updatedAt: cached.fetchedAt,
    staleAt: staleAtFor(source, cached.fetchedAt, options.refreshIntervalMs),
    data: cached,
    credits,
  };
}

/** Keeps the answer as a credit sample; a history that cannot be written only loses precision. */
async function recordAnswer(
  file: string,
  history: CreditSample[],
  answer: PlatformSnapshot,
  local: LocalSection | null,
  now: Date,
): Promise<CreditSample[]> {
  const quota = answer.quota?.primary;
  if (!quota) return history;
  const periodEnd = answer.plan?.periodEnd ?? null;
  // Only a scan of this refresh counts the tokens at the moment of the answer; a cached one is older.
  const fresh = local?.source === "local" ? local.snapshot : null;
  const sample: CreditSample = {
    at: answer.fetchedAt,
    used: quota.used,
    limit: quota.limit,
    periodEnd,
    localTokens: fresh ? fresh.lifetime.total : null,
    roots: fresh ? rootsFingerprint(fresh.roots, otherClientsRead(fresh)) : null,
    localCredits: fresh ? fresh.lifetime.credits : null,
    localUncredited: fresh ? fresh.lifetime.uncreditedTokens : null,
    periodLocalCredits: fresh && periodEnd ? localUseSince(fresh, periodStartOf(periodEnd)).credits : null,
  };
  const samples = addSample(history, sample, now);
  await writeCreditHistory(file, samples).catch(() => undefined);
  return samples;
}

function creditsOf(samples: CreditSample[], now: Date): PlanCredits | null {
  const lastAnswer = samples.at(-1);
  if (!lastAnswer) return null;
  return { lastAnswer, creditsPerDay: burnRate(samples, now) };
}

function planProblems(error: PlatformError | null, section: PlanSection | null, now: Date): Problem[] {
  // No cookie is a choice, not a failure: the menu offers to connect instead of warning.
  if (!error || error.kind === "noCookie") return [];
  const shown = !section
    ? ""
    : section.source === "estimate"
      ? ` The plan is estimated from the answer of ${formatRelative(section.updatedAt, now)} and local use since.`
      : ` Showing the plan as of ${formatRelative(section.updatedAt, now)}.`;
  return [problemOf(error.kind, `${error.message}${shown}`)];
}

// ---------------------------------------------------------------------------------------------
// Files

async function saveJson(file: string, value: Snapshot | PlatformSnapshot): Promise<void> {
  await writeAtomically(file, [Buffer.from(JSON.stringify(value), "utf8")]);
}

async function readJson<T>(
  file: string,
  parse: (value: unknown) => { success: true; data: T } | { success: false },
): Promise<T | null> {
  try {
    const parsed = parse(JSON.parse(await fs.readFile(file, "utf8")));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}
