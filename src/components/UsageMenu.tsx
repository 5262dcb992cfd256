import {
  Clipboard,
  Color,
  Icon,
  Keyboard,
  LaunchType,
  MenuBarExtra,
  launchCommand,
  open,
  openExtensionPreferences,
  showHUD,
  type Image,
} from "@raycast/api";
import { getProgressIcon } from "@raycast/utils";
import type { ReactNode } from "react";
import {
  formatCost,
  formatDateTime,
  formatFull,
  formatPercent,
  formatRelative,
  formatTokens,
  plural,
} from "../core/format";
import { describePace } from "../core/platform/pace";
import { LOGIN_URL } from "../core/platform/client";
import type { PlanSection, Problem, UsageReport } from "../core/chain/report-schema";
import type { WindowTotals } from "../core/views/schema";
import { progressText, type ScanProgress } from "../core/scan/progress";
import { isStale } from "../core/chain/report";
import {
  menuBarTitle,
  planPaceOf,
  planQuota,
  sourceLabel,
  summaryText,
  type MenuBarFigure,
} from "../core/chain/summary";

export interface UsageMenuProps {
  report: UsageReport | undefined;
  isLoading: boolean;
  figure: MenuBarFigure;
  /** Tokens the user allows per week (a preference), or null. */
  weeklyBudget: number | null;
  refreshIntervalMs: number;
  now: Date;
  onRefresh: () => void;
  /** How far a long scan has read, shown instead of the figure until it ends. */
  progress?: ScanProgress | null;
}

const TEMPLATE_ICON: Image.ImageLike = { source: "menu-bar-icon.png", tintColor: Color.PrimaryText };

/** Informational rows copy their figure, so macOS draws them enabled instead of dimmed. */
async function copy(text: string, hud = `Copied ${text}`): Promise<void> {
  await Clipboard.copy(text);
  await showHUD(hud);
}

export function UsageMenu(props: UsageMenuProps) {
  const { report, isLoading, figure, now } = props;
  const ring = report ? ringFraction(report, props.weeklyBudget) : null;
  const icon = ring === null ? TEMPLATE_ICON : getProgressIcon(Math.min(1, ring), Color.PrimaryText);
  return (
    <MenuBarExtra
      icon={icon}
      title={props.progress ? progressText(props.progress) : menuBarTitle(report, figure)}
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
        <MenuBarExtra.Item
          title="Open Sessions"
          icon={Icon.List}
          onAction={() => launchCommand({ name: "sessions", type: LaunchType.UserInitiated })}
        />
        <MenuBarExtra.Item title="Open MiMo Platform" icon={Icon.Globe} onAction={() => open(LOGIN_URL)} />
        {report ? (
          <MenuBarExtra.Item
            title="Copy Summary"
            icon={Icon.CopyClipboard}
            shortcut={Keyboard.Shortcut.Common.Copy}
            onAction={() => copy(summaryText(report, now), "Copied MiMo usage summary").catch(() => undefined)}
          />
        ) : null}
        <MenuBarExtra.Item title="Preferences…" icon={Icon.Gear} onAction={openExtensionPreferences} />
      </MenuBarExtra.Section>
    </MenuBarExtra>
  );
}

/** The plan quota when the platform told us one, else this week's share of the user's budget. */
function ringFraction(report: UsageReport, weeklyBudget: number | null): number | null {
  const quota = planQuota(report);
  if (quota) return quota.fraction;
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
  return (
    <>
      {report.plan ? <PlanItems plan={report.plan} report={report} now={now} /> : null}
      {snapshot ? (
        <>
          <WindowItems id="today" title={`Today · ${snapshot.windows.today}`} totals={snapshot.today} />
          <WindowItems id="week" title={`This Week · since ${snapshot.windows.weekFrom}`} totals={snapshot.week}>
            {props.weeklyBudget ? <BudgetItem used={snapshot.week.total} budget={props.weeklyBudget} /> : null}
          </WindowItems>
          <WindowItems
            id="lifetime"
            title={`Lifetime${snapshot.windows.lifetimeFrom ? ` · since ${snapshot.windows.lifetimeFrom}` : ""}`}
            totals={snapshot.lifetime}
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
        </>
      ) : null}
      <StatusItems {...props} />
    </>
  );
}

