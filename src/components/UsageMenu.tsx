import { Color, Icon, Keyboard, MenuBarExtra, open, openExtensionPreferences, type Image } from "@raycast/api";
import { getProgressIcon } from "@raycast/utils";
import type { ReactNode } from "react";
import {
  formatCost,
  formatCreditFigures,
  formatDateTime,
  formatFull,
  formatPercent,
  formatRelative,
  formatTokens,
  plural,
} from "../core/format";
import { LOGIN_URL } from "../core/platform/client";
import type { Problem, UsageReport } from "../core/chain/report-schema";
import type { RootReport, Snapshot, WindowTotals } from "../core/views/schema";
import type { UsageFigures } from "../core/views/range-totals";
import { DEFAULT_MIMO_DIR } from "../core/settings";
import { noConfigFolder } from "../core/views/roots";
import { progressText, type ScanProgress } from "../core/scan/progress";
import {
  alertGauges,
  DEFAULT_ALERT_THRESHOLDS,
  describeNextThreshold,
  gaugeExact,
  nextThresholds,
  parseThresholds,
} from "../core/chain/alerts";
import { isStale } from "../core/chain/report";
import { clientSplit } from "../core/views/client-split";
import { menuBarTitle, planUsage, sourceLabel, summaryText, type MenuBarFigure } from "../core/chain/summary";
import { copy, openCommand } from "./menu-actions";
import { PlanSection } from "./PlanSection";
import { AccountHint, AccountItems, accountWindow } from "./AccountItems";
import { costOf } from "../core/rates";
import { allDevicesWindow } from "../core/devices/view";
import { AllDevicesItem, DevicesSection } from "./DevicesSection";

export interface UsageMenuProps {
  report: UsageReport | undefined;
  isLoading: boolean;
  figure: MenuBarFigure;
  /** Tokens the user allows per week (a preference), or null. */
  weeklyBudget: number | null;
  now: Date;
  onRefresh: () => void;
  /** The "Alert Thresholds" preference text; the default when left out. */
  alertThresholds?: string;
  /** How far a long scan has read, shown instead of the figure until it ends. */
  progress?: ScanProgress | null;
}

const TEMPLATE_ICON: Image.ImageLike = { source: "menu-bar-icon.png", tintColor: Color.PrimaryText };

export function UsageMenu(props: UsageMenuProps) {
  const { report, isLoading, figure, now } = props;
  const ring = report ? ringFraction(report, props.weeklyBudget, now) : null;
  const icon = ring === null ? TEMPLATE_ICON : getProgressIcon(Math.min(1, ring), Color.PrimaryText);
  return (
    <MenuBarExtra
      icon={icon}
      title={props.progress ? progressText(props.progress) : menuBarTitle(report, figure, now)}
      tooltip={props.progress ? `MiMo Usage · ${progressText(props.progress)}` : "MiMo Usage"}
      isLoading={isLoading}
    >
      {report ? <ReportSections {...props} report={report} /> : <LoadingOrSetup isLoading={isLoading} />}
      <MenuBarExtra.Section>
        <MenuBarExtra.Item
          title="Refresh"
          icon={Icon.ArrowClockwise}
          shortcut={Keyboard.Shortcut.Common.Refresh}
          onAction={props.onRefresh}
        />
        <MenuBarExtra.Item title="Open Sessions" icon={Icon.List} onAction={() => openCommand("sessions")} />
        <MenuBarExtra.Item title="Open History" icon={Icon.Calendar} onAction={() => openCommand("history")} />
        <MenuBarExtra.Item title="Open MiMo Platform" icon={Icon.Globe} onAction={() => open(LOGIN_URL)} />
        {report ? (
          <MenuBarExtra.Item
            title="Copy Summary"
            icon={Icon.CopyClipboard}
            shortcut={Keyboard.Shortcut.Common.Copy}
            onAction={() => copy(summaryText(report, now), "Copied MiMo usage summary")}
          />
        ) : null}
        <MenuBarExtra.Item title="Preferences…" icon={Icon.Gear} onAction={openExtensionPreferences} />
      </MenuBarExtra.Section>
    </MenuBarExtra>
  );
}

/** The plan's credits used (fresh or estimated), else this week's share of the user's budget. */
function ringFraction(report: UsageReport, weeklyBudget: number | null, now: Date): number | null {
  const usage = planUsage(report, now);
  if (usage) return usage.fraction;
  const week = report.local?.snapshot.week;
  return week && weeklyBudget ? week.total / weeklyBudget : null;
}

function LoadingOrSetup({ isLoading }: { isLoading: boolean }) {
  if (isLoading) return <MenuBarExtra.Item title="Reading MiMo usage…" icon={Icon.Hourglass} />;
  return (
    <MenuBarExtra.Item
      title="Set up MiMo Usage in Preferences…"
      icon={Icon.Warning}
      onAction={openExtensionPreferences}
    />
  );
}

