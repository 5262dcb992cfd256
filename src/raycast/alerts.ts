import { LocalStorage } from "@raycast/api";
import { runAppleScript } from "@raycast/utils";
import {
  alertGauges,
  crossingNotification,
  newCrossings,
  parseThresholds,
  readAlertMemory,
  rememberCrossing,
  type AlertNotification,
} from "../core/query/alerts";
import type { UsageReport } from "../core/chain/report-schema";

/**
 * The Raycast side of usage alerts: what was already notified lives in LocalStorage, which every
 * command of the extension shares and which survives relaunches; notifications go through AppleScript
 * (`display notification`), because Raycast has no notification API and shows no toast in the
 * background. Nothing here throws: an alert that cannot be posted never fails a refresh.
 */

/** LocalStorage key of the remembered crossings (versioned: a new shape gets a new key). */
export const ALERT_MEMORY_KEY = "alerts.notified.v1";

export type Notify = (notification: AlertNotification) => Promise<void>;

/** AppleScript string literal: backslashes and quotes escaped, line breaks kept as spaces. */
function appleScriptString(text: string): string {
  return `"${text
    .replace(/[\r\n]+/g, " ")
    .replace(/\\/g, "\\\\")
    .replace(/"/g, '\\"')}"`;
}

export function notificationScript(notification: AlertNotification): string {
  return (
    `display notification ${appleScriptString(notification.message)}` +
    ` with title ${appleScriptString(notification.title)}` +
    ` subtitle ${appleScriptString(notification.subtitle)}`
  );
}

export const postNotification: Notify = async (notification) => {
  await runAppleScript(notificationScript(notification));
};

export interface AlertCheckOptions {
  /** The "Alert Thresholds" preference text. */
  thresholds: string;
  weeklyBudget: number | null;
  now: Date;
  notify?: Notify;
}

export interface AlertCheckResult {
  posted: AlertNotification[];
  /** Set when the preference could not be read; alerts are then off. */
  problem: string | null;
}

/** Posts one notification per gauge that newly crossed a threshold, and remembers it once posted. */
export async function checkAlerts(report: UsageReport, options: AlertCheckOptions): Promise<AlertCheckResult> {
  const parsed = parseThresholds(options.thresholds);
  if (!parsed.ok) return { posted: [], problem: parsed.message };
  if (parsed.thresholds.length === 0) return { posted: [], problem: null };
  const notify = options.notify ?? postNotification;
  const posted: AlertNotification[] = [];
  try {
    let memory = readAlertMemory(await LocalStorage.getItem<string>(ALERT_MEMORY_KEY));
    const gauges = alertGauges(report, options.weeklyBudget, options.now);
    for (const crossing of newCrossings(gauges, parsed.thresholds, memory)) {
      const notification = crossingNotification(crossing, report.local?.snapshot.timeZone);
      try {
        await notify(notification);
      } catch {
        // Not remembered, so the next refresh tries again.
        continue;
      }
      posted.push(notification);
      memory = rememberCrossing(memory, crossing);
      await LocalStorage.setItem(ALERT_MEMORY_KEY, JSON.stringify(memory));
    }
  } catch {
    // Storage failed: no alert this time rather than a failed refresh.
  }
  return { posted, problem: null };
}
