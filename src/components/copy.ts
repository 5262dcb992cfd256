import { Clipboard, showHUD } from "@raycast/api";

/** Informational rows copy their figure, so macOS draws them enabled instead of dimmed. */
export async function copy(text: string, hud = `Copied ${text}`): Promise<void> {
  await Clipboard.copy(text);
  await showHUD(hud);
}