function ReportSections(props: UsageMenuProps & { report: UsageReport }) {
  const { report, now } = props;
  const snapshot = report.local?.snapshot;
  const local = report.local;
  // With other devices publishing to the sync folder, each window shows This Mac and All devices.
  const all = (window: "today" | "week" | "lifetime") =>
    local ? allDevicesWindow(report.devices, local, window) : null;
  return (
    <>
      <PlanSection report={report} now={now} />
      {snapshot && isFirstRun(snapshot) ? <SetupItems roots={snapshot.roots} /> : null}
      {snapshot && !isFirstRun(snapshot) ? (
        <>
          <WindowItems
            id="today"
            title={`Today · ${snapshot.windows.today}`}
            totals={snapshot.today}
            split={clientSplit(snapshot, "today")}
            allDevices={all("today")}
            besideAccount={accountWindow(report, snapshot, snapshot.windows.today, snapshot.windows.today) !== null}
          >
            <AccountItems
              id="today"
              report={report}
              snapshot={snapshot}
              from={snapshot.windows.today}
              to={snapshot.windows.today}
            />
          </WindowItems>
          <WindowItems
            id="week"
            title={`This Week · since ${snapshot.windows.weekFrom}`}
            totals={snapshot.week}
            split={clientSplit(snapshot, "week")}
            allDevices={all("week")}
            besideAccount={accountWindow(report, snapshot, snapshot.windows.weekFrom, snapshot.windows.today) !== null}
          >
            {props.weeklyBudget ? <BudgetItem used={snapshot.week.total} budget={props.weeklyBudget} /> : null}
            <AccountItems
              id="week"
              report={report}
              snapshot={snapshot}
              from={snapshot.windows.weekFrom}
              to={snapshot.windows.today}
            />
          </WindowItems>
          <WindowItems
            id="lifetime"
            title={`Lifetime${snapshot.windows.lifetimeFrom ? ` · since ${snapshot.windows.lifetimeFrom}` : ""}`}
            totals={snapshot.lifetime}
            split={clientSplit(snapshot, "lifetime")}
            allDevices={all("lifetime")}
          >
            {snapshot.vanished.files > 0 ? (
              <MenuBarExtra.Item
                title="Kept from deleted transcripts"
                subtitle={`${formatTokens(snapshot.vanished.total)} · ${plural(snapshot.vanished.files, "file")}`}
                tooltip={`${formatFull(snapshot.vanished.total)} tokens of lifetime come from transcripts Claude Code has since deleted`}
                icon={Icon.Box}
                onAction={() => copy(formatFull(snapshot.vanished.total))}
              />
            ) : null}
          </WindowItems>
          {local ? <DevicesSection report={{ ...report, local }} now={now} /> : null}
        </>
      ) : null}
      <AlertItems
        report={report}
        weeklyBudget={props.weeklyBudget}
        now={now}
        thresholds={props.alertThresholds ?? DEFAULT_ALERT_THRESHOLDS}
      />
      <StatusItems {...props} />
    </>
  );
}

/**
 * No configured folder exists and nothing was ever counted: set-up help replaces the windows. Usage
 * kept from a folder that has since gone still shows its windows.
 */
function isFirstRun(snapshot: Snapshot): boolean {
  return noConfigFolder(snapshot) && snapshot.lifetime.messages === 0;
}

function BudgetItem({ used, budget }: { used: number; budget: number }) {
  const fraction = used / budget;
  return (
    <MenuBarExtra.Item
      title="Weekly budget"
      subtitle={`${formatPercent(fraction)} of ${formatTokens(budget)}`}
      tooltip={`${formatFull(used)} of ${formatFull(budget)} tokens this week`}
      icon={getProgressIcon(Math.min(1, fraction), fraction > 1 ? Color.Red : Color.Orange)}
      onAction={() => copy(formatPercent(fraction))}
    />
  );
}

const BUCKETS: { key: keyof WindowTotals; label: string; icon: Image.ImageLike }[] = [
  { key: "input", label: "Input", icon: Icon.Upload },
  { key: "output", label: "Output", icon: Icon.Download },
  { key: "cacheRead", label: "Cache read", icon: Icon.HardDrive },
  { key: "cacheWrite", label: "Cache write", icon: Icon.Cloud },
];

/**
 * One window (Today, This Week, Lifetime) as one row: its Total, whose submenu holds the four buckets,
 * messages and cost. Holding ⌥ in the submenu shows each figure's exact digits.
 */
