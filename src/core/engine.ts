import type { RootConfig } from "./scan/claude/discover";
import type { ClientsConfig } from "./scan/clients/read";
import type { ParallelOptions } from "./scan/pool";
import type { ScanProgress } from "./scan/progress";
import type { WeekStart } from "./types";
import type { Snapshot } from "./views/schema";

/**
 * What a refresh of the local figures is asked and what it answers: settings.ts builds the
 * question, chain/local.ts answers it, chain/report.ts and the command line read the answer.
 */

export interface EngineConfig {
  roots: RootConfig[];
  /** Case-insensitive regular expression applied to `message.model` in shared roots (see settings.ts). */
  modelFilter: string;
  timeZone: string;
  weekStart: WeekStart;
  /** Where the state lives; null scans cold and keeps nothing. */
  statePath: string | null;
  now?: () => Date;
  /** Whether the snapshot lists sessions (default true); the menu bar needs none. */
  sessions?: boolean;
  /** How big reads use worker threads; by default as the build allows (see scan/pool.ts). */
  parallel?: ParallelOptions;
  /** The other clients (OpenCode, Kilo, OpenClaw, Codex) to read as well; none when absent. */
  clients?: ClientsConfig;
  /** Called after each file read is counted, so a long cold scan can show how far it is. */
  onProgress?: (progress: ScanProgress) => void;
}

/** How a refresh can fail; each is a setting at fault, or the scan itself. */
export const ENGINE_FAILURE_KINDS = ["invalidModelFilter", "invalidTimeZone", "scanFailed"] as const;
export type EngineFailureKind = (typeof ENGINE_FAILURE_KINDS)[number];

export type EngineResult =
  | { ok: true; snapshot: Snapshot }
  | {
      ok: false;
      kind: EngineFailureKind;
      /** What failed, in words a person reads. */
      error: string;
      /** The same as kind "invalidTimeZone", as callers read it before `kind` (src/cli/scan.ts). */
      cause?: "timeZone";
    };
