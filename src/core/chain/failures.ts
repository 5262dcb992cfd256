import type { FailureKind, Problem, ProblemAction } from "./report-schema";

/**
 * The one vocabulary for everything that can go wrong, local or on the platform: per kind, the
 * title the menu (and the refresh HUD) shows, what it offers to fix it, and the explanation the AI
 * tools pass on. Messages on the failures themselves only say what happened; the advice is here.
 */

export interface FailureWords {
  /** Short, for a menu row or a HUD. */
  title: string;
  action: ProblemAction;
  /** A full sentence or two for Raycast AI to pass on. */
  explanation: string;
  /** Shorter still, for a list's empty view when this failure leaves nothing to list; else the title. */
  emptyTitle?: string;
}

export const FAILURES: Record<FailureKind, FailureWords> = {
  noCookie: {
    title: "Platform not connected: add your cookie in preferences",
    action: "openPreferences",
    explanation:
      "The MiMo platform is not connected: no cookie is set. To see plan credits and balance, paste the Cookie header " +
      "of a logged-in platform.xiaomimimo.com tab into the extension's MiMo Platform Cookie preference.",
  },
  invalidCookie: {
    title: "Platform cookie is incomplete: paste it again in preferences",
    action: "openPreferences",
    explanation:
      "The cookie in the MiMo Platform Cookie preference is incomplete (it lacks the MiMo session values). " +
      "Copy it again from a logged-in platform.xiaomimimo.com tab.",
  },
  loginRequired: {
    title: "Platform: login required — set the cookie in preferences",
    action: "openPreferences",
    explanation:
      "The MiMo platform asked for a login: the saved cookie is not logged in. Log in at platform.xiaomimimo.com " +
      "and paste a fresh cookie into the MiMo Platform Cookie preference.",
  },
  expired: {
    title: "Platform: session expired — log in again and update the cookie",
    action: "openPlatform",
    explanation:
      "The MiMo platform session has expired. Log in again at platform.xiaomimimo.com and update the MiMo Platform " +
      "Cookie preference.",
  },
  network: {
    title: "Platform unreachable",
    action: "retry",
    explanation: "The MiMo platform could not be reached (network error). Try again when online.",
  },
  timeout: {
    title: "Platform did not answer in time",
    action: "retry",
    explanation: "The MiMo platform did not answer in time. Try again later.",
  },
  unexpectedPayload: {
    title: "Platform answered in an unexpected format",
    action: "none",
    explanation: "The MiMo platform answered in a format this extension does not understand.",
  },
  refusedBaseUrl: {
    title: "MIMO_API_URL was refused",
    action: "none",
    explanation: "The MIMO_API_URL override was refused, so the MiMo platform was not contacted.",
  },
  accountNoPh: {
    title: "All devices: add the api-platform_ph cookie in preferences",
    action: "openPreferences",
    explanation:
      "The account's daily usage list (every device and client of the plan) needs the api-platform_ph cookie, which " +
      "the saved MiMo Platform Cookie lacks. Copy the whole Cookie header of a logged-in platform.xiaomimimo.com tab " +
      "again; the plan and this Mac's figures work without it.",
  },
  accountLogin: {
    title: "All devices: the platform refused the daily list — paste a fresh cookie",
    action: "openPreferences",
    explanation:
      "The MiMo platform refused the account's daily usage list (login required). Log in at platform.xiaomimimo.com " +
      "and paste a fresh cookie into the MiMo Platform Cookie preference; the rows kept before still answer.",
  },
  accountUnavailable: {
    title: "All devices: the daily list could not be read this time",
    action: "retry",
    explanation:
      "The account's daily usage list could not be read this time (network or time-out); the rows kept before still " +
      "answer, with the time they were read.",
  },
  accountPayload: {
    title: "All devices: the daily list came in an unexpected format",
    action: "none",
    explanation:
      "The MiMo platform sent the account's daily usage list in a format this extension does not understand, so it " +
      "was not read; the rows kept before still answer.",
  },
  rateMismatch: {
    title: "Credits rates may be out of date",
    action: "none",
    explanation:
      "The Credits computed from the account's daily list with MiMo's rates differ from the plan's own figure by " +
      "more than a few percent, so the rate table may be out of date; the plan's own figure is the one that counts.",
  },
  invalidModelFilter: {
    title: "Model filter is not a valid pattern: fix it in preferences",
    action: "openPreferences",
    explanation:
      "The Model Filter preference cannot be used: it is not a valid regular expression, is longer than 200 " +
      "characters, or repeats a group that itself repeats (like (a+)+), which can make matching hang. No transcript " +
      "was counted. Fix it in the extension's preferences (the default is mimo).",
  },
  invalidPlanSetting: {
    title: "Plan preference is not valid: fix it in preferences",
    action: "openPreferences",
    explanation:
      "The Plan Credits or Plan Renews On preference could not be read, so no plan from preferences is shown. " +
      "Fix it in the extension's preferences.",
  },
  scanFailed: {
    title: "Local scan failed",
    emptyTitle: "Scan failed",
    action: "retry",
    explanation:
      "Reading the Claude Code transcripts failed this time. Try again; if it keeps failing, check that the " +
      "MiMo Claude Config Folders preference points at readable folders.",
  },
  noConfigFolder: {
    title: "No Claude config folder found",
    emptyTitle: "No Claude folder found",
    action: "openPreferences",
    explanation:
      "None of the configured Claude Code config folders exists. Set the MiMo Claude Config Folders preference " +
      "to the CLAUDE_CONFIG_DIR of the MiMo wrapper.",
  },
  scanWarning: {
    title: "The scan had a problem",
    action: "none",
    explanation: "The scan finished, but something went wrong along the way; the figures are complete.",
  },
  cacheNotSaved: {
    title: "Could not save the usage cache",
    action: "none",
    explanation:
      "The last good figures could not be saved in the support folder; the next failure has less to fall back on.",
  },
  exportFailed: {
    title: "Could not write CodexBar's cache file",
    action: "none",
    explanation: "CodexBar's MiMo cache file could not be written; CodexBar shows older local figures.",
  },
  syncFolderMissing: {
    title: "Sync folder not found: showing This Mac only",
    action: "openPreferences",
    explanation:
      "The Sync Folder set in preferences is not there (a share not mounted, a sync service turned off), so other " +
      "devices' figures are not shown and this Mac's figures stand alone. They come back once the folder does.",
  },
  digestSkipped: {
    title: "A device's figures were skipped",
    action: "none",
    explanation:
      "A file in the sync folder's devices folder was not read (too big, corrupt, dated in the future, a link or a " +
      "folder); that device's figures are left out until it publishes a good one.",
  },
  digestNotWritten: {
    title: "Could not publish this Mac's figures to the sync folder",
    action: "none",
    explanation: "This Mac's figures could not be written to the sync folder, so other devices show older ones.",
  },
  deviceIdRenewed: {
    title: "Another Mac was publishing as this one: this Mac has a new device id",
    action: "none",
    explanation:
      "Another machine published its figures into the sync folder under this Mac's device id, which happens when " +
      "MiMo Usage's support folder is copied from one machine to another (a migration or a restored backup). Each " +
      "would have hidden the other's figures, so this Mac took a new device id; the other machine keeps the old one, " +
      "and each now shows the other as a device of its own. Nothing needs to be done.",
  },
  fileRefused: {
    title: "A file in the support folder was left alone",
    action: "none",
    explanation:
      "A file MiMo Usage keeps in its support folder is not a regular file of its own (a FIFO, a device, a link " +
      "to somewhere else, or far too big), so it was neither read nor replaced. The figures are complete; remove " +
      "that file so MiMo Usage can keep its own there again.",
  },
  unknownClient: {
    title: "Other MiMo Clients names a client MiMo Usage does not know",
    action: "openPreferences",
    explanation:
      "The Other MiMo Clients preference names a client MiMo Usage does not know, so that name reads nothing. " +
      "The known names are opencode, kilo, openclaw and codex (or none); fix the name in the extension's preferences.",
  },
  unexpected: {
    title: "MiMo Usage hit an unexpected error",
    action: "retry",
    explanation: "MiMo Usage hit an unexpected error. Try again; the figures are not available this time.",
  },
};

/** The words a list's empty view stands on when a failure leaves it nothing to show. */
export function emptyViewTitle(kind: FailureKind): string {
  return FAILURES[kind].emptyTitle ?? FAILURES[kind].title;
}

/** A problem the menu can show: the kind's title and action, with what happened as the detail. */
export function problemOf(kind: FailureKind, detail?: string, title: string = FAILURES[kind].title): Problem {
  return { kind, title, action: FAILURES[kind].action, ...(detail ? { detail } : {}) };
}
