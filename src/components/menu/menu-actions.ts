import { Clipboard, LaunchType, launchCommand, showHUD } from "@raycast/api";

/**
 * What a menu row does when clicked. Menu bar actions have no toast to fall back on and an
 * unhandled rejection would only be logged, so these never throw: a failure is said in a HUD.
 */

/** Informational rows copy their figure, so macOS draws them enabled instead of dimmed. */
export async function copy(text: string, hud = `Copied ${text}`): Promise<void> {
  try {
    await Clipboard.copy(text);
  } catch {
    await showHUD("Could not copy to the clipboard").catch(() => undefined);
    return;
  }
  await showHUD(hud).catch(() => undefined);
}

/** The extension's own commands, by manifest name, as people know them. */
const COMMAND_TITLES = { sessions: "MiMo Sessions", history: "MiMo Usage History" } as const;

/** Opens another command of the extension; a disabled command gets a word instead of silence. */
export async function openCommand(name: keyof typeof COMMAND_TITLES): Promise<void> {
  try {
    await launchCommand({ name, type: LaunchType.UserInitiated });
  } catch {
    await showHUD(`Could not open ${COMMAND_TITLES[name]}: is the command enabled in Raycast?`).catch(() => undefined);
  }
}
