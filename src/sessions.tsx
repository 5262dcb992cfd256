import { environment, type LaunchProps } from "@raycast/api";
import { SessionList } from "./components/SessionList";
import { useUsage } from "./hooks/useUsage";
import { isLocalDate } from "./core/views/calendar";

/**
 * MiMo Usage History opens this command with `{ day }` as launch context to show one day's sessions.
 * Props are partial so a launch without context (or a test rendering it bare) needs none.
 */
export default function Command(props: Partial<LaunchProps<{ launchContext?: { day?: unknown } }>>) {
  const { report, isLoading, revalidate } = useUsage({ sessions: true });
  const day = props.launchContext?.day;
  return (
    <SessionList
      report={report}
      isLoading={isLoading}
      onRefresh={revalidate}
      day={typeof day === "string" && isLocalDate(day) ? day : undefined}
      appearance={environment.appearance}
    />
  );
}
