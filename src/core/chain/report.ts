import type { PlanSetting } from "../platform/plan-setting";
import path from "node:path";
import { LAST_MENU_SNAPSHOT_FILE, LAST_PLATFORM_FILE, LAST_SNAPSHOT_FILE, unknownClientsMessage } from "../settings";
import { refreshUsage, type EngineConfig, type EngineResult } from "./local";
import { exportStep } from "./export-step";
import { formatRelative } from "../format";
import { fetchPlatform } from "../platform/client";
import { NO_COOKIE } from "../platform/cookie";
import {
  addSample,
  CREDIT_HISTORY_FILE,
  loadCreditHistory,
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
import { describeErrno, errnoCode, FileRefusal, readJsonFile, writeJsonFile } from "../io";
import { OTHER_CLIENT_NAMES } from "../scan/clients/names";
import { configFolderList, noConfigFolder } from "../views/roots";
import { loadDevicesSection, type DevicesConfig } from "../devices/section";
import { devicesProblems } from "./devices-problems";

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

export interface SourceOptions extends AccountOptions {
  engine: EngineConfig;
  /** Where the last good snapshot, the platform's last answer and the credit history are kept. */
  supportPath: string;
  cookie?: string;
  /** How often the menu bar refreshes: local data older than twice this is stale. */
  refreshIntervalMs: number;
  /** Write CodexBar's local cache here after a successful scan. */
  codexBarExport?: string | null;
  /** Names typed in Other MiMo Clients that name no client (settings.ts otherClientsFrom). */
  unknownClients?: string[];
  env?: Record<string, string | undefined>;
  now?: () => Date;
  platform?: (cookie: string) => Promise<PlatformResult>;
  /** The plan named in preferences, for when the platform has never answered. */
  planSetting?: PlanSetting | null;
  /** Why the plan preferences could not be read, when they could not. */
  planSettingProblem?: string | null;
  /** Other devices through a sync folder (devices/); absent or null when none is set. */
  devices?: DevicesConfig | null;
  /** How long each platform request may take (client.ts's default when absent). */
  platformTimeoutMs?: number;
}

/** Hears the report of a refresh before it is complete. */
export interface ReportListener {
  /**
   * Called once, as soon as the local figures are in, when the platform has not answered by then:
   * the report then has `planPending` set and the platform's last answer (or the estimate from it)
   * as its plan. The complete report follows as the promise's value.
   */
  onLocal?: (report: UsageReport) => void;
}

export async function loadUsageReport(options: SourceOptions, listener: ReportListener = {}): Promise<UsageReport> {
  const now = options.now ?? (() => new Date());
  const files = new SupportFiles();
  try {
    // Asked at once, waited for last: a slow platform never holds back the local figures.
    let settled = false;
    const asking = askPlatform(options, now).then(
      (answer) => ({ answer }),
      (error: unknown) => ({ error }),
    );
    void asking.then(() => {
      settled = true;
    });
    const listing = askAccount(options, now);
    const local = await localSection(options, now, files);
    const problems = [...local.problems, ...settingsProblems(options)];
    if (listener.onLocal && !settled) {
      const waiting = await lastPlanSection(options, now(), files);
      listener.onLocal({
        generatedAt: now().toISOString(),
        local: local.section,
        localError: local.error,
        plan: waiting,
        planError: null,
        planSetting: options.planSetting ?? null,
        planPending: true,
        problems: [...problems, ...files.problems()],
      });
    }
    const asked = await asking;
    if ("error" in asked) throw asked.error;
    const answer = asked.answer;
    const [plan, devices, listed] = await Promise.all([
      planSection(options, answer, local.section, now(), files),
      options.devices ? loadDevicesSection(options.devices, devicesLocal(local.section), now()) : null,
      listing,
    ]);
    const planError = answer.ok ? null : answer.error;
    problems.push(...planProblems(planError, plan, now()), ...files.problems());
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

function settingsProblems(options: SourceOptions): Problem[] {
  const problems: Problem[] = [];
  const unknown = unknownClientsMessage(options.unknownClients ?? [], [...OTHER_CLIENT_NAMES, "none"]);
  if (unknown) problems.push(problemOf("unknownClient", unknown));
  if (options.planSettingProblem) problems.push(problemOf("invalidPlanSetting", options.planSettingProblem));
  return problems;
}

// ---------------------------------------------------------------------------------------------
// Local chain

/**
 * The last good snapshot is kept per kind of report: a report with sessions (the session list, the
 * tools) and the menu bar's, which builds none. The session list never falls back on a snapshot
 * without sessions; the menu bar takes the newer of the two, as it shows no sessions.
 */
function snapshotFiles(options: SourceOptions): { save: string; fallbacks: string[] } {
  const full = path.join(options.supportPath, LAST_SNAPSHOT_FILE);
  if (options.engine.sessions !== false) return { save: full, fallbacks: [full] };
  const menu = path.join(options.supportPath, LAST_MENU_SNAPSHOT_FILE);
  return { save: menu, fallbacks: [menu, full] };
}

async function localSection(
  options: SourceOptions,
  now: () => Date,
  files: SupportFiles,
): Promise<{ section: LocalSection | null; error: LocalFailure | null; problems: Problem[] }> {
  const problems: Problem[] = [];
  const cache = snapshotFiles(options);
  const result = await refreshUsage({ ...options.engine, now });
  if (result.ok) {
    const snapshot = result.snapshot;
    problems.push(...snapshotProblems(snapshot));
    await files
      .save(cache.save, snapshot, "a MiMo Usage snapshot")
      .catch((error) => problems.push(problemOf("cacheNotSaved", describeErrno(error))));
    if (options.codexBarExport) {
      const refused = await exportStep(options.codexBarExport, snapshot);
      if (refused) problems.push(refused);
    }
    const staleAt = staleAtFor("local", snapshot.updatedAt, options.refreshIntervalMs);
    return { section: { source: "local", updatedAt: snapshot.updatedAt, staleAt, snapshot }, error: null, problems };
  }

  const error = localFailure(result);
  let cached: Snapshot | null = null;
  for (const file of cache.fallbacks) {
    const read = await files.read(file, MAX_SNAPSHOT_BYTES, "a MiMo Usage snapshot", (value) =>
      SnapshotSchema.safeParse(value),
    );
    if (read && (!cached || read.updatedAt > cached.updatedAt)) cached = read;
  }
  if (!cached) {
    problems.push(problemOf(error.kind, error.message));
    return { section: null, error, problems };
  }
  problems.push(
    problemOf(error.kind, `${error.message} Showing the figures cached ${formatRelative(cached.updatedAt, now())}.`),
  );
  const staleAt = staleAtFor("cache", cached.updatedAt, options.refreshIntervalMs);
  return { section: { source: "cache", updatedAt: cached.updatedAt, staleAt, snapshot: cached }, error, problems };
}

/** Only a scan of this refresh is published; a cached snapshot is shown but not sent again. */
function devicesLocal(section: LocalSection | null): { snapshot: Snapshot; fresh: boolean } | null {
  return section && { snapshot: section.snapshot, fresh: section.source === "local" };
}

/** The engine says what failed, with its kind; the kind decides what the menu offers. */
function localFailure(result: Extract<EngineResult, { ok: false }>): LocalFailure {
  // A time zone the engine refuses is a scan that could not run; the words say which zone.
  return { kind: result.kind === "invalidModelFilter" ? "invalidModelFilter" : "scanFailed", message: result.error };
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
    ((c: string) =>
      fetchPlatform({
        cookie: c,
        env: options.env,
        now,
        timeZone: options.engine.timeZone,
        timeoutMs: options.platformTimeoutMs,
      }));
  return fetcher(cookie);
}

async function planSection(
  options: SourceOptions,
  answer: PlatformResult,
  local: LocalSection | null,
  now: Date,
  files: SupportFiles,
): Promise<PlanSection | null> {
  // No cookie is a choice: nothing is read or estimated until one is set.
  if (!answer.ok && answer.error.kind === "noCookie") return null;
  if (!answer.ok) return lastPlanSection(options, now, files);
  const historyFile = path.join(options.supportPath, CREDIT_HISTORY_FILE);
  const history = await files.history(historyFile);
  // The platform answer holds balances and quotas only; the cookie is never part of it.
  await files
    .save(path.join(options.supportPath, LAST_PLATFORM_FILE), answer.value, "a MiMo platform answer")
    .catch(() => undefined);
  const samples = await recordAnswer(historyFile, history, answer.value, local, now, files);
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

/**
 * The plan without an answer of this refresh: the estimate from the platform's last answer and the
 * credit history, else that answer as it was, else nothing. Null too when no cookie is set.
 */
async function lastPlanSection(options: SourceOptions, now: Date, files: SupportFiles): Promise<PlanSection | null> {
  if (!options.cookie?.trim()) return null;
  const cached = await files.read(
    path.join(options.supportPath, LAST_PLATFORM_FILE),
    MAX_PLATFORM_BYTES,
    "a MiMo platform answer",
    (value) => PlatformSnapshotSchema.safeParse(value),
  );
  if (!cached) return null;
  const credits = creditsOf(await files.history(path.join(options.supportPath, CREDIT_HISTORY_FILE)), now);
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
  files: SupportFiles,
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
  await writeCreditHistory(file, samples).catch((error: unknown) => files.refusedWrite(file, error));
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

/** A snapshot with every session of a heavy user stays far below this. */
const MAX_SNAPSHOT_BYTES = 256 * 1024 * 1024;
/** The platform's answer is a few kilobytes. */
const MAX_PLATFORM_BYTES = 1024 * 1024;

/**
 * The support folder's JSON files as one refresh uses them, all read and written through io.ts's
 * bounded helpers. A damaged file reads as absent and is replaced by the next save; one that is not
 * ours to read or replace (a FIFO, a device, a link out of the folder) is left alone and named once
 * as a problem.
 */
class SupportFiles {
  private readonly refused = new Map<string, string>();
  private readonly histories = new Map<string, Promise<CreditSample[]>>();

  async read<T>(
    file: string,
    maxBytes: number,
    what: string,
    parse: (value: unknown) => { success: true; data: T } | { success: false },
  ): Promise<T | null> {
    const read = await readJsonFile(file, { maxBytes, what }, parse);
    if (!read.ok && read.reason === "refused") this.refuse(file, read.message);
    return read.ok ? read.value : null;
  }

  /** The credit history, read once per refresh however many sections ask. */
  history(file: string): Promise<CreditSample[]> {
    let loading = this.histories.get(file);
    if (!loading) {
      loading = loadCreditHistory(file).then(({ samples, refused }) => {
        if (refused) this.refuse(file, refused);
        return samples;
      });
      this.histories.set(file, loading);
    }
    return loading;
  }

  async save(file: string, value: Snapshot | PlatformSnapshot, what: string): Promise<void> {
    await writeJsonFile(file, value, what).catch((error: unknown) => {
      this.refusedWrite(file, error);
      throw error;
    });
  }

  /** A write left undone because the file is not ours is worth a word; other failures are the caller's. */
  refusedWrite(file: string, error: unknown): void {
    if (error instanceof FileRefusal) this.refuse(file, error.message);
  }

  problems(): Problem[] {
    return [...this.refused.values()].map((message) => problemOf("fileRefused", message));
  }

  private refuse(file: string, message: string): void {
    if (!this.refused.has(file)) this.refused.set(file, message);
  }
}
