import { EmptyActions, problemEmptyView } from "./EmptyViews";
import { Action, ActionPanel, Icon, LaunchType, List, launchCommand, showToast, Toast, Keyboard } from "@raycast/api";
import { useMemo, useState } from "react";
import { formatCost, formatCreditFigures, formatFull, formatTokens, plural } from "../core/format";
import { costOf } from "../core/rates";
import { weekdayName } from "../core/views/calendar";
import type { UsageReport } from "../core/chain/report-schema";
import {
  DEFAULT_HISTORY_RANGE,
  HISTORY_RANGES,
  HISTORY_RANGE_TITLES,
  historyCsv,
  historyFileName,
  historyMarkdown,
  isHistoryRange,
  type HistoryClient,
  type HistoryDay,
  type HistoryRange,
} from "../core/views/history";
import {
  accountByDate,
  historyClients,
  historySnapshot,
  historySummary,
  type HistorySummary,
} from "../core/query/history";
import type { StackBy } from "../core/views/history-chart";
import type { ChartAppearance, ChartUnit } from "../core/views/chart-frame";
import { useChartUnit } from "../hooks/useChartUnit";
import { ChartUnitAction } from "./ChartUnitAction";
import type { Snapshot } from "../core/views/schema";
import { CLIENT_TITLES, type ClientName } from "../core/scan/clients/names";
import { HistoryDetail, rangeMarkdown } from "./HistoryDetail";
import { RefreshAction } from "./RefreshAction";
import { exportToFolder } from "../raycast/export-file";
import type { AccountPeriod } from "../core/platform/account-view";
import type { OtherDevice } from "../core/devices/schema";

export interface HistoryListProps {
  report: UsageReport | undefined;
  isLoading: boolean;
  onRefresh: () => void;
  appearance: ChartAppearance;
  /** Where "Export CSV" writes (the user's Downloads folder in Raycast, a temp folder in tests). */
  exportFolder: string;
}

/** Context the sessions command reads to open filtered on one day (see src/sessions.tsx). */
export interface SessionsLaunchContext {
  day: string;
}

export function HistoryList({ report, isLoading, onRefresh, appearance, exportFolder }: HistoryListProps) {
  const [range, setRange] = useState<HistoryRange>(DEFAULT_HISTORY_RANGE);
  const [isShowingDetail, setShowingDetail] = useState(true);
  const [chosenStack, setStackBy] = useState<StackBy>("bucket");
  const [chosenClient, setClient] = useState<HistoryClient>(null);
  const [chosenDevice, setDevice] = useState<string | null>(null);
  const { unit, toggleUnit } = useChartUnit();
  const devices = useMemo(() => report?.devices?.others ?? [], [report]);
  // Another device's history is its own days from the sync folder; a device no longer there falls back to this Mac.
  const device = devices.find((other) => other.id === chosenDevice) ?? null;
  const snapshot = useMemo(() => historySnapshot(report, device?.id ?? null), [report, device]);
  const clients = useMemo(() => (snapshot && !device ? historyClients(snapshot) : []), [snapshot, device]);
  // A client that is no longer offered (a refresh dropped it) falls back to all clients.
  const client = chosenClient !== null && clients.includes(chosenClient) ? chosenClient : null;
  // The per-model rows are not split by client or kept for other devices: those charts stack by token type.
  const stackings: StackBy[] = devices.length > 0 ? ["bucket", "model", "device"] : ["bucket", "model"];
  const stackBy: StackBy = client === null && !device && stackings.includes(chosenStack) ? chosenStack : "bucket";
  const nextStack = stackings[(stackings.indexOf(stackBy) + 1) % stackings.length];
  const summary = useMemo(() => (snapshot ? historySummary(snapshot, range, client) : null), [snapshot, range, client]);
  // Once per range: each day's row and the chart's Elsewhere series read the same figures.
  const accountDays = useMemo(
    () =>
      snapshot && summary && !device ? accountByDate(report, snapshot, summary.days) : new Map<string, AccountPeriod>(),
    [report, snapshot, summary, device],
  );
  const markdown = useMemo(
    () =>
      snapshot && summary && isShowingDetail
        ? rangeMarkdown(summary, snapshot, {
            appearance,
            stackBy,
            unit,
            elsewhere: device ? undefined : elsewhereOf(accountDays),
            devices: device ? undefined : devices.map(deviceDays),
          })
        : "",
    [snapshot, summary, appearance, stackBy, unit, isShowingDetail, device, devices, accountDays],
  );
  const hasUsage = Boolean(snapshot && snapshot.days.some((day) => day.messages > 0));
  const context: ItemContext | null =
    snapshot && summary
      ? {
          snapshot,
          accountOn: (date) => accountDays.get(date) ?? null,
          devices: devices.map((other) => ({ id: other.id, name: other.name })),
          device: device?.id ?? null,
          onPickDevice: setDevice,
          summary,
          markdown,
          stackBy,
          unit,
          isShowingDetail,
          exportFolder,
          clients,
          onPickClient: setClient,
          onToggleDetail: () => setShowingDetail((shown) => !shown),
          nextStack,
          onToggleStack: () => setStackBy(nextStack),
          onToggleUnit: toggleUnit,
          onRefresh,
        }
      : null;
  return (
    <List
      isLoading={isLoading}
      navigationTitle={device ? `MiMo Usage History · ${device.name}` : undefined}
      isShowingDetail={isShowingDetail && hasUsage}
      searchBarPlaceholder="Filter days by date or weekday"
      searchBarAccessory={
        <List.Dropdown
          tooltip="Range"
          storeValue
          defaultValue={DEFAULT_HISTORY_RANGE}
          onChange={(value) => setRange(isHistoryRange(value) ? value : DEFAULT_HISTORY_RANGE)}
        >
          {HISTORY_RANGES.map((name) => (
            <List.Dropdown.Item key={name} title={HISTORY_RANGE_TITLES[name]} value={name} />
          ))}
        </List.Dropdown>
      }
    >
      {context && hasUsage
        ? context.summary.sections.map((section) => (
            <List.Section
              key={section.key}
              title={client === null ? section.title : `${section.title} · ${CLIENT_TITLES[client]}`}
              subtitle={`${formatTokens(section.total)} tokens`}
            >
              {section.days.map((day) => (
                <HistoryDayItem key={day.date} day={day} context={context} />
              ))}
            </List.Section>
          ))
        : null}
      {!isLoading || report ? <HistoryEmptyView report={report} onRefresh={onRefresh} /> : null}
    </List>
  );
}

