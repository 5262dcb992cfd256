import { Color, MenuBarExtra, type Image } from "@raycast/api";
import { getProgressIcon } from "@raycast/utils";
import { useMenuSections, type MenuInput } from "../../hooks/useMenuSections";
import { ActionsSection } from "./ActionsSection";
import { AlertSection } from "./AlertSection";
import { DevicesSection } from "./DevicesSection";
import { PlanSection } from "./PlanSection";
import { LoadingOrSetup, SetupSection } from "./SetupSection";
import { StatusSection } from "./StatusSection";
import { WindowSection } from "./WindowSection";

export interface UsageMenuProps extends MenuInput {
  isLoading: boolean;
  onRefresh: () => void;
}

const TEMPLATE_ICON: Image.ImageLike = { source: "menu-bar-icon.png", tintColor: Color.PrimaryText };

/** The menu bar extra: its sections in order, each shaped by `useMenuSections`. */
export function UsageMenu(props: UsageMenuProps) {
  const { report, isLoading, now, onRefresh } = props;
  const sections = useMenuSections(props);
  const icon = sections.ring === null ? TEMPLATE_ICON : getProgressIcon(Math.min(1, sections.ring), Color.PrimaryText);
  const { timeZone } = sections;
  return (
    <MenuBarExtra icon={icon} title={sections.title} tooltip={sections.tooltip} isLoading={isLoading}>
      {report ? (
        <>
          {sections.plan ? (
            <PlanSection plan={sections.plan} timeZone={timeZone} planError={report.planError?.message} now={now} />
          ) : null}
          {sections.setup ? <SetupSection roots={sections.setup} /> : null}
          {timeZone
            ? sections.windows.map((window) => <WindowSection key={window.id} window={window} timeZone={timeZone} />)
            : null}
          {sections.devices && timeZone ? (
            <DevicesSection devices={sections.devices} timeZone={timeZone} now={now} />
          ) : null}
          {sections.alerts ? <AlertSection alerts={sections.alerts} /> : null}
          {sections.status ? (
            <StatusSection status={sections.status} timeZone={timeZone} now={now} onRefresh={onRefresh} />
          ) : null}
        </>
      ) : (
        <LoadingOrSetup isLoading={isLoading} />
      )}
      <ActionsSection report={report} now={now} onRefresh={onRefresh} />
    </MenuBarExtra>
  );
}