function WindowItems(props: {
  id: string;
  title: string;
  totals: WindowTotals;
  /** "Claude Code 1.2M · OpenCode 300K", or null when only Claude Code is read. */
  split?: string | null;
  /** All devices' figures for the window, when other devices publish to the sync folder. */
  allDevices?: UsageFigures | null;
  /** True when the platform's whole-account row is shown in the window too. */
  besideAccount?: boolean;
  children?: ReactNode;
}) {
  const { id, title, totals, split, allDevices } = props;
  const label = title.split(" · ")[0];
  const exact = (key: string, value: number, text: string) => (
    <MenuBarExtra.Item
      key={`${key}-exact`}
      title={`${text}: ${formatFull(value)}`}
      onAction={() => copy(formatFull(value))}
    />
  );
  return (
    <MenuBarExtra.Section title={title}>
      <MenuBarExtra.Submenu
        key={`${id}-submenu`}
        title={`${allDevices ? "This Mac: " : ""}${formatTokens(totals.total)} tokens · ${formatCreditFigures(totals)}`}
        icon={Icon.BarChart}
      >
        <MenuBarExtra.Item
          key={`${id}-total`}
          title="Total"
          subtitle={`${formatTokens(totals.total)} tokens`}
          tooltip={`${label}: ${formatFull(totals.total)} tokens`}
          icon={Icon.BarChart}
          onAction={() => copy(formatFull(totals.total))}
          alternate={exact(`${id}-total`, totals.total, "Total")}
        />
        {BUCKETS.map((bucket) => {
          const value = totals[bucket.key] as number;
          return (
            <MenuBarExtra.Item
              key={`${id}-${bucket.key}`}
              title={bucket.label}
              subtitle={formatTokens(value)}
              tooltip={`${label}, ${bucket.label.toLowerCase()}: ${formatFull(value)} tokens`}
              icon={bucket.icon}
              onAction={() => copy(formatFull(value))}
              alternate={exact(`${id}-${bucket.key}`, value, bucket.label)}
            />
          );
        })}
        <MenuBarExtra.Item
          key={`${id}-messages`}
          title="Messages"
          subtitle={`${formatFull(totals.messages)} in ${plural(totals.sessions, "session")}`}
          tooltip={`${label}: ${plural(totals.messages, "message")}, ${plural(totals.sessions, "session")}`}
          icon={Icon.Message}
          onAction={() => copy(String(totals.messages))}
        />
        <MenuBarExtra.Item
          key={`${id}-credits`}
          title="Credits"
          subtitle={formatCreditFigures(totals)}
          tooltip={
            totals.uncreditedTokens > 0
              ? `${label}: ${formatFull(totals.credits)} Credits at MiMo's rates; ${formatFull(totals.uncreditedTokens)} tokens of models with no known rate are not in it`
              : `${label}: ${formatFull(totals.credits)} Credits at MiMo's rates`
          }
          icon={Icon.Coins}
          onAction={() => copy(formatFull(totals.credits))}
          alternate={exact(`${id}-credits`, totals.credits, "Credits")}
        />
        <MenuBarExtra.Item
          key={`${id}-cost`}
          title="Est. cost"
          subtitle={formatCost(costOf(totals))}
          tooltip={
            totals.uncreditedTokens > 0
              ? `${label}: some models have no known rate; this is a lower bound`
              : `${label}: at MiMo API list prices`
          }
          icon={Icon.Coins}
          onAction={() => copy(formatCost(costOf(totals)))}
        />
      </MenuBarExtra.Submenu>
      {allDevices ? (
        <AllDevicesItem id={id} label={label} figures={allDevices} besideAccount={props.besideAccount ?? false} />
      ) : null}
      {split ? (
        <MenuBarExtra.Item
          key={`${id}-clients`}
          title="By client"
          subtitle={split}
          tooltip={`${label} by client: ${split}`}
          icon={Icon.AppWindowGrid3x3}
          onAction={() => copy(split)}
        />
      ) : null}
      {props.children}
    </MenuBarExtra.Section>
  );
}

/** No transcripts folder at all: what is expected and how to get there, instead of three windows of zeros. */
function SetupItems({ roots }: { roots: RootReport[] }) {
  const expected = roots.find((root) => root.kind === "dedicated") ?? roots[0];
  const folder = expected?.path ?? DEFAULT_MIMO_DIR;
  const wrapper = `CLAUDE_CONFIG_DIR="${folder}" claude`;
  return (
    <MenuBarExtra.Section title="Set up">
      <MenuBarExtra.Item
        key="setup-folder"
        title="No MiMo transcripts folder yet"
        subtitle={folder}
        tooltip={`MiMo Usage reads Claude Code transcripts from ${folder}/projects. Copies the folder.`}
        icon={Icon.Folder}
        onAction={() => copy(folder)}
      />
      <MenuBarExtra.Item
        key="setup-preferences"
        title="Choose the Folder in Preferences…"
        icon={Icon.Gear}
        onAction={openExtensionPreferences}
      />
      <MenuBarExtra.Item
        key="setup-wrapper"
        title="Copy the MiMo Wrapper Line"
        tooltip={`Run Claude Code for MiMo with ${wrapper} (or export CLAUDE_CONFIG_DIR in your wrapper) so its transcripts land there`}
        icon={Icon.Terminal}
        onAction={() => copy(wrapper, "Copied the wrapper line")}
      />
    </MenuBarExtra.Section>
  );
}

