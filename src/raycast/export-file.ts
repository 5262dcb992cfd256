import { showHUD, showToast, Toast } from "@raycast/api";
import { promises as fs } from "node:fs";
import path from "node:path";

/**
 * Exports a screen hands over as text, written where the user asked (the Downloads folder in
 * Raycast, a temporary folder in tests). The file is always new: the folder is the user's, so a
 * file already there, ours or not, is never replaced.
 */

/**
 * Writes the text as a new file in the folder. When the name is taken, " (2)", " (3)"… is added
 * before the extension instead; the `wx` flag makes the check and the write one step.
 */
export async function writeNewFile(folder: string, name: string, text: string): Promise<string> {
  const { name: stem, ext } = path.parse(name);
  for (let copy = 1; ; copy++) {
    const file = path.join(folder, copy === 1 ? name : `${stem} (${copy})${ext}`);
    try {
      await fs.writeFile(file, text, { flag: "wx" });
      return file;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST" || copy >= 999) throw error;
    }
  }
}

/** Writes the export and says where in a HUD, or why not in a toast; never throws. */
export async function exportToFolder(folder: string, name: string, text: string, what: string): Promise<void> {
  try {
    await fs.mkdir(folder, { recursive: true });
    const file = await writeNewFile(folder, name, text);
    await showHUD(`Exported ${path.basename(file)} to ${path.basename(folder)}`);
  } catch (error) {
    await showToast({
      style: Toast.Style.Failure,
      title: `Could not export ${what}`,
      message: error instanceof Error ? error.message : String(error),
    });
  }
}
