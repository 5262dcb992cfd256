import { formatFull } from "../format";

/** How far a refresh has read: files counted so far out of the files it has to read. */
export interface ScanProgress {
  filesRead: number;
  filesTotal: number;
}

/** "Scanning 312 of 1,296 files", for the menu bar while a long cold scan runs. */
export function progressText(progress: ScanProgress): string {
  return `Scanning ${formatFull(progress.filesRead)} of ${formatFull(progress.filesTotal)} files`;
}