/** The next alert threshold of the plan and of the weekly budget, and when the pace so far reaches it. */
function AlertItems({ report, weeklyBudget, now, thresholds }: AlertItemsProps) {
  const parsed = parseThresholds(thresholds);
  if (!parsed.ok) {
    return (
      <MenuBarExtra.Section title="Alerts">
        <MenuBarExtra.Item
          key="alerts-invalid"
          title="Alert Thresholds not understood"
          tooltip={parsed.message}
          icon={{ source: Icon.Warning, tintColor: Color.Orange }}
          onAction={openExtensionPreferences}
        />
      </MenuBarExtra.Section>
    );
  }
  const next = nextThresholds(alertGauges(report, weeklyBudget, now), parsed.thresholds);
  if (next.length === 0) return null;
  return (
    <MenuBarExtra.Section title="Alerts">
      {next.map((item) => (
        <MenuBarExtra.Item
          key={`alerts-${item.gauge.kind}`}
          title={`Next alert · ${describeNextThreshold(item)}`}
          tooltip={`${formatPercent(item.gauge.fraction)} used now: ${gaugeExact(item.gauge)}`}
          icon={Icon.Bell}
          onAction={() => copy(describeNextThreshold(item))}
        />
      ))}
    </MenuBarExtra.Section>
  );
}

interface AlertItemsProps {
  report: UsageReport;
  weeklyBudget: number | null;
  now: Date;
  thresholds: string;
}

function StatusItems({ report, now, onRefresh }: UsageMenuProps & { report: UsageReport }) {
  const local = report.local;
  const plan = report.plan;
  const localStale = local ? isStale(local, now) : false;
  const planStale = plan ? isStale(plan, now) : false;
  return (
    <MenuBarExtra.Section title="Status">
      {local ? (
        <MenuBarExtra.Item
          key="status-local"
          title={`Source: ${sourceLabel(local.source)}`}
          subtitle={`Updated ${formatRelative(local.updatedAt, now)}${localStale ? " · stale" : ""}`}
          tooltip={`Usage data from ${formatDateTime(local.updatedAt, local.snapshot.timeZone)}`}
          icon={localStale ? { source: Icon.Warning, tintColor: Color.Yellow } : Icon.Clock}
          onAction={() => copy(local.updatedAt)}
        />
      ) : null}
      {plan ? (
        <MenuBarExtra.Item
          key="status-plan"
          title={`Plan source: ${sourceLabel(plan.source)}`}
          subtitle={
            `Updated ${formatRelative(plan.updatedAt, now)}${planStale ? " · stale" : ""}` +
            (report.planPending ? " · asking the platform…" : "")
          }
          tooltip={
            report.planPending ? "The platform's last answer, shown while this refresh waits for a new one" : undefined
          }
          icon={planStale ? { source: Icon.Warning, tintColor: Color.Yellow } : Icon.Clock}
          onAction={() => copy(plan.updatedAt)}
        />
      ) : report.planPending ? (
        <MenuBarExtra.Item key="status-plan-pending" title="Asking the MiMo platform…" icon={Icon.Hourglass} />
      ) : null}
      {report.planError?.kind === "noCookie" ? (
        <MenuBarExtra.Item
          key="status-connect"
          title="Connect MiMo Platform…"
          tooltip="Paste your platform.xiaomimimo.com cookie in preferences to see plan quota and balance"
          icon={Icon.Link}
          onAction={openExtensionPreferences}
        />
      ) : null}
      <AccountHint report={report} />
      {report.problems.map((problem, i) => (
        <ProblemItem key={`problem-${i}`} problem={problem} onRefresh={onRefresh} />
      ))}
    </MenuBarExtra.Section>
  );
}

function ProblemItem({ problem, onRefresh }: { problem: Problem; onRefresh: () => void }) {
  const onAction =
    problem.action === "openPreferences"
      ? openExtensionPreferences
      : problem.action === "openPlatform"
        ? () => open(LOGIN_URL)
        : problem.action === "retry"
          ? onRefresh
          : () => copy(problem.detail ?? problem.title);
  return (
    <MenuBarExtra.Item
      title={problem.title}
      tooltip={problem.detail}
      icon={{ source: Icon.Warning, tintColor: Color.Orange }}
      onAction={onAction}
    />
  );
}
