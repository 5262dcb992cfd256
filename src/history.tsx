import { environment } from "@raycast/api";
import { HistoryList } from "./components/HistoryList";
import { useUsage } from "./hooks/useUsage";
import { downloadsFolder } from "./raycast/edge";

export default function Command() {
  const { report, isLoading, revalidate } = useUsage({ sessions: true });
  return (
    <HistoryList
      report={report}
      isLoading={isLoading}
      onRefresh={revalidate}
      appearance={environment.appearance}
      exportFolder={downloadsFolder()}
    />
  );
}
