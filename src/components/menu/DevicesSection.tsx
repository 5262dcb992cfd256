import { Color, Icon, MenuBarExtra } from "@raycast/api";
import { formatCreditFigures, formatDateTime, formatFull, formatRelative, formatTokens } from "../../core/format";
import type { UsageFigures } from "../../core/views/range-totals";
import type { MenuDevices } from "../../hooks/useMenuSections";
import { copy } from "./menu-actions";

/**
 * The Devices submenu: every device that publishes to the sync folder, this Mac first, each with its
 * today, its week and when it last published; a device silent for more than a day is marked stale.
 */
export function DevicesSection({ devices, timeZone, now }: { devices: MenuDevices; timeZone: string; now: Date }) {
  const { today, week } = devices;
  return (
    <MenuBarExtra.Section title="Devices">
      <MenuBarExtra.Submenu key="devices" title={`Devices · ${today.devices.length}`} icon={Icon.Monitor}>
        {today.devices.map((device, i) => {
          const updated = device.thisDevice ? "this Mac" : `updated ${formatRelative(device.updatedAt, now)}`;
          const line = `today ${formatTokens(device.total)} · week ${formatTokens(week.devices[i].total)} · ${updated}${device.stale ? " · stale" : ""}`;
          return (
            <MenuBarExtra.Item
              key={`device-${device.id}`}
              title={device.name}
              subtitle={line}
              tooltip={`${device.name}: this week ${formatFull(week.devices[i].total)} tokens, ${formatCreditFigures(week.devices[i])}; last update ${formatDateTime(device.updatedAt, timeZone)}${device.stale ? " (more than a day ago)" : ""}`}
              icon={
                device.stale
                  ? { source: Icon.Warning, tintColor: Color.Yellow }
                  : device.thisDevice
                    ? Icon.Monitor
                    : Icon.Devices
              }
              onAction={() => copy(`${device.name}: ${line}`)}
            />
          );
        })}
      </MenuBarExtra.Submenu>
    </MenuBarExtra.Section>
  );
}

/**
 * The synced devices' total for a window. Beside the platform's own "All devices" row (the whole
 * account), it is named "Synced devices", so the two totals are never read as one.
 */
export function AllDevicesItem(props: { id: string; label: string; figures: UsageFigures; besideAccount: boolean }) {
  const { id, label, figures } = props;
  const text = `${formatTokens(figures.total)} tokens · ${formatCreditFigures(figures)}`;
  return (
    <MenuBarExtra.Item
      key={`${id}-all-devices`}
      title={props.besideAccount ? "Synced devices" : "All devices"}
      subtitle={text}
      tooltip={`${label}, all devices: ${formatFull(figures.total)} tokens, ${formatFull(figures.credits)} Credits`}
      icon={Icon.Devices}
      onAction={() => copy(formatFull(figures.total))}
    />
  );
}
