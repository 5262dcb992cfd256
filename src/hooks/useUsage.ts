import { useCachedPromise } from "@raycast/utils";
import { useCallback, useState } from "react";
import type { ScanProgress } from "../core/scan/progress";
import { loadMenuReport, loadReport } from "../raycast/edge";

/**
 * The usage report, stale-while-revalidate: the last report (cached by @raycast/utils) renders at
 * once with its own timestamps, and one refresh runs behind it. The source chain never rejects, so
 * failures arrive as problems inside the report rather than as a thrown error.
 */
export function useUsage(options: { sessions: boolean }) {
  const [progress, setProgress] = useState<ScanProgress | null>(null);
  const load = useCallback(() => {
    const report = options.sessions ? loadReport : loadMenuReport;
    return report(progressReporter(setProgress)).finally(() => setProgress(null));
  }, [options.sessions]);
  const { data, isLoading, revalidate } = useCachedPromise(load, [], { keepPreviousData: true });
  return { report: data, isLoading, revalidate, progress };
}

/** A scan shorter than this shows the plain spinner: progress that flashes by tells nothing. */
const PROGRESS_AFTER_MS = 1000;
/** Fewer updates than files keep a scan of thousands of small files from re-rendering each time. */
const PROGRESS_EVERY_MS = 250;

function progressReporter(show: (progress: ScanProgress) => void): (progress: ScanProgress) => void {
  const started = Date.now();
  let shown = 0;
  return (progress) => {
    const now = Date.now();
    if (now - started < PROGRESS_AFTER_MS || now - shown < PROGRESS_EVERY_MS) return;
    shown = now;
    show(progress);
  };
}
