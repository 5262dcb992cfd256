import type { Snapshot, WindowTotals } from "./views/schema";
import { writeOwnFile } from "./io";

/**
 * CodexBar's MiMo card reads this file as its local fallback when the platform cannot be reached.
 * Writing it makes the extension a drop-in replacement for CodexBar's own tracker, with windows in
 * the user's local time.
 */

interface CodexBarWindow {
  input: number;
  output: number;
  cache_read: number;
  cache_create: number;
  messages: number;
}

export interface CodexBarExport {
  updated_at: string;
  last_activity: string | null;
  sessions_scanned: number;
  windows: { today: CodexBarWindow; week: CodexBarWindow; all_time: CodexBarWindow };
  source: "local-jsonl-scan";
}

function windowOf(totals: WindowTotals): CodexBarWindow {
  return {
    input: totals.input,
    output: totals.output,
    cache_read: totals.cacheRead,
    cache_create: totals.cacheWrite,
    messages: totals.messages,
  };
}

export function toCodexBar(snapshot: Snapshot): CodexBarExport {
  return {
    updated_at: snapshot.updatedAt,
    last_activity: snapshot.lastActivity,
    // The window's count, not the list: the menu bar builds no session list, and counts the same.
    sessions_scanned: snapshot.lifetime.sessions,
    windows: { today: windowOf(snapshot.today), week: windowOf(snapshot.week), all_time: windowOf(snapshot.lifetime) },
    source: "local-jsonl-scan",
  };
}

/** Our export is a few hundred bytes; a bigger file at the path is someone else's. */
const EXPORT_MARK_BYTES = 64 * 1024;

/** A file we wrote before (or CodexBar's own tracker, which writes the same shape). */
function isOurExport(head: Buffer): boolean {
  try {
    const value: unknown = JSON.parse(head.toString("utf8"));
    return typeof value === "object" && value !== null && "source" in value && value.source === "local-jsonl-scan";
  } catch {
    return false;
  }
}

/**
 * Writes the export atomically, creating it or replacing an earlier export; any other file at the
 * path is left as it was and a FileRefusal (io.ts) says why. A symbolic link's target is written.
 */
export async function writeCodexBarExport(file: string, snapshot: Snapshot): Promise<void> {
  await writeOwnFile(file, [Buffer.from(`${JSON.stringify(toCodexBar(snapshot), null, 2)}\n`, "utf8")], {
    bytes: EXPORT_MARK_BYTES,
    isOurs: isOurExport,
    what: "a CodexBar usage export",
  });
}
