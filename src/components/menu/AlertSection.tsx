import { Color, Icon, MenuBarExtra, openExtensionPreferences } from "@raycast/api";
import { formatPercent } from "../../core/format";
import { describeNextThreshold, gaugeExact } from "../../core/query/alerts";
import type { MenuAlerts } from "../../hooks/useMenuSections";
import { copy } from "./menu-actions";

/** The next alert threshold of the plan and of the weekly budget, and when the pace so far reaches it. */
export function AlertSection({ alerts }: { alerts: MenuAlerts }) {
  if (alerts.kind === "invalid") {
    return (
      <MenuBarExtra.Section title="Alerts">
        <MenuBarExtra.Item
          key="alerts-invalid"
          title="Alert Thresholds not understood"
          tooltip={alerts.message}
          icon={{ source: Icon.Warning, tintColor: Color.Orange }}
          onAction={openExtensionPreferences}
        />
      </MenuBarExtra.Section>
    );
  }
  return (
    <MenuBarExtra.Section title="Alerts">
      {alerts.next.map((item) => (
        <MenuBarExtra.Item
          key={`alerts-${item.gauge.kind}`}
          title={`Next alert · ${describeNextThreshold(item)}`}
          tooltip={`${formatPercent(item.gauge.fraction)} used now: ${gaugeExact(item.gauge)}`}
          icon={Icon.Bell}
          onAction={() => copy(describeNextThreshold(item))}
        />
      ))}
    </MenuBarExtra.Section>
  );
}
