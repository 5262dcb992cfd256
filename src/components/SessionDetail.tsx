import { List } from "@raycast/api";
import { sessionChartSvg, sessionChartTitle } from "../core/views/chart";
import { svgDataUrl, type ChartAppearance, type ChartUnit } from "../core/views/chart-frame";
import { formatDateTime, formatDuration, formatFull } from "../core/format";
import type { SessionRecord } from "../core/views/schema";
import { TokenLabels } from "./TokenLabels";

export interface SessionDetailProps {
  session: SessionRecord;
  timeZone: string;
  appearance: ChartAppearance;
  unit: ChartUnit;
}

/**
 * The detail pane: a chart of the session's tokens or Credits over time (its title line says what,
 * per how long and when), then every figure we know.
 */
export function SessionDetail({ session, timeZone, appearance, unit }: SessionDetailProps) {
  const markdown = session.series.length
    ? `![${sessionChartTitle(session, { unit, timeZone })}](${svgDataUrl(sessionChartSvg(session, { appearance, unit, timeZone }))})`
    : "No activity to chart.";
  const Label = List.Item.Detail.Metadata.Label;
  return (
    <List.Item.Detail
      markdown={markdown}
      metadata={
        <List.Item.Detail.Metadata>
          <Label title="Session ID" text={session.sessionId} />
          <Label title="Project" text={session.project ?? "Unknown"} />
          <Label title="Started" text={formatDateTime(session.firstAt, timeZone)} />
          <Label title="Last Activity" text={formatDateTime(session.lastAt, timeZone)} />
          <Label title="Duration" text={formatDuration(Date.parse(session.lastAt) - Date.parse(session.firstAt))} />
          <Label title="Models" text={session.models.join(", ") || "Unknown"} />
          <Label title="Messages" text={formatFull(session.messages)} />
          <List.Item.Detail.Metadata.Separator />
          <TokenLabels figures={session} />
          <List.Item.Detail.Metadata.Separator />
          <Label title="Transcript" text={session.file ?? "Deleted by Claude Code"} />
        </List.Item.Detail.Metadata>
      }
    />
  );
}
