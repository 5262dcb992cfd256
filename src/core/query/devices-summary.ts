import { devicesInPeriod, hasOtherDevices, windowPeriod } from "../devices/view";
import { formatCreditFigures, formatTokens } from "../format";
import type { UsageReport } from "../chain/report-schema";

/**
 * The clipboard summary's line for the devices that publish to the sync folder: all devices' today
 * and this week, each with every device's share (this one first, a silent one marked stale), or
 * null when no other device publishes. Written like the summary's window lines.
 */
export function devicesSummaryLine(report: UsageReport): string | null {
  const { local, devices } = report;
  if (!local || !hasOtherDevices(devices)) return null;
  const part = (label: string, window: "today" | "week") => {
    const period = devicesInPeriod(devices, local, windowPeriod(local.snapshot, window));
    const all = period.allDevices;
    const each = period.devices.map(
      (d) => `${d.name}${d.thisDevice ? " (this Mac)" : d.stale ? " (stale)" : ""} ${formatTokens(d.total)}`,
    );
    return `${label} ${formatTokens(all.total)} tokens, ${formatCreditFigures(all)} (${each.join(" · ")})`;
  };
  return `All devices: ${part("today", "today")}; ${part("this week", "week")}`;
}
