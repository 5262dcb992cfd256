import { useCachedPromise } from "@raycast/utils";
import type { UsageReport } from "../core/report";
import { loadUsageReport } from "../core/sources";
import { readPreferences, sourceOptions } from "./preferences";

/**
 * Loads a report with the current preferences. It takes no arguments on purpose: the arguments of
 * a cached promise become its cache key, and the cookie must not end up in Raycast's cache.
 */
export function loadReport(): Promise<UsageReport> {
  return loadUsageReport(sourceOptions(readPreferences()));
}

/**
 * The usage report, stale-while-revalidate: the last report (cached by @raycast/utils) renders at
 * once with its own timestamps, and one refresh runs behind it. The source chain never rejects, so
 * failures arrive as problems inside the report rather than as a thrown error.
 */
export function useUsage() {
  const { data, isLoading, revalidate } = useCachedPromise(loadReport, [], { keepPreviousData: true });
  return { report: data, isLoading, revalidate };
}
