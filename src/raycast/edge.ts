import { environment, getPreferenceValues } from "@raycast/api";
import os from "node:os";
import path from "node:path";
import * as z from "zod";
import { loadUsageReport, type ReportListener, type SourceOptions } from "../core/chain/report";
import type { UsageReport } from "../core/chain/report-schema";
import type { ScanProgress } from "../core/scan/progress";
import {
  CODEXBAR_EXPORT,
  DEFAULT_MIMO_DIR,
  DEFAULT_MODEL_FILTER,
  engineConfigFrom,
  expandHome,
  otherClientsFrom,
} from "../core/settings";
import { commands } from "../../package.json";
import { DEFAULT_ALERT_THRESHOLDS } from "../core/query/alerts";
import { MENU_BAR_FIGURES } from "../core/query/summary";
import { PlanChoiceSchema, planSettingFrom } from "../core/platform/plan-setting";
import type { DevicesConfig } from "../core/devices/section";

/**
 * The Raycast edge: the one place that turns preferences, the home folder and Raycast's support
 * folder into the engine's options. Commands, hooks and AI tools load reports through it, so none of
 * them reads a preference or builds a path on its own.
 */

/**
 * The preferences, validated: a hand-edited or older value falls back to its default. The output is
 * held to the `Preferences` type Raycast generates from the manifest, so the two cannot drift.
 */
const PreferencesSchema = z.object({
  mimoConfigDirs: z.string().catch(DEFAULT_MIMO_DIR).default(DEFAULT_MIMO_DIR),
  sharedConfigDirs: z.string().catch("").default(""),
  modelFilter: z.string().catch(DEFAULT_MODEL_FILTER).default(DEFAULT_MODEL_FILTER),
  weekStart: z.enum(["monday", "sunday"]).catch("monday").default("monday"),
  cookie: z.string().catch("").default(""),
  menuBarFigure: z.enum(MENU_BAR_FIGURES).catch("todayTokens").default("todayTokens"),
  exportCodexBar: z.boolean().catch(false).default(false),
  weeklyBudget: z.string().catch("").default(""),
  alertThresholds: z.string().catch(DEFAULT_ALERT_THRESHOLDS).default(DEFAULT_ALERT_THRESHOLDS),
  otherClients: z.string().catch("").default(""),
  plan: PlanChoiceSchema.catch("none").default("none"),
  planCredits: z.string().catch("").default(""),
  planRenewsOn: z.string().catch("1").default("1"),
  syncFolder: z.string().catch("").default(""),
  deviceName: z.string().catch("").default(""),
  shareSessions: z.boolean().catch(false).default(false),
}) satisfies z.ZodType<Preferences>;
export type ExtensionPreferences = z.infer<typeof PreferencesSchema>;

export function readPreferences(): ExtensionPreferences {
  return PreferencesSchema.parse(getPreferenceValues<Record<string, unknown>>());
}

const INTERVAL_UNITS_MS: Record<string, number> = { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** A manifest interval ("90s", "5m", "1h", "1d") in milliseconds; null when it is none. */
export function intervalMs(text: string | undefined): number | null {
  const match = /^(\d+)([smhd])$/.exec(text ?? "");
  return match ? Number(match[1]) * INTERVAL_UNITS_MS[match[2]] : null;
}

/**
 * The menu bar's background interval, read from the manifest so the two never drift: local data older
 * than twice this is stale. Without one (never in a valid manifest), Raycast's own 5 minutes.
 */
export const REFRESH_INTERVAL_MS =
  intervalMs(commands.find((command) => command.name === "menu-bar")?.interval) ?? 5 * 60_000;

/** Where the history's "Export CSV to Downloads" writes: the Downloads folder of the home. */
export function downloadsFolder(): string {
  return path.join(os.homedir(), "Downloads");
}

/** Everything the source chain needs, from preferences and Raycast's support folder. */
export function sourceOptions(preferences: ExtensionPreferences): SourceOptions {
  const home = os.homedir();
  const supportPath = environment.supportPath;
  const plan = planSettingFrom(preferences.plan, preferences.planCredits, preferences.planRenewsOn);
  return {
    planSetting: plan.ok ? plan.setting : null,
    planSettingProblem: plan.ok ? null : plan.problem,
    engine: engineConfigFrom(preferences, { home, supportPath, env: process.env }),
    supportPath,
    cookie: preferences.cookie,
    refreshIntervalMs: REFRESH_INTERVAL_MS,
    codexBarExport: preferences.exportCodexBar ? path.resolve(expandHome(CODEXBAR_EXPORT, home)) : null,
    devices: devicesConfigFrom(preferences, home, supportPath),
    unknownClients: otherClientsFrom(preferences.otherClients).unknown,
  };
}

/** The sync folder's settings; null while the Sync Folder preference is empty. */
function devicesConfigFrom(preferences: ExtensionPreferences, home: string, supportPath: string): DevicesConfig | null {
  const folder = preferences.syncFolder.trim();
  if (!folder) return null;
  return {
    syncFolder: path.resolve(expandHome(folder, home)),
    deviceName: preferences.deviceName,
    idFolder: supportPath,
    shareSessions: preferences.shareSessions,
  };
}

/**
 * The full report: local usage with every session, and the plan. These loaders take no settings as
 * arguments on purpose: the arguments of a cached promise become its cache key, and the cookie must
 * not end up in Raycast's cache. `onProgress` hears how far a long scan has read; `onLocal` gets the
 * report with this refresh's local figures while the platform is still being asked.
 */
export function loadReport(
  onProgress?: (progress: ScanProgress) => void,
  onLocal?: ReportListener["onLocal"],
): Promise<UsageReport> {
  const options = sourceOptions(readPreferences());
  return loadUsageReport({ ...options, engine: { ...options.engine, onProgress } }, { onLocal });
}

/** The menu bar's report: no sessions are built, so what it holds in memory and in cache stays small. */
export function loadMenuReport(
  onProgress?: (progress: ScanProgress) => void,
  onLocal?: ReportListener["onLocal"],
): Promise<UsageReport> {
  const options = sourceOptions(readPreferences());
  return loadUsageReport({ ...options, engine: { ...options.engine, sessions: false, onProgress } }, { onLocal });
}

/**
 * The report the usage AI tools answer from: local figures and the account's rows kept from the last
 * platform refresh, so a usage question stays offline and never waits on the network; the plan tool
 * reads the full report.
 */
export function loadLocalReport(): Promise<UsageReport> {
  const options = sourceOptions(readPreferences());
  // The account's kept rows (all devices) are read from the support folder, never asked for here.
  return loadUsageReport({ ...options, cookie: "", account: "kept", accountCookie: options.cookie });
}
