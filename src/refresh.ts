import { showHUD } from "@raycast/api";

export default async function Command() {
  await showHUD("MiMo Usage: nothing to refresh yet");
}
