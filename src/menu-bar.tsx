import { UsageMenu } from "./components/UsageMenu";
import { parseTokens } from "./core/format";
import { readPreferences } from "./raycast/edge";
import { useUsage } from "./hooks/useUsage";

export default function Command() {
  const { report, isLoading, revalidate } = useUsage({ sessions: false });
  const preferences = readPreferences();
  return (
    <UsageMenu
      report={report}
      isLoading={isLoading}
      figure={preferences.menuBarFigure}
      weeklyBudget={parseTokens(preferences.weeklyBudget)}
      now={new Date()}
      onRefresh={revalidate}
    />
  );
}
