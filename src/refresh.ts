import { environment, LaunchType, launchCommand, showHUD, updateCommandMetadata } from "@raycast/api";
import { showFailureToast } from "@raycast/utils";
import { formatCredits, formatTokens, parseTokens } from "./core/format";
import { FAILURES } from "./core/chain/failures";
import { planPercent, searchSubtitle } from "./core/query/summary";
import { planUsage } from "./core/query/plan";
import { loadReport, readPreferences } from "./raycast/edge";
import { checkAlerts } from "./raycast/alerts";

/**
 * Refresh from the keyboard (bind it to a global hotkey) or on its own interval. It refreshes
 * scan and platform once, updates its subtitle in Raycast search, and re-renders the menu bar.
 * In the background it stays silent: Raycast shows no toast there anyway.
 */
export default async function Command() {
  const background = environment.launchType === LaunchType.Background;
  const now = new Date();
  const report = await loadReport();
  await updateCommandMetadata({ subtitle: searchSubtitle(report, now) });
  // Before the menu bar reloads, so it finds these crossings already notified; never throws.
  const preferences = readPreferences();
  await checkAlerts(report, {
    thresholds: preferences.alertThresholds,
    weeklyBudget: parseTokens(preferences.weeklyBudget),
    now,
  });
  // The menu bar may be deactivated; that must not fail the refresh.
  await launchCommand({ name: "menu-bar", type: LaunchType.Background }).catch(() => undefined);
  if (background) return;

  const snapshot = report.local?.snapshot;
  if (!snapshot) {
    const failure = report.localError;
    await showFailureToast(failure?.message ?? "No usage data", {
      title: failure ? FAILURES[failure.kind].title : "MiMo Usage refresh failed",
    });
    return;
  }
  const problem = report.problems[0];
  const usage = planUsage(report, now);
  await showHUD(
    `MiMo: today ${formatTokens(snapshot.today.total)} · week ${formatTokens(snapshot.week.total)}` +
      (usage ? ` · plan ${planPercent(usage, usage.fraction)} of ${formatCredits(usage.limit)} Credits` : "") +
      (problem ? ` · ${problem.title}` : ""),
  );
}
