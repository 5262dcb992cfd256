import { useCachedPromise } from "@raycast/utils";
import { useCallback, useState } from "react";
import type { UsageReport } from "../core/chain/report-schema";
import type { ScanProgress } from "../core/scan/progress";
import { loadMenuReport, loadReport } from "../raycast/edge";

/**
 * The usage report, stale-while-revalidate: the last report (cached by @raycast/utils) renders at
 * once with its own timestamps, and one refresh runs behind it. As soon as that refresh has its
 * local figures they replace the cached ones, while the platform is still asked (the report is
 * then marked `planPending`); `isLoading` stays true until the platform part settles too, because
 * Raycast unloads a menu-bar command as soon as it turns false. The source chain never rejects, so
 * failures arrive as problems inside the report rather than as a thrown error.
 */
export function useUsage(options: { sessions: boolean }) {
  const [progress, setProgress] = useState<ScanProgress | null>(null);
  const [early, setEarly] = useState<UsageReport | null>(null);
  const load = useCallback(() => {
    const report = options.sessions ? loadReport : loadMenuReport;
    setEarly(null);
    return report(progressReporter(setProgress), (local) => {
      setProgress(null);
      setEarly(local);
    }).finally(() => setProgress(null));
  }, [options.sessions]);
  const { data, isLoading, revalidate } = useCachedPromise(load, [], { keepPreviousData: true });
  // Once loaded, the complete report is `data`; the early one is cleared when the next load starts.
  return { report: (isLoading ? early : null) ?? data, isLoading, revalidate, progress };
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
