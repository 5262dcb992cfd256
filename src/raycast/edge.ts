import { environment, getPreferenceValues } from "@raycast/api";
import os from "node:os";
import path from "node:path";
import { z } from "zod";
import {
  CODEXBAR_EXPORT,
  DEFAULT_MIMO_DIR,
  DEFAULT_MODEL_FILTER,
  engineConfigFrom,
  expandHome,
} from "../core/settings";
import type { SourceOptions } from "../core/chain/report";
import { DEFAULT_ALERT_THRESHOLDS } from "../core/chain/alerts";

/** The extension's preferences, validated: a hand-edited or older value falls back to its default. */
const PreferencesSchema = z.object({
  mimoConfigDirs: z.string().catch(DEFAULT_MIMO_DIR).default(DEFAULT_MIMO_DIR),
  sharedConfigDirs: z.string().catch("").default(""),
  modelFilter: z.string().catch(DEFAULT_MODEL_FILTER).default(DEFAULT_MODEL_FILTER),
  weekStart: z.enum(["monday", "sunday"]).catch("monday").default("monday"),
  cookie: z.string().catch("").default(""),
  menuBarFigure: z
    .enum(["todayTokens", "weekTokens", "planLeft", "todayCost"])
    .catch("todayTokens")
    .default("todayTokens"),
  exportCodexBar: z.boolean().catch(false).default(false),
  weeklyBudget: z.string().catch("").default(""),
  alertThresholds: z.string().catch(DEFAULT_ALERT_THRESHOLDS).default(DEFAULT_ALERT_THRESHOLDS),
});
export type ExtensionPreferences = z.infer<typeof PreferencesSchema>;

export function readPreferences(): ExtensionPreferences {
  return PreferencesSchema.parse(getPreferenceValues<Record<string, unknown>>());
}

/** The menu bar's background interval (package.json): local data older than twice this is stale. */
export const REFRESH_INTERVAL_MS = 5 * 60 * 1000;

/** Everything the source chain needs, from preferences and Raycast's support folder. */
export function sourceOptions(preferences: ExtensionPreferences): SourceOptions {
  const home = os.homedir();
  const supportPath = environment.supportPath;
  return {
    engine: engineConfigFrom(preferences, { home, supportPath }),
    supportPath,
    cookie: preferences.cookie,
    refreshIntervalMs: REFRESH_INTERVAL_MS,
    codexBarExport: preferences.exportCodexBar ? path.resolve(expandHome(CODEXBAR_EXPORT, home)) : null,
  };
}
