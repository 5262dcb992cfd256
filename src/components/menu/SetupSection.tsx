import { Icon, MenuBarExtra, openExtensionPreferences } from "@raycast/api";
import { DEFAULT_MIMO_DIR } from "../../core/settings";
import type { RootReport } from "../../core/views/schema";
import { copy } from "./menu-actions";

/** Before the first report: reading, or nothing configured to read. */
export function LoadingOrSetup({ isLoading }: { isLoading: boolean }) {
  if (isLoading) return <MenuBarExtra.Item title="Reading MiMo usage…" icon={Icon.Hourglass} />;
  return (
    <MenuBarExtra.Item
      title="Set up MiMo Usage in Preferences…"
      icon={Icon.Warning}
      onAction={openExtensionPreferences}
    />
  );
}

/** No transcripts folder at all: what is expected and how to get there, instead of three windows of zeros. */
export function SetupSection({ roots }: { roots: RootReport[] }) {
  const expected = roots.find((root) => root.kind === "dedicated") ?? roots[0];
  const folder = expected?.path ?? DEFAULT_MIMO_DIR;
  const wrapper = `CLAUDE_CONFIG_DIR="${folder}" claude`;
  return (
    <MenuBarExtra.Section title="Set up">
      <MenuBarExtra.Item
        key="setup-folder"
        title="No MiMo transcripts folder yet"
        subtitle={folder}
        tooltip={`MiMo Usage reads Claude Code transcripts from ${folder}/projects. Copies the folder.`}
        icon={Icon.Folder}
        onAction={() => copy(folder)}
      />
      <MenuBarExtra.Item
        key="setup-preferences"
        title="Choose the Folder in Preferences…"
        icon={Icon.Gear}
        onAction={openExtensionPreferences}
      />
      <MenuBarExtra.Item
        key="setup-wrapper"
        title="Copy the MiMo Wrapper Line"
        tooltip={`Run Claude Code for MiMo with ${wrapper} (or export CLAUDE_CONFIG_DIR in your wrapper) so its transcripts land there`}
        icon={Icon.Terminal}
        onAction={() => copy(wrapper, "Copied the wrapper line")}
      />
    </MenuBarExtra.Section>
  );
}
