import { useCachedState } from "@raycast/utils";
import { useCallback } from "react";
import type { ChartUnit } from "../core/views/chart-frame";

/**
 * The unit the charts are drawn in, tokens or Credits, kept in the extension's cache so the history
 * and the session list follow one choice and it survives closing Raycast. What the cache gives back
 * is read as Credits only when it says so exactly: anything else (nothing, an older value) is tokens.
 */
export function useChartUnit(): { unit: ChartUnit; toggleUnit: () => void } {
  const [stored, setStored] = useCachedState<string>("chart-unit", "tokens");
  const unit: ChartUnit = stored === "credits" ? "credits" : "tokens";
  const toggleUnit = useCallback(() => setStored(unit === "credits" ? "tokens" : "credits"), [unit, setStored]);
  return { unit, toggleUnit };
}
