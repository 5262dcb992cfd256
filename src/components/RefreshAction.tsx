import { Action, Icon, Keyboard } from "@raycast/api";

/** ⌘R everywhere in the list: on every session and in every empty state. */
export function RefreshAction({ onRefresh }: { onRefresh: () => void }) {
  return (
    <Action
      title="Refresh"
      icon={Icon.ArrowClockwise}
      shortcut={Keyboard.Shortcut.Common.Refresh}
      onAction={onRefresh}
    />
  );
}
