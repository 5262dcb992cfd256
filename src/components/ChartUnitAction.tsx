import { Action, Icon } from "@raycast/api";
import type { ChartUnit } from "../core/views/chart-frame";

/** Switches the detail pane's chart between tokens and Credits (⌘U, for unit). */
export function ChartUnitAction({ unit, onToggle }: { unit: ChartUnit; onToggle: () => void }) {
  return (
    <Action
      title={unit === "tokens" ? "Chart in Credits" : "Chart in Tokens"}
      icon={unit === "tokens" ? Icon.Coins : Icon.Hashtag}
      shortcut={{ modifiers: ["cmd"], key: "u" }}
      onAction={onToggle}
    />
  );
}
