import { EmptyActions, problemEmptyView } from "./EmptyViews";
import { Icon, List } from "@raycast/api";
import { useState } from "react";
import { addDays, localDate } from "../core/views/calendar";
import type { UsageReport } from "../core/chain/report-schema";
import type { SessionRecord, Snapshot } from "../core/views/schema";
import { SessionItem } from "./SessionItem";
import type { ChartAppearance } from "../core/views/chart-frame";
import { useChartUnit } from "../hooks/useChartUnit";
import { filterSessions, sessionClients, type SessionFilter } from "../core/query/sessions";
import { CLIENT_TITLES } from "../core/scan/clients/names";

export interface SessionListProps {
  report: UsageReport | undefined;
  isLoading: boolean;
  onRefresh: () => void;
  /** A local date (YYYY-MM-DD) to open on: the sessions active that day (from MiMo Usage History). */
  day?: string;
  /** Raycast's appearance, which the detail pane's chart follows (the command passes it; dark if not). */
  appearance?: ChartAppearance;
}

/** Sessions newest first, in sections by local day of last activity: Today, Yesterday, then dates. */
export function groupByDay(
  sessions: SessionRecord[],
  snapshot: Snapshot,
): { title: string; sessions: SessionRecord[] }[] {
  const today = snapshot.windows.today;
  const yesterday = addDays(today, -1);
  const groups = new Map<string, SessionRecord[]>();
  for (const session of sessions) {
    const date = localDate(Date.parse(session.lastAt), snapshot.timeZone);
    const title = date === today ? "Today" : date === yesterday ? "Yesterday" : date;
    const group = groups.get(title) ?? [];
    group.push(session);
    groups.set(title, group);
  }
  return [...groups.entries()].map(([title, list]) => ({ title, sessions: list }));
}

export function SessionList({ report, isLoading, onRefresh, day, appearance = "dark" }: SessionListProps) {
  const [filter, setFilter] = useState<SessionFilter>(day ? "day" : "all");
  const [isShowingDetail, setShowingDetail] = useState(false);
  const { unit, toggleUnit } = useChartUnit();
  const chart = { appearance, unit, onToggleUnit: toggleUnit };
  // Tracked only so the empty view can tell "nothing matches the search" from "nothing in this period".
  const [searchText, setSearchText] = useState("");
  const snapshot = report?.local?.snapshot;
  const sessions = snapshot ? filterSessions(snapshot.sessions, snapshot, filter, day) : [];
  return (
    <List
      isLoading={isLoading}
      isShowingDetail={isShowingDetail && sessions.length > 0}
      filtering
      onSearchTextChange={setSearchText}
      searchBarPlaceholder="Filter by project, session ID or model"
      searchBarAccessory={
        // Opened on a day, the day is the initial choice and is not stored over the user's own choice.
        <List.Dropdown
          tooltip="Sessions"
          storeValue={!day}
          defaultValue={day ? "day" : undefined}
          onChange={(value) => setFilter(value as SessionFilter)}
        >
          {day ? <List.Dropdown.Item title={`Active on ${day}`} value="day" /> : null}
          <List.Dropdown.Item title="All Sessions" value="all" />
          <List.Dropdown.Item title="This Week" value="week" />
          <List.Dropdown.Item title="Today" value="today" />
          {snapshot && sessionClients(snapshot).length > 1 ? (
            <List.Dropdown.Section title="Client">
              {sessionClients(snapshot).map((client) => (
                <List.Dropdown.Item key={client} title={CLIENT_TITLES[client]} value={`client:${client}`} />
              ))}
            </List.Dropdown.Section>
          ) : null}
        </List.Dropdown>
      }
    >
      {snapshot
        ? groupByDay(sessions, snapshot).map((group) => (
            <List.Section key={group.title} title={group.title} subtitle={`${group.sessions.length}`}>
              {group.sessions.map((session) => (
                <SessionItem
                  key={session.sessionId}
                  session={session}
                  timeZone={snapshot.timeZone}
                  isShowingDetail={isShowingDetail}
                  onToggleDetail={() => setShowingDetail((shown) => !shown)}
                  onRefresh={onRefresh}
                  chart={chart}
                />
              ))}
            </List.Section>
          ))
        : null}
      {!isLoading || report ? (
        <EmptyState report={report} filter={filter} searching={searchText.trim() !== ""} onRefresh={onRefresh} />
      ) : null}
    </List>
  );
}

/** Shown by Raycast only when no item is visible: says what to do next. */
function EmptyState(props: {
  report: UsageReport | undefined;
  filter: SessionFilter;
  searching: boolean;
  onRefresh: () => void;
}) {
  const { report, filter, searching, onRefresh } = props;
  const problem = problemEmptyView({ report, onRefresh });
  const snapshot = report?.local?.snapshot;
  if (problem || !snapshot) return problem;
  const actions = <EmptyActions onRefresh={onRefresh} />;
  if (snapshot.sessions.length > 0 && !filter.startsWith("client:") && filter !== "all" && !searching) {
    return (
      <List.EmptyView
        icon={Icon.Calendar}
        title={
          filter === "today" ? "No sessions today" : filter === "day" ? "No sessions that day" : "No sessions this week"
        }
        description="Pick All Sessions in the dropdown to see older ones."
        actions={actions}
      />
    );
  }
  return (
    <List.EmptyView
      icon={Icon.Terminal}
      title={snapshot.sessions.length ? "No matching sessions" : "No MiMo sessions yet"}
      description={
        snapshot.sessions.length
          ? "Try another search."
          : "Run Claude Code through your MiMo wrapper; its sessions appear here."
      }
      actions={actions}
    />
  );
}
