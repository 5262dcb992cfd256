import { List } from "@raycast/api";
import path from "node:path";
import { svgDataUrl } from "../core/views/chart";
import { historyChartSvg, type ChartAppearance, type StackBy } from "../core/views/history-chart";
import { weekdayName, type HistoryDay, type HistorySummary } from "../core/views/history";
import { formatCost, formatFull, formatTokens, plural } from "../core/format";
import type { DayModelRow } from "../core/views/schema";

export interface HistoryDetailProps {
  summary: HistorySummary;
  day: HistoryDay;
  dayModels: DayModelRow[];
  appearance: ChartAppearance;
  stackBy: StackBy;
}

/**
 * The detail pane: the range's chart with the selected day outlined, the range's totals, models,
 * projects and busiest day as markdown; the selected day's exact figures as metadata.
 */
export function HistoryDetail({ summary, day, dayModels, appearance, stackBy }: HistoryDetailProps) {
  const chart = historyChartSvg(summary.days, { appearance, stackBy, dayModels, highlight: day.date });
  const Label = List.Item.Detail.Metadata.Label;
  return (
    <List.Item.Detail
      markdown={historyMarkdownBody(summary, svgDataUrl(chart), stackBy)}
      metadata={
        <List.Item.Detail.Metadata>
          <Label title="Day" text={`${weekdayName(day.date)} ${day.date}`} />
          <Label title="Total Tokens" text={`${formatTokens(day.total)} (${formatFull(day.total)})`} />
          <Label title="Input" text={formatFull(day.input)} />
          <Label title="Output" text={formatFull(day.output)} />
          <Label title="Cache Read" text={formatFull(day.cacheRead)} />
          <Label title="Cache Write" text={formatFull(day.cacheWrite)} />
          <Label title="Messages" text={formatFull(day.messages)} />
          <Label title="Sessions" text={formatFull(day.sessions)} />
          <Label title="Estimated Cost" text={formatCost(day.cost)} />
        </List.Item.Detail.Metadata>
      }
    />
  );
}

/** The range part of the pane, the same for every day of the range. */
export function historyMarkdownBody(summary: HistorySummary, chartUrl: string, stackBy: StackBy): string {
  const { range, totals, models, projects, busiest } = summary;
  const lines = [
    `![Daily tokens by ${stackBy}](${chartUrl})`,
    "",
    `**${range.from} – ${range.to}** · ${formatTokens(totals.total)} tokens · ${plural(totals.messages, "message")} · ${plural(totals.activeDays, "active day")} · est. ${formatCost(totals.cost)}`,
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
