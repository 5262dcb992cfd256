import { Action, ActionPanel, Icon, Keyboard, List } from "@raycast/api";
import path from "node:path";
import { formatFull, formatTokens } from "../core/format";
import type { SessionRecord } from "../core/views/schema";
import { sessionClient } from "../core/query/sessions";
import { CLIENT_TITLES } from "../core/scan/clients/names";
import type { ChartAppearance, ChartUnit } from "../core/views/chart-frame";
import { ChartUnitAction } from "./ChartUnitAction";
import { RefreshAction } from "./RefreshAction";
import { SessionDetail } from "./SessionDetail";

export interface SessionItemProps {
  session: SessionRecord;
  timeZone: string;
  isShowingDetail: boolean;
  onToggleDetail: () => void;
  onRefresh: () => void;
  /** How the detail pane's chart is drawn. */
  chart: { appearance: ChartAppearance; unit: ChartUnit; onToggleUnit: () => void };
}

export function projectName(session: SessionRecord): string {
  return session.project ? path.basename(session.project) || session.project : "Unknown project";
}

export function SessionItem(props: SessionItemProps) {
  const { session, timeZone, isShowingDetail, onToggleDetail, onRefresh, chart } = props;
  const model = session.models[0] ?? "unknown";
  const client = sessionClient(session);
  // Only Claude Code sessions have a transcript to open and a `claude --resume` to copy.
  const other = client === "claude-code" ? null : CLIENT_TITLES[client];
  return (
    <List.Item
      id={session.sessionId}
      title={projectName(session)}
      subtitle={isShowingDetail ? undefined : (session.summary ?? session.sessionId)}
      icon={Icon.Terminal}
      keywords={[
        session.sessionId,
        session.project ?? "",
        ...session.models,
        session.summary ?? "",
        other ?? "",
      ].filter(Boolean)}
      accessories={
        isShowingDetail
          ? [{ text: formatTokens(session.total), tooltip: `${formatFull(session.total)} tokens` }]
          : [
              { text: formatTokens(session.total), tooltip: `${formatFull(session.total)} tokens` },
              ...(other ? [{ tag: other, tooltip: `A ${other} session` }] : []),
              { tag: session.models.length > 1 ? `${model} +${session.models.length - 1}` : model },
              { date: new Date(session.lastAt), tooltip: `Last activity ${session.lastAt}` },
            ]
      }
      detail={
        isShowingDetail ? (
          <SessionDetail session={session} timeZone={timeZone} appearance={chart.appearance} unit={chart.unit} />
        ) : undefined
      }
      actions={
        <ActionPanel>
          <ActionPanel.Section>
            <Action
              title={isShowingDetail ? "Hide Detail" : "Show Detail"}
              icon={Icon.Sidebar}
              shortcut={{ modifiers: ["cmd"], key: "d" }}
              onAction={onToggleDetail}
            />
            {isShowingDetail ? <ChartUnitAction unit={chart.unit} onToggle={chart.onToggleUnit} /> : null}
            {session.file ? <Action.Open title="Open Transcript" target={session.file} icon={Icon.Document} /> : null}
            {session.file ? <Action.ShowInFinder path={session.file} /> : null}
          </ActionPanel.Section>
          <ActionPanel.Section>
            <Action.CopyToClipboard
              title="Copy Session ID"
              content={session.sessionId}
              shortcut={Keyboard.Shortcut.Common.Copy}
            />
            {other ? null : (
              <Action.CopyToClipboard
                title="Copy Resume Command"
                content={`claude --resume ${session.sessionId}`}
                shortcut={{ modifiers: ["cmd", "shift"], key: "r" }}
              />
            )}
          </ActionPanel.Section>
          <RefreshAction onRefresh={onRefresh} />
        </ActionPanel>
      }
    />
  );
}
