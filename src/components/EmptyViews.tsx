import { Action, ActionPanel, Icon, List, openExtensionPreferences } from "@raycast/api";
import type { UsageReport } from "../core/chain/report-schema";
import { emptyViewTitle } from "../core/chain/failures";
import { configFolderList, noConfigFolder } from "../core/views/roots";
import { RefreshAction } from "./RefreshAction";

/** What every empty list offers: the preferences and a refresh. */
export function EmptyActions({ onRefresh }: { onRefresh: () => void }) {
  return (
    <ActionPanel>
      <Action title="Open Extension Preferences" icon={Icon.Gear} onAction={openExtensionPreferences} />
      <RefreshAction onRefresh={onRefresh} />
    </ActionPanel>
  );
}

/**
 * The empty view of a list whose report cannot be shown at all: the scan failed with nothing saved,
 * or no configured folder exists. Null when the report is fine and the list decides its own words.
 */
export function problemEmptyView({ report, onRefresh }: { report: UsageReport | undefined; onRefresh: () => void }) {
  const snapshot = report?.local?.snapshot;
  if (!snapshot) {
    return (
      <List.EmptyView
        icon={Icon.Warning}
        title={emptyViewTitle("scanFailed")}
        description={report?.localError?.message ?? "The transcripts could not be read."}
        actions={<EmptyActions onRefresh={onRefresh} />}
      />
    );
  }
  if (noConfigFolder(snapshot)) {
    return (
      <List.EmptyView
        icon={Icon.Folder}
        title={emptyViewTitle("noConfigFolder")}
        description={`No projects/ folder in ${configFolderList(snapshot)}. Set your MiMo Claude config folder in preferences.`}
        actions={<EmptyActions onRefresh={onRefresh} />}
      />
    );
  }
  return null;
}
