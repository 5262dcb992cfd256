import { UsageMenu } from "./components/menu/UsageMenu";
import { parseTokens } from "./core/format";
import { readPreferences } from "./raycast/edge";
import { useUsage } from "./hooks/useUsage";
import { useAlertCheck } from "./hooks/useAlertCheck";

export default function Command() {
  const { report, isLoading, revalidate, progress } = useUsage({ sessions: false });
  const preferences = readPreferences();
  const weeklyBudget = parseTokens(preferences.weeklyBudget);
  const alertsPending = useAlertCheck(report, isLoading, { thresholds: preferences.alertThresholds, weeklyBudget });
  return (
    <UsageMenu
      report={report}
      isLoading={isLoading || alertsPending}
      figure={preferences.menuBarFigure}
      weeklyBudget={weeklyBudget}
      alertThresholds={preferences.alertThresholds}
      now={new Date()}
      onRefresh={revalidate}
      progress={progress}
    />
  );
}
