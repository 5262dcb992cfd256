import { formatDateTime, formatTokens } from "../core/format";
import type { DevicesSection } from "../core/devices/schema";
import { devicesByWindow, figuresOf } from "../core/query/period";
import type { Snapshot } from "../core/views/schema";
import type { UsageFigures } from "../core/views/range-totals";

/**
 * `--sync-folder`: every device's figures beside this one's, in --json and in the summary. Loaded
 * only with that flag, so the scan without it never evaluates the digest's schemas.
 */

export { loadDevicesSection } from "../core/devices/section";
export { devicesProblems } from "../core/chain/devices-problems";

/** Each device's today, week and lifetime, and all devices', beside the snapshot in --json. */
export function devicesJson(section: DevicesSection, snapshot: Snapshot) {
  const periods = Object.entries(devicesByWindow(section, { snapshot, updatedAt: snapshot.updatedAt }));
  const [today] = periods;
  return {
    sync: {
      folder: section.syncFolder,
      available: section.available,
      publishedAt: section.published.at,
      skipped: section.skipped,
    },
    devices: today[1].devices.map((device, i) => ({
      id: device.id,
      name: device.name,
      thisDevice: device.thisDevice,
      updatedAt: device.updatedAt,
      stale: device.stale,
      ...Object.fromEntries(periods.map(([window, period]) => [window, figuresOf(period.devices[i])])),
    })),
    allDevices: Object.fromEntries(periods.map(([window, period]) => [window, figuresOf(period.allDevices)])),
  };
}

export function devicesSummary(section: DevicesSection, snapshot: Snapshot): string {
  if (!section.available) return `Sync folder ${section.syncFolder} is not there: figures are this device's only.`;
  const { today, week, lifetime } = devicesByWindow(section, { snapshot, updatedAt: snapshot.updatedAt });
  const line = (name: string, figures: UsageFigures[], note: string) =>
    `${name.slice(0, 24).padEnd(26)}${figures.map((t) => formatTokens(t.total).padStart(10)).join("")}  ${note}`;
  return [
    `${"By device".padEnd(26)}${["Today", "Week", "Lifetime"].map((h) => h.padStart(10)).join("")}`,
    ...today.devices.map((device, i) =>
      line(
        device.name,
        [device, week.devices[i], lifetime.devices[i]],
        device.thisDevice
          ? "this device"
          : `updated ${formatDateTime(device.updatedAt, snapshot.timeZone)}${device.stale ? " (stale)" : ""}`,
      ),
    ),
    line("All devices", [today.allDevices, week.allDevices, lifetime.allDevices], ""),
    `Published to ${section.syncFolder}: ${section.published.written ? "written now" : section.published.at ? `unchanged since ${formatDateTime(section.published.at, snapshot.timeZone)}` : "not written"}`,
  ].join("\n");
}
