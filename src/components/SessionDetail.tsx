import { List } from "@raycast/api";
import { seriesChartSvg, svgDataUrl } from "../core/views/chart";
import { formatDateTime, formatDuration, formatFull } from "../core/format";
import type { SessionRecord } from "../core/views/schema";
import { TokenLabels } from "./TokenLabels";

/** The detail pane: a chart of the session's tokens over time, then every figure we know. */
export function SessionDetail({ session, timeZone }: { session: SessionRecord; timeZone: string }) {
  const chart = seriesChartSvg(session.series, {
    label: (point) => `${formatDateTime(point.at, timeZone)}: ${formatFull(point.total)} tokens`,
  });
  const markdown = session.series.length
    ? `![Tokens over time](${svgDataUrl(chart)})\n\nTokens per ${formatDuration(session.seriesStepMs)} from ${formatDateTime(session.firstAt, timeZone)}`
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
