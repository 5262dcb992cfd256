import { useCachedPromise } from "@raycast/utils";
import { loadMenuReport, loadReport } from "../raycast/edge";

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
