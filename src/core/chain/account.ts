import path from "node:path";
import { formatRelative } from "../format";
import { isValidTimeZone, localDate, systemTimeZone, todayIn } from "../views/calendar";
import {
  accountCoverage,
  ACCOUNT_DAYS_FILE,
  mergeAccountDays,
  monthsToAsk,
  readAccountDays,
  writeAccountDays,
  type AccountDays,
  type YearMonth,
} from "../platform/account-days";
import { fetchAccountMonths, hasPhCookie, NO_PH_COOKIE, type AccountListResult } from "../platform/account-request";
import { periodStartOf } from "../platform/local-since";
import { rateCheck } from "../platform/account-view";
import { errnoCode } from "../io";
import { problemOf } from "./failures";
import type { AccountProblemKind, AccountSection, PlanSection, PlatformError, Problem } from "./report-schema";

/**
 * The account part of the report: the platform's daily list (all devices) asked beside the plan,
 * merged into the rows kept in the support folder, and the rate check. It has its own source, time
 * and failure; nothing here touches the plan or the local figures. Nothing here throws.
 */

export interface AccountOptions {
  /**
   * "ask" (the default): ask the list with each platform refresh, and fall back on the kept rows.
   * "kept": only read the kept rows, never the network (the AI usage tools stay offline).
   */
  account?: "ask" | "kept";
  /**
   * In "kept" mode, the cookie the list would be asked with: never sent, only read to show nothing
   * without one (as with the plan) and to say when it lacks api-platform_ph.
   */
  accountCookie?: string;
  /** Stands in for the platform's list in tests; by default the real one, through MIMO_API_URL. */
  accountList?: (cookie: string, months: YearMonth[], timeZone: string) => Promise<AccountListResult>;
}

interface ChainContext extends AccountOptions {
  supportPath: string;
  cookie?: string;
  env?: Record<string, string | undefined>;
  engine: { timeZone: string };
}

/** The zone the list is asked in and its days are read in: the user's, as the scan uses it. */
export function accountZone(timeZone: string): string {
  return isValidTimeZone(timeZone) ? timeZone : systemTimeZone();
}

/** The current and previous month, or null when the list is not to be asked this time. */
export async function askAccount(options: ChainContext, now: () => Date): Promise<AccountListResult | null> {
  const cookie = options.cookie?.trim() ?? "";
  if ((options.account ?? "ask") === "kept" || cookie === "") return null;
  const zone = accountZone(options.engine.timeZone);
  const months = monthsToAsk(todayIn(now(), zone));
  const list =
    options.accountList ??
    ((c: string, m: YearMonth[], timeZone: string) =>
      fetchAccountMonths({ cookie: c, env: options.env, now, timeZone }, m));
  return list(cookie, months, zone);
}

export interface AccountPart {
  section: AccountSection | null;
  error: PlatformError | null;
  problems: Problem[];
}

export async function accountPart(
  options: ChainContext,
  listed: AccountListResult | null,
  plan: PlanSection | null,
  planError: PlatformError | null,
  now: Date,
): Promise<AccountPart> {
  const asking = (options.account ?? "ask") === "ask";
  const cookie = (asking ? options.cookie : options.accountCookie)?.trim();
  // No cookie is a choice: as with the plan, nothing kept is shown until one is set.
  if (cookie === "" || (asking && cookie === undefined)) return { section: null, error: null, problems: [] };
  const zone = accountZone(options.engine.timeZone);
  const file = path.join(options.supportPath, ACCOUNT_DAYS_FILE);
  const kept = await readAccountDays(file);
  const problems: Problem[] = [];
  let section: AccountSection | null = null;
  if (listed?.ok) {
    const days = mergeAccountDays(kept, listed.answers, zone, todayIn(now, zone));
    await writeAccountDays(file, days).catch((error) => problems.push(problemOf("cacheNotSaved", errnoCode(error))));
    section = sectionOf(days, true);
  } else if (kept) {
    section = sectionOf(kept, false);
  }
  const missingPh = !asking && section === null && cookie !== undefined && !hasPhCookie(cookie);
  const error = listed && !listed.ok ? listed.error : missingPh ? NO_PH_COOKIE : null;
  problems.push(...listProblems(error, planError, section, now));
  const warning = section?.fresh ? rateWarning(section.days, plan, zone, now) : null;
  if (warning && section) {
    section = { ...section, rateWarning: warning };
    problems.push(problemOf("rateMismatch", warning));
  }
  return { section, error, problems };
}

function sectionOf(days: AccountDays, fresh: boolean): AccountSection | null {
  const asOf = days.months.reduce<string | null>((best, m) => (best && best > m.asOf ? best : m.asOf), null);
  return asOf ? { source: "platform", fresh, asOf, days, rateWarning: null } : null;
}

const KIND_OF: Partial<Record<PlatformError["kind"], AccountProblemKind>> = {
  loginRequired: "accountLogin",
  expired: "accountLogin",
  invalidCookie: "accountLogin",
  unexpectedPayload: "accountPayload",
};

/**
 * One Status line for a list that failed, with its fix. None when the plan failed too (its own line
 * names the same fix) and none for a missing api-platform_ph: that is a set-up hint, not a failure.
 */
function listProblems(
  error: PlatformError | null,
  planError: PlatformError | null,
  section: AccountSection | null,
  now: Date,
): Problem[] {
  if (!error || error.kind === "accountNoPh" || (planError && planError.kind !== "noCookie")) return [];
  const kept = section ? ` Showing the account's rows as of ${formatRelative(section.asOf, now)}.` : "";
  return [problemOf(KIND_OF[error.kind] ?? "accountUnavailable", `${error.message}${kept}`)];
}

/**
 * The rate check at an answer: the plan period's Credits from the rows against the plan's own used.
 * Only when both answered now and the rows hold the whole period.
 */
function rateWarning(days: AccountDays, plan: PlanSection | null, zone: string, now: Date): string | null {
  const primary = plan?.source === "platform" ? plan.data.quota?.primary : null;
  const periodEnd = plan?.data.plan?.periodEnd ?? null;
  if (!primary || !periodEnd) return null;
  const periodStart = periodStartOf(periodEnd);
  const today = todayIn(now, zone);
  if (!accountCoverage(days, { from: localDate(periodStart, zone), to: today }, zone).covered) return null;
  const check = rateCheck(days.rows, { used: primary.used, periodStart }, zone, today);
  return check.ok === false ? check.message : null;
}
