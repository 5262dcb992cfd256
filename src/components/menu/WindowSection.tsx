import { Color, Icon, MenuBarExtra, type Image } from "@raycast/api";
import { getProgressIcon } from "@raycast/utils";
import { formatCost, formatCreditFigures, formatFull, formatPercent, formatTokens, plural } from "../../core/format";
import { costOf } from "../../core/rates";
import type { WindowTotals } from "../../core/views/schema";
import type { MenuWindow } from "../../hooks/useMenuSections";
import { AccountItems } from "./AccountItems";
import { AllDevicesItem } from "./DevicesSection";
import { copy } from "./menu-actions";

const BUCKETS: { key: keyof WindowTotals; label: string; icon: Image.ImageLike }[] = [
  { key: "input", label: "Input", icon: Icon.Upload },
  { key: "output", label: "Output", icon: Icon.Download },
  { key: "cacheRead", label: "Cache read", icon: Icon.HardDrive },
  { key: "cacheWrite", label: "Cache write", icon: Icon.Cloud },
];

/**
 * One window (Today, This Week, Lifetime) as one row: its Total, whose submenu holds the four buckets,
 * messages and cost. Holding ⌥ in the submenu shows each figure's exact digits. Beside it: all
 * devices, the split by client, the weekly budget, the whole account and usage kept from deleted
 * transcripts, each when the window has it.
 */
export function WindowSection({ window, timeZone }: { window: MenuWindow; timeZone: string }) {
  const { id, title, totals, split, allDevices } = window;
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
        <AllDevicesItem id={id} label={label} figures={allDevices} besideAccount={window.account !== null} />
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
      {window.budget ? <BudgetItem {...window.budget} /> : null}
      {window.account ? <AccountItems id={id} answer={window.account} timeZone={timeZone} /> : null}
      {window.vanished ? <VanishedItem {...window.vanished} /> : null}
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

function VanishedItem({ total, files }: { total: number; files: number }) {
  return (
    <MenuBarExtra.Item
      title="Kept from deleted transcripts"
      subtitle={`${formatTokens(total)} · ${plural(files, "file")}`}
      tooltip={`${formatFull(total)} tokens of lifetime come from transcripts Claude Code has since deleted`}
      icon={Icon.Box}
      onAction={() => copy(formatFull(total))}
    />
  );
}
