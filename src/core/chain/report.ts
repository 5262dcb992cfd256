import { promises as fs } from "node:fs";
import path from "node:path";
import { LAST_PLATFORM_FILE, LAST_SNAPSHOT_FILE } from "../settings";
import { refreshUsage, type EngineConfig } from "./local";
import { writeCodexBarExport } from "../export";
import { formatRelative } from "../format";
import { fetchPlatform } from "../platform/client";
import {
  PlatformSnapshotSchema,
  type LocalSection,
  type PlanSection,
  type PlatformError,
  type PlatformResult,
  type PlatformSnapshot,
  type Problem,
  type Source,
  type UsageReport,
} from "./report-schema";
import { SnapshotSchema, type Snapshot } from "../views/schema";
import { errnoCode, writeAtomically } from "../io";
import { configFolderList, noConfigFolder } from "../views/roots";

/**
 * The source chain: one call produces everything the menu bar, the list and the AI tools show.
 * The local scan always runs (only it knows today, the week and sessions); the platform answers
 * the plan when a cookie works; when either fails, the last good answer saved in the support
 * folder stands in, labelled with its own time. Nothing here throws.
 */

export const CACHE_STALE_MS = 12 * 60 * 60 * 1000;

/**
 * Fresh data is stale after two missed refreshes; a cache is expected to be older and only counts
 * as stale after 12 hours. Callers showing a report later (the menu bar renders the last one first)
 * ask again with their own clock.
 */
export function isStale(source: Source, updatedAt: string, now: Date, refreshIntervalMs: number): boolean {
  const limit = source === "cache" ? CACHE_STALE_MS : 2 * refreshIntervalMs;
  return now.getTime() - Date.parse(updatedAt) > limit;
}

export interface SourceOptions {
  engine: EngineConfig;
  /** Where the last good snapshot and platform answer are kept. */
  supportPath: string;
  cookie?: string;
  /** How often the menu bar refreshes: local data older than twice this is stale. */
  refreshIntervalMs: number;
  /** Write CodexBar's local cache here after a successful scan. */
  codexBarExport?: string | null;
  env?: Record<string, string | undefined>;
  now?: () => Date;
  platform?: (cookie: string) => Promise<PlatformResult>;
}

export async function loadUsageReport(options: SourceOptions): Promise<UsageReport> {
  const now = options.now ?? (() => new Date());
  const problems: Problem[] = [];
  try {
    const [local, plan] = await Promise.all([localSection(options, now, problems), planSection(options, now)]);
    problems.push(...planProblems(plan.error, plan.section, now()));
    return {
      generatedAt: now().toISOString(),
      local: local.section,
      localError: local.error,
      plan: plan.section,
      planError: plan.error,
      problems,
    };
  } catch (error) {
    // Only a programming error reaches here; the menu still gets a report it can show.
    return {
      generatedAt: now().toISOString(),
      local: null,
      localError: `Unexpected failure: ${errnoCode(error)}`,
      plan: null,
      planError: null,
      problems: [{ title: "MiMo Usage hit an unexpected error", detail: errnoCode(error), action: "none" }],
    };
  }
}

