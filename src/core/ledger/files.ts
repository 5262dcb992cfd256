import type { DiscoveredFile } from "../scan/claude/discover";
import { endsHashOf, type ScanJob } from "../scan/claude/read-file";
import type { ScanOutcome } from "../scan/pool";
import { applyFileScan } from "./apply";
import { newFileEntry, type FileEntry, type UsageState } from "./state";
import type { LoadResult } from "./state-file";

/**
 * The ledger's book of transcript files for one refresh: which files to read and from where, what
 * each read adds to its file's entry, which files are gone, and what the files read passed over.
 * A refresh keeps one book per state; if the saved state turns out damaged it starts a new one.
 */

export interface PlannedRead {
  /** The file's entry in the state. */
  index: number;
  file: DiscoveredFile;
  job: ScanJob;
  bytes: number;
}

export interface BookOptions {
  /** Nothing keeps this refresh's state, so reads need no ends hash. */
  headless: boolean;
  /** The system's clock, which file times are in (not the injected `now` the figures are dated by). */
  wallClock: number;
}

/**
 * A file that grew is read on from its offset once the bytes at both ends of what was read are
 * found unchanged (see canContinue); a file rewritten in the middle with both ends kept would still
 * pass. So once a day every file changed since the last such check (by its ctime, which no tool can
 * put back) is read again from the start: de-duplication keeps what was counted from counting twice.
 * It costs one read of the day's transcripts a day.
 */
const FULL_CHECK_MS = 24 * 60 * 60 * 1000;
/** File system clocks tick coarsely: a change this close before a check may carry an older time. */
const CTIME_SLACK_MS = 2000;
/** Real transcripts hold a response every 3 to 5 kB (tool output is most of their bytes). */
const BYTES_PER_RESPONSE = 4096;

export class FileBook {
  filesRead = 0;
  bytesRead = 0;
  /** Files that could not be read this time; they keep their entries and are tried again. */
  unreadable = 0;

  constructor(
    readonly state: UsageState,
    readonly options: BookOptions,
    /** Whether the state differs from its file, so is worth saving. */
    public changed = false,
  ) {}

  /** Brings each discovered file's entry up to date and says what, if anything, to read of it. */
  plan(files: DiscoveredFile[]): PlannedRead[] {
    const checkFrom = this.startCheck();
    const reads: PlannedRead[] = [];
    for (const file of files) {
      const read = this.planRead(file, checkFrom);
      if (read) reads.push(read);
    }
    return reads;
  }

  /**
   * Counts a file's read into the state and moves its entry on to where the read ended. A file that
   * could not be read counts nothing this time and keeps its entry, so the next refresh tries again.
   */
  count(read: PlannedRead, outcome: ScanOutcome): void {
    if (!outcome.ok) {
      this.unreadable++;
      return;
    }
    const { file } = read;
    const { scan } = outcome;
    const entry = this.state.files[read.index];
    for (const [reason, n] of Object.entries(scan.skipped)) entry.skipped[reason] = (entry.skipped[reason] ?? 0) + n;
    applyFileScan(this.state, read.index, scan);
    const { dev, ino, size, mtimeMs, ctimeMs } = file;
    Object.assign(entry, { dev, ino, size, mtimeMs, ctimeMs, offset: scan.end });
    entry.ends = scan.ends;
    this.filesRead++;
    this.bytesRead += scan.bytesRead;
    this.changed = true;
  }

  /** Marks each entry gone or back by whether its path is present now. */
  markPresent(present: Set<string>): void {
    for (const entry of this.state.files) {
      if (present.has(entry.path) === entry.gone) {
        entry.gone = !entry.gone;
        this.changed = true;
      }
    }
  }

