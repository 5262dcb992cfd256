import { List } from "@raycast/api";
import path from "node:path";
import { svgDataUrl, type ChartAppearance, type ChartUnit } from "../core/views/chart-frame";
import { historyChartSvg, historyChartWhat, type StackBy } from "../core/views/history-chart";
import type { HistoryDay, HistorySummary } from "../core/views/history";
import { weekdayName } from "../core/views/calendar";
import { formatCost, formatCreditFigures, formatFull, formatTokens, plural } from "../core/format";
import { costOf } from "../core/rates";
import type { Snapshot } from "../core/views/schema";
import { CLIENT_TITLES } from "../core/scan/clients/names";
import { TokenLabels } from "./TokenLabels";

export interface HistoryDetailProps {
  /** The range's part of the pane (`rangeMarkdown`), made once and shared by every day. */
  markdown: string;
  day: HistoryDay;
}

/**
 * The detail pane: the range's chart, totals, models, projects and busiest day as markdown (the same
 * string for every day of the range, so a long range costs one chart), the day's exact figures as
 * metadata.
 */
export function HistoryDetail({ markdown, day }: HistoryDetailProps) {
  const Label = List.Item.Detail.Metadata.Label;
  return (
    <List.Item.Detail
      markdown={markdown}
      metadata={
        <List.Item.Detail.Metadata>
          <Label title="Day" text={`${weekdayName(day.date)} ${day.date}`} />
          <TokenLabels figures={day} />
          <Label title="Messages" text={formatFull(day.messages)} />
          <Label title="Sessions" text={formatFull(day.sessions)} />
        </List.Item.Detail.Metadata>
      }
    />
  );
}

/** The range part of the pane: the chart, then the range's figures. */
export function rangeMarkdown(
  summary: HistorySummary,
  snapshot: Snapshot,
  options: { appearance: ChartAppearance; stackBy: StackBy; unit?: ChartUnit },
): string {
  const chartOptions = {
    ...options,
    unit: options.unit ?? "tokens",
    // The per-model rows count every client: one client's chart has no model split to draw from.
    dayModels: summary.client === null ? snapshot.dayModels : undefined,
    weekStart: snapshot.weekStart,
  };
  const chart = historyChartSvg(summary.days, chartOptions);
  return historyMarkdownBody(summary, `![${historyChartWhat(summary.days, chartOptions)}](${svgDataUrl(chart)})`);
}

function historyMarkdownBody(summary: HistorySummary, chartImage: string): string {
  const { range, totals, models, projects, busiest } = summary;
  const lines = [
    chartImage,
    "",
    `**${range.from} – ${range.to}** · ${formatTokens(totals.total)} tokens · ${plural(totals.messages, "message")} · ${plural(totals.activeDays, "active day")} · ${formatCreditFigures(totals)} · est. ${formatCost(costOf(totals))}`,
    "",
    "| Bucket | Tokens |",
    "| --- | ---: |",
    `| Input | ${formatFull(totals.input)} |`,
    `| Output | ${formatFull(totals.output)} |`,
    `| Cache read | ${formatFull(totals.cacheRead)} |`,
    `| Cache write | ${formatFull(totals.cacheWrite)} |`,
    `| **Total** | **${formatFull(totals.total)}** |`,
  ];
  if (models.length) {
    lines.push("", "| Model | Tokens | Messages |", "| --- | ---: | ---: |");
    for (const model of models)
      lines.push(`| ${cell(model.model)} | ${formatFull(model.total)} | ${formatFull(model.messages)} |`);
  }
  if (summary.clients.length) {
    lines.push("", "| Client | Tokens |", "| --- | ---: |");
    for (const { client, total } of summary.clients) lines.push(`| ${CLIENT_TITLES[client]} | ${formatFull(total)} |`);
  }
  if (summary.client !== null)
    lines.push("", `Models are not split by client; the figures above are ${CLIENT_TITLES[summary.client]}'s.`);
  if (projects.length) {
    lines.push("", "| Top project | Tokens | Sessions |", "| --- | ---: | ---: |");
    for (const project of projects) {
      const name = project.project ? path.basename(project.project) || project.project : "Unknown project";
      lines.push(`| ${cell(name)} | ${formatFull(project.total)} | ${formatFull(project.sessions)} |`);
    }
  }
  lines.push(
    "",
    busiest
      ? `Busiest day: **${weekdayName(busiest.date)} ${busiest.date}** with ${formatFull(busiest.total)} tokens`
      : "No usage in this range.",
  );
  return lines.join("\n");
}

function cell(text: string): string {
  return text.replace(/\|/g, "\\|");
}
