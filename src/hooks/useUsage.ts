import { useCachedPromise } from "@raycast/utils";
import type { UsageReport } from "../core/chain/report-schema";
import { loadUsageReport } from "../core/chain/report";
import { readPreferences, sourceOptions } from "../raycast/edge";

/**
 * Loads a report with the current preferences. It takes no arguments on purpose: the arguments of
 * a cached promise become its cache key, and the cookie must not end up in Raycast's cache.
 */
export function loadReport(): Promise<UsageReport> {
  return loadUsageReport(sourceOptions(readPreferences()));
}

/**
 * The menu bar never shows sessions, and years of them make the report megabytes long: its copy
 * leaves them out so what the menu bar holds in memory and in Raycast's cache stays small.
 */
export async function loadMenuReport(): Promise<UsageReport> {
  const report = await loadReport();
  if (!report.local) return report;
  return { ...report, local: { ...report.local, snapshot: { ...report.local.snapshot, sessions: [] } } };
}

/**
 * The usage report, stale-while-revalidate: the last report (cached by @raycast/utils) renders at
 * once with its own timestamps, and one refresh runs behind it. The source chain never rejects, so
 * failures arrive as problems inside the report rather than as a thrown error.
 */
export function useUsage(options: { sessions: boolean }) {
  const { data, isLoading, revalidate } = useCachedPromise(options.sessions ? loadReport : loadMenuReport, [], {
    keepPreviousData: true,
  });
  return { report: data, isLoading, revalidate };
}