  /**
   * Skip counts of the files read under their paths now (a deleted file's broken lines are no longer
   * there, and a path that reaches a file read under another one would count its lines twice).
   */
  skippedTotals(present: Set<string>, unreadableFolders: number): Record<string, number> {
    const totals: Record<string, number> = {};
    for (const file of this.state.files) {
      if (!present.has(file.path)) continue;
      // for…in: nearly every file has no skips, and Object.entries would allocate for each.
      for (const reason in file.skipped) totals[reason] = (totals[reason] ?? 0) + file.skipped[reason];
    }
    if (this.unreadable) totals.unreadable = this.unreadable;
    if (unreadableFolders) totals.unreadableFolder = unreadableFolders;
    return totals;
  }

  /** Where this refresh's full check starts (see FULL_CHECK_MS), or null when none is due. */
  private startCheck(): number | null {
    const { state } = this;
    const { wallClock } = this.options;
    const last = state.checkedAt;
    // A new state reads every file from the start anyway, and one saved before format 4 starts its clock.
    const due = last > 0 && (wallClock - last >= FULL_CHECK_MS || wallClock < last);
    if (last > 0 && !due) return null;
    state.checkedAt = wallClock;
    this.changed = true;
    return due ? last - CTIME_SLACK_MS : null;
  }

  /** `checkFrom`: while a full check is due, files whose ctime is at or after it are read from the start. */
  private planRead(file: DiscoveredFile, checkFrom: number | null): PlannedRead | null {
    const { state } = this;
    let index = state.fileByPath(file.path);
    if (index < 0) {
      index = state.addFile(newFileEntry(file));
      this.changed = true;
    }
    const entry = state.files[index];
    if (entry.gone) {
      entry.gone = false;
      this.changed = true;
    }
    const checked = checkFrom !== null && file.ctimeMs >= checkFrom;
    const asRead =
      entry.dev === file.dev && entry.ino === file.ino && entry.size === file.size && entry.mtimeMs === file.mtimeMs;
    if (asRead && !checked) {
      if (entry.ctimeMs === file.ctimeMs) return null;
      if (entry.ctimeMs < 0) {
        // Saved before ctimes were kept: known from now on.
        entry.ctimeMs = file.ctimeMs;
        this.changed = true;
        return null;
      }
    }
    // Same size and mtime with a ctime that moved: its metadata changed, or it was rewritten and its
    // mtime put back. Only reading it again tells.
    let from = 0;
    if (!asRead && !checked) {
      try {
        from = canContinue(entry, file) ? entry.offset : 0;
      } catch {
        this.unreadable++;
        return null;
      }
    }
    if (from === 0) entry.skipped = {};
    const job: ScanJob = {
      path: file.path,
      from,
      shared: file.kind === "shared",
      ends: from > 0 ? entry.ends : "",
      size: file.size,
      headless: this.options.headless,
    };
    return { index, file, job, bytes: Math.max(0, file.size - from) };
  }
}

/** About how many responses the planned reads hold, so the key table grows once for them. */
export function expectedResponses(reads: PlannedRead[]): number {
  return Math.ceil(reads.reduce((sum, read) => sum + read.bytes, 0) / BYTES_PER_RESPONSE);
}

/**
 * Tells discovery which path read a file before, so a path that later reaches the same file (a
 * hard link put in place of another transcript) does not take it over and read it again.
 */
export function readBefore(loaded: LoadResult | null): ((file: DiscoveredFile) => boolean) | undefined {
  if (!loaded?.ok) return undefined;
  const { state } = loaded;
  return (file) => {
    const index = state.fileByPath(file.path);
    return index >= 0 && state.files[index].dev === file.dev && state.files[index].ino === file.ino;
  };
}

/**
 * A file can be read on from its offset only if it is the same file, grown: same identity, not
 * shorter than what was read, and the same bytes at both ends of what was read (see endsHashOf).
 * Otherwise it was replaced or rewritten and is read again from the start; de-duplication keeps the
 * lines seen before from counting twice.
 */
function canContinue(entry: FileEntry, file: DiscoveredFile): boolean {
  if (entry.offset === 0) return false;
  if (entry.dev !== file.dev || entry.ino !== file.ino || file.size < entry.offset) return false;
  return endsHashOf(file.path, entry.offset) === entry.ends;
}
