import { environment } from "@raycast/api";
import os from "node:os";
import path from "node:path";
import { HistoryList } from "./components/HistoryList";
import { useUsage } from "./hooks/useUsage";

export default function Command() {
  const { report, isLoading, revalidate } = useUsage({ sessions: true });
  return (
    <HistoryList
      report={report}
      isLoading={isLoading}
      onRefresh={revalidate}
      appearance={environment.appearance}
      exportFolder={path.join(os.homedir(), "Downloads")}
    />
  );
}
