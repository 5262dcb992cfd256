import type { Problem, Source, UsageReport } from "../chain/report-schema";

/**
 * Where each part of a report came from and how fresh it is, asked by the menu's Status section and
 * the AI tools alike.
 */

/** True once a section is past the time its source said it goes stale. */
export function isStale(section: { staleAt: string }, now: Date): boolean {
  return now.getTime() > Date.parse(section.staleAt);
}

export interface SourceStatus {
  source: Source;
  updatedAt: string;
  stale: boolean;
}

export interface ReportStatus {
  local: SourceStatus | null;
  plan: SourceStatus | null;
  /** The platform is still being asked: the plan shown is its last answer. */
  planPending: boolean;
  /** No cookie was given, so the plan can only come from preferences or not at all. */
  noCookie: boolean;
  /** The console's daily list needs a phone number bound to the account. */
  accountNeedsPhone: boolean;
  problems: Problem[];
}

export function reportStatus(report: UsageReport, now: Date): ReportStatus {
  const status = (section: { source: Source; updatedAt: string; staleAt: string } | null | undefined) =>
    section ? { source: section.source, updatedAt: section.updatedAt, stale: isStale(section, now) } : null;
  return {
    local: status(report.local),
    plan: status(report.plan),
    planPending: report.planPending ?? false,
    noCookie: report.planError?.kind === "noCookie",
    accountNeedsPhone: report.accountError?.kind === "accountNoPh",
    problems: report.problems,
  };
}
