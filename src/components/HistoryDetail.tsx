import { List } from "@raycast/api";
import path from "node:path";
import { svgDataUrl, type ChartAppearance, type ChartUnit } from "../core/views/chart-frame";
import { historyChartSvg, historyChartWhat, type StackBy } from "../core/views/history-chart";
import type { HistoryDay } from "../core/views/history";
import type { HistorySummary, ModelShare, ProjectShare } from "../core/query/history";
import { markdownTable, type TableColumn } from "../core/views/export-table";
import { weekdayName } from "../core/views/calendar";
import { formatCost, formatCreditFigures, formatCredits, formatFull, formatTokens, plural } from "../core/format";
import type { AccountPeriod } from "../core/platform/account-view";
import { costOf } from "../core/rates";
import type { Snapshot } from "../core/views/schema";
import { CLIENT_TITLES } from "../core/scan/clients/names";
import { TokenLabels } from "./TokenLabels";

export interface HistoryDetailProps {
  /** The range's part of the pane (`rangeMarkdown`), made once and shared by every day. */
  markdown: string;
  day: HistoryDay;
  /** The whole account that day, from the platform's daily list, when it covers the day. */
  account?: AccountPeriod | null;
}

/**
 * The detail pane: the range's chart, totals, models, projects and busiest day as markdown (the same
 * string for every day of the range, so a long range costs one chart), the day's exact figures as
 * metadata.
 */
export function HistoryDetail({ markdown, day, account }: HistoryDetailProps) {
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
          {account ? <AccountLabels account={account} /> : null}
        </List.Item.Detail.Metadata>
      }
    />
  );
}

/** The whole account that day (every device and client of the plan), model by model, and what was used elsewhere. */
function AccountLabels({ account }: { account: AccountPeriod }) {
  const Label = List.Item.Detail.Metadata.Label;
  const credits = (value: number | null) => (value === null ? "" : ` · ${formatCredits(value)} Credits`);
  return (
    <>
      <List.Item.Detail.Metadata.Separator />
      <Label title="All Devices" text={`${formatTokens(account.totalTokens)} tokens${credits(account.credits)}`} />
      <Label
        title="Elsewhere"
        text={`${formatTokens(account.elsewhereTokens)} tokens${credits(account.elsewhereCredits)}`}
      />
      {account.byModel.map((model) => (
        <Label
          key={model.model}
          title={model.model}
          text={`${formatTokens(model.totalTokens)} tokens${credits(model.credits)} · elsewhere ${formatTokens(model.elsewhereTokens)}`}
        />
      ))}
    </>
  );
}

/** The range part of the pane: the chart, then the range's figures. */
export function rangeMarkdown(
  summary: HistorySummary,
  snapshot: Snapshot,
  options: {
    appearance: ChartAppearance;
    stackBy: StackBy;
    unit?: ChartUnit;
    /** Per date, what the platform's daily list says was used elsewhere (all clients' history only). */
    elsewhere?: ReadonlyMap<string, { tokens: number; credits: number | null }>;
    /** Other devices' days, for the chart stacked by device. */
    devices?: readonly { name: string; byDate: ReadonlyMap<string, { tokens: number; credits: number }> }[];
  },
): string {
  const chartOptions = {
    ...options,
    elsewhere: summary.client === null ? options.elsewhere : undefined,
    unit: options.unit ?? "tokens",
    // The per-model rows count every client: one client's chart has no model split to draw from.
    // So do another device's days: a digest has no per-model rows for them.
    dayModels: summary.client === null && snapshot.dayModels.length > 0 ? snapshot.dayModels : undefined,
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
    markdownTable(BUCKET_COLUMNS, [
      { name: "Input", tokens: formatFull(totals.input) },
      { name: "Output", tokens: formatFull(totals.output) },
      { name: "Cache read", tokens: formatFull(totals.cacheRead) },
      { name: "Cache write", tokens: formatFull(totals.cacheWrite) },
      { name: "**Total**", tokens: `**${formatFull(totals.total)}**` },
    ]),
  ];
  if (models.length) lines.push("", markdownTable(MODEL_COLUMNS, models));
  if (summary.clients.length) lines.push("", markdownTable(CLIENT_COLUMNS, summary.clients));
  if (summary.client !== null)
    lines.push("", `Models are not split by client; the figures above are ${CLIENT_TITLES[summary.client]}'s.`);
  if (projects.length) lines.push("", markdownTable(PROJECT_COLUMNS, projects));
  lines.push(
    "",
    busiest
      ? `Busiest day: **${weekdayName(busiest.date)} ${busiest.date}** with ${formatFull(busiest.total)} tokens`
      : "No usage in this range.",
  );
  return lines.join("\n");
}

const BUCKET_COLUMNS: TableColumn<{ name: string; tokens: string }>[] = [
  { title: "Bucket", align: "left", value: (row) => row.name },
  { title: "Tokens", align: "right", value: (row) => row.tokens },
];

const MODEL_COLUMNS: TableColumn<ModelShare>[] = [
  { title: "Model", align: "left", value: (model) => model.model },
  { title: "Tokens", align: "right", value: (model) => formatFull(model.total) },
  { title: "Messages", align: "right", value: (model) => formatFull(model.messages) },
];

const CLIENT_COLUMNS: TableColumn<HistorySummary["clients"][number]>[] = [
  { title: "Client", align: "left", value: (row) => CLIENT_TITLES[row.client] },
  { title: "Tokens", align: "right", value: (row) => formatFull(row.total) },
];

const PROJECT_COLUMNS: TableColumn<ProjectShare>[] = [
  {
    title: "Top project",
    align: "left",
    value: (row) => (row.project ? path.basename(row.project) || row.project : "Unknown project"),
  },
  { title: "Tokens", align: "right", value: (row) => formatFull(row.total) },
  { title: "Sessions", align: "right", value: (row) => formatFull(row.sessions) },
];
