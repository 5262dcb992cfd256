import { Color, Icon, MenuBarExtra, open, openExtensionPreferences } from "@raycast/api";
import { formatDateTime, formatRelative } from "../../core/format";
import { LOGIN_URL } from "../../core/platform/base-url";
import type { Problem } from "../../core/chain/report-schema";
import type { ReportStatus } from "../../core/query/status";
import { sourceLabel } from "../../core/query/summary";
import { AccountHint } from "./AccountItems";
import { copy } from "./menu-actions";

/** Where each part of the report came from and when, then what needs the user. */
export function StatusSection(props: {
  status: ReportStatus;
  timeZone: string | undefined;
  now: Date;
  onRefresh: () => void;
}) {
  const { status, timeZone, now, onRefresh } = props;
  const { local, plan } = status;
  return (
    <MenuBarExtra.Section title="Status">
      {local ? (
        <MenuBarExtra.Item
          key="status-local"
          title={`Source: ${sourceLabel(local.source)}`}
          subtitle={`Updated ${formatRelative(local.updatedAt, now)}${local.stale ? " · stale" : ""}`}
          tooltip={`Usage data from ${formatDateTime(local.updatedAt, timeZone)}`}
          icon={local.stale ? { source: Icon.Warning, tintColor: Color.Yellow } : Icon.Clock}
          onAction={() => copy(local.updatedAt)}
        />
      ) : null}
      {plan ? (
        <MenuBarExtra.Item
          key="status-plan"
          title={`Plan source: ${sourceLabel(plan.source)}`}
          subtitle={
            `Updated ${formatRelative(plan.updatedAt, now)}${plan.stale ? " · stale" : ""}` +
            (status.planPending ? " · asking the platform…" : "")
          }
          tooltip={
            status.planPending ? "The platform's last answer, shown while this refresh waits for a new one" : undefined
          }
          icon={plan.stale ? { source: Icon.Warning, tintColor: Color.Yellow } : Icon.Clock}
          onAction={() => copy(plan.updatedAt)}
        />
      ) : status.planPending ? (
        <MenuBarExtra.Item key="status-plan-pending" title="Asking the MiMo platform…" icon={Icon.Hourglass} />
      ) : null}
      {status.noCookie ? (
        <MenuBarExtra.Item
          key="status-connect"
          title="Connect MiMo Platform…"
          tooltip="Paste your platform.xiaomimimo.com cookie in preferences to see plan quota and balance"
          icon={Icon.Link}
          onAction={openExtensionPreferences}
        />
      ) : null}
      {status.accountNeedsPhone ? <AccountHint /> : null}
      {status.problems.map((problem, i) => (
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
