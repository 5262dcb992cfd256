import { Icon, Keyboard, MenuBarExtra, open, openExtensionPreferences } from "@raycast/api";
import { LOGIN_URL } from "../../core/platform/base-url";
import type { UsageReport } from "../../core/chain/report-schema";
import { summaryText } from "../../core/query/summary";
import { copy, openCommand } from "./menu-actions";

/** The menu's last section: refresh, the other commands, the platform, the summary and preferences. */
export function ActionsSection({
  report,
  now,
  onRefresh,
}: {
  report: UsageReport | undefined;
  now: Date;
  onRefresh: () => void;
}) {
  return (
    <MenuBarExtra.Section>
      <MenuBarExtra.Item
        title="Refresh"
        icon={Icon.ArrowClockwise}
        shortcut={Keyboard.Shortcut.Common.Refresh}
        onAction={onRefresh}
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
  );
}