async function localSection(
  options: SourceOptions,
  now: () => Date,
  problems: Problem[],
): Promise<{ section: LocalSection | null; error: string | null }> {
  const cacheFile = path.join(options.supportPath, LAST_SNAPSHOT_FILE);
  const result = await refreshUsage({ ...options.engine, now });
  if (result.ok) {
    const snapshot = result.snapshot;
    problems.push(...snapshotProblems(snapshot));
    await saveJson(cacheFile, snapshot).catch((error) =>
      problems.push({ title: "Could not save the usage cache", detail: errnoCode(error), action: "none" }),
    );
    if (options.codexBarExport) {
      await writeCodexBarExport(options.codexBarExport, snapshot).catch((error) =>
        problems.push({ title: "Could not write CodexBar's cache file", detail: errnoCode(error), action: "none" }),
      );
    }
    const stale = isStale("local", snapshot.updatedAt, now(), options.refreshIntervalMs);
    return { section: { source: "local", updatedAt: snapshot.updatedAt, stale, snapshot }, error: null };
  }

  const cached = await readJson(cacheFile, (value) => SnapshotSchema.safeParse(value));
  if (!cached) {
    problems.push({ title: "Local scan failed", detail: result.error, action: "openPreferences" });
    return { section: null, error: result.error };
  }
  const stale = isStale("cache", cached.updatedAt, now(), options.refreshIntervalMs);
  problems.push({
    title: "Local scan failed: showing cached figures",
    detail: `${result.error} Cached ${formatRelative(cached.updatedAt, now())}.`,
    action: "openPreferences",
  });
  return { section: { source: "cache", updatedAt: cached.updatedAt, stale, snapshot: cached }, error: result.error };
}

async function planSection(
  options: SourceOptions,
  now: () => Date,
): Promise<{ section: PlanSection | null; error: PlatformError | null }> {
  const cacheFile = path.join(options.supportPath, LAST_PLATFORM_FILE);
  const cookie = options.cookie?.trim() ?? "";
  if (!cookie) return { section: null, error: { kind: "noCookie", message: "No platform cookie is set." } };
  const fetcher = options.platform ?? ((c: string) => fetchPlatform({ cookie: c, env: options.env, now }));
  const result = await fetcher(cookie);
  if (result.ok) {
    // The platform answer holds balances and quotas only; the cookie is never part of it.
    await saveJson(cacheFile, result.value).catch(() => undefined);
    return {
      section: { source: "platform", updatedAt: result.value.fetchedAt, stale: false, data: result.value },
      error: null,
    };
  }
  const cached = await readJson(cacheFile, (value) => PlatformSnapshotSchema.safeParse(value));
  if (!cached) return { section: null, error: result.error };
  const stale = isStale("cache", cached.fetchedAt, now(), options.refreshIntervalMs);
  return { section: { source: "cache", updatedAt: cached.fetchedAt, stale, data: cached }, error: result.error };
}

const PLATFORM_HINTS: Record<PlatformError["kind"], { title: string; action: Problem["action"] }> = {
  noCookie: { title: "Platform not connected: add your cookie in preferences", action: "openPreferences" },
  invalidCookie: { title: "Platform cookie is incomplete: paste it again in preferences", action: "openPreferences" },
  loginRequired: { title: "Platform: login required — set the cookie in preferences", action: "openPreferences" },
  expired: { title: "Platform: session expired — log in again and update the cookie", action: "openPlatform" },
  network: { title: "Platform unreachable", action: "none" },
  timeout: { title: "Platform did not answer in time", action: "none" },
  unexpectedPayload: { title: "Platform answered in an unexpected format", action: "none" },
  refusedBaseUrl: { title: "MIMO_API_URL was refused", action: "none" },
};

function planProblems(error: PlatformError | null, section: PlanSection | null, now: Date): Problem[] {
  // No cookie is a choice, not a failure: the menu offers to connect instead of warning.
  if (!error || error.kind === "noCookie") return [];
  const hint = PLATFORM_HINTS[error.kind];
  const cached = section ? ` Showing the plan as of ${formatRelative(section.updatedAt, now)}.` : "";
  return [{ title: hint.title, detail: `${error.message}${cached}`, action: hint.action }];
}

function snapshotProblems(snapshot: Snapshot): Problem[] {
  const problems: Problem[] = snapshot.warnings.map((warning) => ({ title: warning, action: "none" as const }));
  if (noConfigFolder(snapshot)) {
    problems.push({
      title: "No Claude config folder found",
      detail: `Looked for projects/ in ${configFolderList(snapshot)}. Set the MiMo folder in preferences.`,
      action: "openPreferences",
    });
  }
  return problems;
}

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
