/// <reference types="@raycast/api">

/* 🚧 🚧 🚧
 * This file is auto-generated from the extension's manifest.
 * Do not modify manually. Instead, update the `package.json` file.
 * 🚧 🚧 🚧 */

/* eslint-disable @typescript-eslint/ban-types */

type ExtensionPreferences = {
  /** MiMo Claude Config Folders - Comma-separated Claude Code config folders used only with MiMo (CLAUDE_CONFIG_DIR of your MiMo wrapper). Everything in them counts. */
  "mimoConfigDirs": string,
  /** Shared Claude Config Folders - Comma-separated folders shared with other providers (such as ~/.claude). Only entries whose model matches the model filter count. */
  "sharedConfigDirs": string,
  /** Model Filter - Regular expression (case-insensitive) that picks MiMo models in shared folders. */
  "modelFilter": string,
  /** Week Starts On - First day of the This Week window. */
  "weekStart": "monday" | "sunday",
  /** MiMo Platform Cookie - Optional. The Cookie header of a logged-in platform.xiaomimimo.com tab (a bare header, 'Cookie: …' or a whole 'Copy as cURL' command). Only the MiMo session cookies are kept. */
  "cookie"?: string,
  /** Plan - Optional, for when the platform cookie is not set or never worked: your MiMo Token Plan, so the menu can show this Mac's Credits this period against it (marked as this Mac only). Any answer from the platform replaces it. */
  "plan": "none" | "lite" | "standard" | "pro" | "max" | "custom",
  /** Plan Credits - With Plan set to Custom: the Credits a period allows, such as 49.2B (an annual Lite plan). */
  "planCredits": string,
  /** Plan Renews On - With a plan set: the day of the month it renews, 1 to 31 (a shorter month renews on its last day). */
  "planRenewsOn": string,
  /** Menu Bar Figure - The figure shown next to the menu bar icon. */
  "menuBarFigure": "todayTokens" | "weekTokens" | "todayCredits" | "weekCredits" | "todayTokensAllDevices" | "weekTokensAllDevices" | "planLeft" | "todayCost",
  /** Weekly Token Budget - Optional. How many tokens you allow yourself per week, such as 50M or 1.5B. Without a plan quota from the platform, the menu bar icon becomes a ring of this week's use of it. */
  "weeklyBudget": string,
  /** Alert Thresholds - Percentages of the plan quota and of the weekly token budget at which a background refresh posts one macOS notification, such as 80,95. Leave empty to turn alerts off. */
  "alertThresholds": string,
  /** Other MiMo Clients - Besides Claude Code, which other clients' MiMo requests to count, comma-separated: opencode, kilo, openclaw, codex. Empty counts every one found on this Mac; none counts none. */
  "otherClients": string,
  /** Sync Folder - Optional. A folder your sync service keeps alike across machines (iCloud Drive, Dropbox, Syncthing, a network share). Each device writes its figures there and shows every other device's by name. Empty turns it off. */
  "syncFolder": string,
  /** Device Name - Optional. The name other devices show for this Mac. Empty uses the Mac's host name. */
  "deviceName": string,
  /** Devices - Also write this Mac's session ids with their tokens and Credits into the sync folder (never folders, prompts or summaries). */
  "shareSessions": boolean,
  /** CodexBar - Also write ~/.codexbar/mimo-local-usage.json, which CodexBar's MiMo card reads as its local fallback. */
  "exportCodexBar": boolean
}

/** Preferences accessible in all the extension's commands */
declare type Preferences = ExtensionPreferences

declare namespace Preferences {
  /** Preferences accessible in the `menu-bar` command */
  export type MenuBar = ExtensionPreferences & {}
  /** Preferences accessible in the `sessions` command */
  export type Sessions = ExtensionPreferences & {}
  /** Preferences accessible in the `history` command */
  export type History = ExtensionPreferences & {}
  /** Preferences accessible in the `refresh` command */
  export type Refresh = ExtensionPreferences & {}
}

declare namespace Arguments {
  /** Arguments passed to the `menu-bar` command */
  export type MenuBar = {}
  /** Arguments passed to the `sessions` command */
  export type Sessions = {}
  /** Arguments passed to the `history` command */
  export type History = {}
  /** Arguments passed to the `refresh` command */
  export type Refresh = {}
}