interface ItemContext {
  snapshot: Snapshot;
  /** The whole account on a day (from the platform's daily list), when its kept rows cover that day. */
  accountOn: (date: string) => AccountPeriod | null;
  summary: HistorySummary;
  /** The detail pane's range part, shared by every day. */
  markdown: string;
  stackBy: StackBy;
  /** What ⌘M stacks the chart by next. */
  nextStack: StackBy;
  unit: ChartUnit;
  isShowingDetail: boolean;
  exportFolder: string;
  /** The clients the history can be filtered to; empty when there is only one. */
  clients: ClientName[];
  /** Other devices publishing to the sync folder, and the one shown (null: this Mac). */
  devices: { id: string; name: string }[];
  device: string | null;
  onPickDevice: (device: string | null) => void;
  onPickClient: (client: HistoryClient) => void;
  onToggleDetail: () => void;
  onToggleStack: () => void;
  onToggleUnit: () => void;
  onRefresh: () => void;
}

/** What was used elsewhere per day, as the chart stacks it; none when the list covers no day. */
function elsewhereOf(
  accountDays: Map<string, AccountPeriod>,
): Map<string, { tokens: number; credits: number | null }> | undefined {
  if (accountDays.size === 0) return undefined;
  return new Map(
    [...accountDays].map(([date, account]) => [
      date,
      { tokens: account.elsewhereTokens, credits: account.elsewhereCredits },
    ]),
  );
}

function dayLabel(date: string, today: string): string {
  return date === today ? "Today" : weekdayName(date);
}

function HistoryDayItem({ day, context }: { day: HistoryDay; context: ItemContext }) {
  const { snapshot, isShowingDetail } = context;
  const used = day.messages > 0;
  const account = context.accountOn(day.date);
  const own = used ? `${formatFull(day.total)} tokens` : "No MiMo messages";
  const tokens = {
    text: used ? formatTokens(day.total) : "No use",
    // Beside the platform's daily list: what this Mac counted, all devices, and the rest elsewhere.
    tooltip: account
      ? `${own} on this Mac · all devices ${formatFull(account.totalTokens)}, elsewhere ${formatFull(account.elsewhereTokens)}`
      : used
        ? own
        : "No MiMo messages on this day",
  };

  return (
    <List.Item
      id={day.date}
      title={day.date}
      subtitle={dayLabel(day.date, snapshot.windows.today)}
      icon={used ? Icon.BarChart : Icon.Circle}
      keywords={[weekdayName(day.date)]}
      accessories={
        isShowingDetail || !used
          ? [tokens]
          : [
              tokens,
              { text: plural(day.messages, "msg"), tooltip: plural(day.messages, "message") },
              { text: plural(day.sessions, "session") },
              {
                text: formatCreditFigures(day),
                tooltip: `${formatFull(day.credits)} Credits at MiMo's rates · est. ${formatCost(costOf(day))}`,
              },
            ]
      }
      detail={isShowingDetail ? <HistoryDetail markdown={context.markdown} day={day} account={account} /> : undefined}
      actions={<HistoryActions day={day} context={context} />}
    />
  );
}