function PlanItems({ plan, report, now }: { plan: PlanSection; report: UsageReport; now: Date }) {
  const data = plan.data;
  const quota = planQuota(report);
  const pace = planPaceOf(report, now);
  const periodEnd = data.plan?.periodEnd;
  return (
    <MenuBarExtra.Section title={`Plan${data.plan ? ` · ${data.plan.code}` : ""}`}>
      {quota ? (
        <MenuBarExtra.Item
          key="plan-used"
          title="Used"
          subtitle={`${formatTokens(quota.used)} / ${formatTokens(quota.limit)} (${formatPercent(quota.fraction)})`}
          tooltip={`${formatFull(quota.used)} of ${formatFull(quota.limit)} tokens`}
          icon={getProgressIcon(Math.min(1, quota.fraction), Color.Orange)}
          onAction={() => copy(formatPercent(quota.fraction))}
        />
      ) : null}
      {pace ? (
        <MenuBarExtra.Item
          key="plan-pace"
          title="Pace"
          subtitle={
            describePace(pace) +
            (pace.runsOutAt ? ` · runs out ${formatDateTime(pace.runsOutAt, report.local?.snapshot.timeZone)}` : "")
          }
          tooltip={`Even pace: ${formatPercent(pace.expectedFraction)} of the quota by now; the run-out date uses the last 7 days' local rate`}
          icon={pace.delta > 0 ? Icon.Bolt : Icon.Gauge}
          onAction={() => copy(describePace(pace))}
        />
      ) : null}
      {periodEnd ? (
        <MenuBarExtra.Item
          key="plan-reset"
          title="Resets"
          subtitle={`${formatDateTime(periodEnd, report.local?.snapshot.timeZone)} (${formatRelative(periodEnd, now)})`}
          icon={Icon.Calendar}
          onAction={() => copy(periodEnd)}
        />
      ) : null}
      <MenuBarExtra.Item
        key="plan-balance"
        title="Balance"
        subtitle={`${data.balance.amount.toFixed(2)} ${data.balance.currency}`}
        icon={Icon.Wallet}
        onAction={() => copy(`${data.balance.amount.toFixed(2)} ${data.balance.currency}`)}
      />
    </MenuBarExtra.Section>
  );
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

function WindowItems(props: { id: string; title: string; totals: WindowTotals; children?: ReactNode }) {
  const { id, title, totals } = props;
  const label = title.split(" · ")[0];
  return (
    <MenuBarExtra.Section title={title}>
      <MenuBarExtra.Item
        key={`${id}-total`}
        title="Total"
        subtitle={`${formatTokens(totals.total)} tokens`}
        tooltip={`${label}: ${formatFull(totals.total)} tokens`}
        icon={Icon.BarChart}
        onAction={() => copy(formatFull(totals.total))}
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
        key={`${id}-cost`}
        title="Est. cost"
        subtitle={formatCost(totals.cost)}
        tooltip={
          totals.cost?.partial
            ? `${label}: some models have no known price; this is a lower bound`
            : `${label}: at MiMo API list prices`
        }
        icon={Icon.Coins}
        onAction={() => copy(formatCost(totals.cost))}
      />
      {props.children}
    </MenuBarExtra.Section>
  );
}

function StatusItems({ report, now, refreshIntervalMs }: UsageMenuProps & { report: UsageReport }) {
  const local = report.local;
  const plan = report.plan;
  const localStale = local ? isStale(local.source, local.updatedAt, now, refreshIntervalMs) : false;
  const planStale = plan ? isStale(plan.source, plan.updatedAt, now, refreshIntervalMs) : false;
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
          subtitle={`Updated ${formatRelative(plan.updatedAt, now)}${planStale ? " · stale" : ""}`}
          icon={planStale ? { source: Icon.Warning, tintColor: Color.Yellow } : Icon.Clock}
          onAction={() => copy(plan.updatedAt)}
        />
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
      {report.problems.map((problem, i) => (
        <ProblemItem key={`problem-${i}`} problem={problem} />
      ))}
    </MenuBarExtra.Section>
  );
}

function ProblemItem({ problem }: { problem: Problem }) {
  const onAction =
    problem.action === "openPreferences"
      ? openExtensionPreferences
      : problem.action === "openPlatform"
        ? () => open(LOGIN_URL)
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
