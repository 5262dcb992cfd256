import { UsageMenu } from "./components/UsageMenu";
import { readPreferences, REFRESH_INTERVAL_MS } from "./hooks/preferences";
import { useUsage } from "./hooks/useUsage";

export default function Command() {
  const { report, isLoading, revalidate } = useUsage({ sessions: false });
  return (
    <UsageMenu
      report={report}
      isLoading={isLoading}
      figure={readPreferences().menuBarFigure}
      refreshIntervalMs={REFRESH_INTERVAL_MS}
      now={new Date()}
      onRefresh={revalidate}
    />
  );
}
