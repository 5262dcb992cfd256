import { SessionList } from "./components/SessionList";
import { useUsage } from "./hooks/useUsage";

export default function Command() {
  const { report, isLoading, revalidate } = useUsage({ sessions: true });
  return <SessionList report={report} isLoading={isLoading} onRefresh={revalidate} />;
}
