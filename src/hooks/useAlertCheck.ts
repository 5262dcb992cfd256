import { environment, LaunchType } from "@raycast/api";
import { useEffect, useRef, useState } from "react";
import type { UsageReport } from "../core/chain/report-schema";
import { checkAlerts } from "../raycast/alerts";

/**
 * In a background launch (the menu bar's interval), checks the alert thresholds once the fresh report
 * is in, and reports itself pending until then: the menu bar is unloaded as soon as it stops loading,
 * which would cut a notification short.
 */
export function useAlertCheck(
  report: UsageReport | undefined,
  isLoading: boolean,
  options: { thresholds: string; weeklyBudget: number | null },
): boolean {
  const background = environment.launchType === LaunchType.Background;
  const [pending, setPending] = useState(background);
  const started = useRef(false);
  const { thresholds, weeklyBudget } = options;
  useEffect(() => {
    if (!background || started.current || isLoading || !report) return;
    started.current = true;
    checkAlerts(report, { thresholds, weeklyBudget, now: new Date() }).finally(() => setPending(false));
  }, [background, isLoading, report, thresholds, weeklyBudget]);
  return pending && (isLoading || Boolean(report));
}