function HistoryActions({ day, context }: { day: HistoryDay; context: ItemContext }) {
  const { summary } = context;
  return (
    <ActionPanel>
      <ActionPanel.Section>
        {day.messages > 0 ? (
          <Action title="Open Sessions of This Day" icon={Icon.List} onAction={() => openSessionsOf(day.date)} />
        ) : null}
        <Action
          title={context.isShowingDetail ? "Hide Detail" : "Show Detail"}
          icon={Icon.Sidebar}
          shortcut={{ modifiers: ["cmd"], key: "d" }}
          onAction={context.onToggleDetail}
        />
        {summary.client === null ? (
          <Action
            title={STACK_TITLES[context.nextStack]}
            icon={Icon.BarChart}
            shortcut={{ modifiers: ["cmd"], key: "m" }}
            onAction={context.onToggleStack}
          />
        ) : null}
        {context.isShowingDetail ? <ChartUnitAction unit={context.unit} onToggle={context.onToggleUnit} /> : null}
      </ActionPanel.Section>
      <ClientActions context={context} />
      <DeviceActions context={context} />
      <ActionPanel.Section>
        <Action.CopyToClipboard
          title="Copy as CSV"
          content={historyCsv(summary.days)}
          shortcut={Keyboard.Shortcut.Common.Copy}
        />
        <Action.CopyToClipboard title="Copy as Markdown Table" content={historyMarkdown(summary.days)} />
        <Action
          title="Export CSV to Downloads"
          icon={Icon.Download}
          shortcut={Keyboard.Shortcut.Common.Save}
          onAction={() =>
            exportToFolder(context.exportFolder, historyFileName(summary.range), historyCsv(summary.days), "CSV")
          }
        />
        <Action.CopyToClipboard title="Copy Day Total" content={String(day.total)} />
      </ActionPanel.Section>
      <RefreshAction onRefresh={context.onRefresh} />
    </ActionPanel>
  );
}

/** One action per client plus "All Clients", the one shown marked; none while there is one client. */
function ClientActions({ context }: { context: ItemContext }) {
  if (context.clients.length === 0) return null;
  const shown = context.summary.client;
  const choices: { client: HistoryClient; title: string }[] = [
    { client: null, title: "All Clients" },
    ...context.clients.map((name) => ({ client: name, title: CLIENT_TITLES[name] })),
  ];
  return (
    <ActionPanel.Section title="Client">
      {choices.map((choice) => (
        <Action
          key={choice.client ?? "all"}
          title={`Show ${choice.title}`}
          icon={choice.client === shown ? Icon.CheckCircle : Icon.Circle}
          onAction={() => context.onPickClient(choice.client)}
        />
      ))}
    </ActionPanel.Section>
  );
}

const STACK_TITLES: Record<StackBy, string> = {
  bucket: "Chart by Token Type",
  model: "Chart by Model",
  device: "Chart by Device",
};

/** Another device's days as the chart stacks them. */
function deviceDays(device: OtherDevice): { name: string; byDate: Map<string, { tokens: number; credits: number }> } {
  return {
    name: device.name,
    byDate: new Map(device.days.map((day) => [day.date, { tokens: day.total, credits: day.credits }])),
  };
}

function DeviceActions({ context }: { context: ItemContext }) {
  if (context.devices.length === 0) return null;
  const choices = [{ id: null, name: "This Mac" }, ...context.devices];
  return (
    <ActionPanel.Section title="Device">
      {choices.map((choice) => (
        <Action
          key={choice.id ?? "this-mac"}
          title={`Show ${choice.name}`}
          icon={choice.id === context.device ? Icon.CheckCircle : Icon.Circle}
          onAction={() => context.onPickDevice(choice.id)}
        />
      ))}
    </ActionPanel.Section>
  );
}

async function openSessionsOf(date: string): Promise<void> {
  const context: SessionsLaunchContext = { day: date };
  await launchCommand({ name: "sessions", type: LaunchType.UserInitiated, context }).catch(async (error: unknown) => {
    await showToast({ style: Toast.Style.Failure, title: "Could not open MiMo Sessions", message: String(error) });
  });
}

function HistoryEmptyView({ report, onRefresh }: { report: UsageReport | undefined; onRefresh: () => void }) {
  const problem = problemEmptyView({ report, onRefresh });
  const snapshot = report?.local?.snapshot;
  if (problem || !snapshot) return problem;
  const actions = <EmptyActions onRefresh={onRefresh} />;
  return (
    <List.EmptyView
      icon={Icon.Calendar}
      title={snapshot.days.length ? "No matching days" : "No MiMo usage yet"}
      description={
        snapshot.days.length
          ? "Try another search."
          : "Run Claude Code through your MiMo wrapper; its days appear here."
      }
      actions={actions}
    />
  );
}
