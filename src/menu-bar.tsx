import { MenuBarExtra, openExtensionPreferences } from "@raycast/api";

export default function Command() {
  return (
    <MenuBarExtra icon="menu-bar-icon.png" tooltip="MiMo Usage">
      <MenuBarExtra.Item title="MiMo Usage is not set up yet" />
      <MenuBarExtra.Item title="Preferences…" onAction={openExtensionPreferences} />
    </MenuBarExtra>
  );
}
