import { UsageMenu } from "./components/UsageMenu";
import { parseTokens } from "./core/format";
import { readPreferences, REFRESH_INTERVAL_MS } from "./raycast/edge";
import { useUsage } from "./hooks/useUsage";

export default function Command() {
  const { report, isLoading, revalidate, progress } = useUsage({ sessions: false });
  const preferences = readPreferences();
  return (
    <UsageMenu
      report={report}
      isLoading={isLoading}
      figure={preferences.menuBarFigure}
      weeklyBudget={parseTokens(preferences.weeklyBudget)}
      refreshIntervalMs={REFRESH_INTERVAL_MS}
      now={new Date()}
      onRefresh={revalidate}
      progress={progress}
    />
  );
}
