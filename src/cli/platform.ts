import { promises as fs } from "node:fs";
import os from "node:os";
import path from "node:path";
import { loadUsageReport } from "../core/chain/report";
import type { EngineConfig } from "../core/chain/local";
import type { Problem, UsageReport } from "../core/chain/report-schema";
import { FAILURES } from "../core/chain/failures";
import { formatCredits, formatDateTime, formatTokens } from "../core/format";
import type { AccountForRange } from "../core/platform/account-view";
import { accountInRange, windowRange } from "../core/query/period";
import type { Snapshot } from "../core/views/schema";

/**
 * `--platform`: the command line asks the MiMo platform too, with the cookie from an environment
 * variable (never an argument, which other users of the machine can read in the process list), and
 * prints the whole account beside this Mac's figures.
 */

/**
 * The full report: the scan, the plan and the account's list, and CodexBar's export when asked. Kept files (the account's rows, the
 * plan's last answer) go beside the --state file; without one, into a temporary folder removed after.
 */
export async function platformReport(
  config: EngineConfig,
  cookie: string,
  env: Record<string, string | undefined>,
  codexBarExport: string | null,
): Promise<UsageReport> {
  const temp = config.statePath ? null : await fs.mkdtemp(path.join(os.tmpdir(), "mimo-platform-"));
  const supportPath = config.statePath ? path.dirname(config.statePath) : (temp ?? os.tmpdir());
  try {
    return await loadUsageReport({
      engine: config,
      supportPath,
      cookie,
      env,
      refreshIntervalMs: 5 * 60_000,
      codexBarExport,
      ...(config.now ? { now: config.now } : {}),
    });
  } finally {
    if (temp) await fs.rm(temp, { recursive: true, force: true });
  }
}

/** The account for today and this week, in the snapshot's days. */
export function accountWindows(
  report: UsageReport,
  snapshot: Snapshot,
): { today: AccountForRange; week: AccountForRange } | null {
  const today = accountInRange(report, snapshot, windowRange(snapshot, "today"));
  const week = accountInRange(report, snapshot, windowRange(snapshot, "week"));
  return today && week ? { today, week } : null;
}

/** The lines the summary adds: all devices, elsewhere, and the platform's problems with their fixes. */
export function platformLines(report: UsageReport, snapshot: Snapshot): string[] {
  const lines = ["", "All devices (the MiMo platform's daily list)"];
  const windows = accountWindows(report, snapshot);
  if (windows) {
    lines.push(`  as of ${formatDateTime(report.account?.asOf ?? "", snapshot.timeZone)}`);
    for (const [label, answer] of [
      ["Today", windows.today],
      ["This week", windows.week],
    ] as const) {
      lines.push(
        answer.covered ? `${label.padEnd(10)}${accountText(answer.account)}` : `${label.padEnd(10)}not covered`,
      );
      for (const note of answer.notes) lines.push(`  note: ${note}`);
    }
  } else if (report.accountError?.kind === "accountNoPh") {
    lines.push(`  ${FAILURES.accountNoPh.explanation}`);
  } else {
    lines.push("  not read");
  }
  for (const problem of report.problems) lines.push(problemLine(problem));
  return lines;
}

function accountText(account: { totalTokens: number; credits: number | null; elsewhereTokens: number }): string {
  const credits = account.credits === null ? "" : ` · ${formatCredits(account.credits)} Credits`;
  return `${formatTokens(account.totalTokens)} tokens${credits} · elsewhere ${formatTokens(account.elsewhereTokens)}`;
}

function problemLine(problem: Problem): string {
  return `status: ${problem.title}${problem.detail ? ` (${problem.detail})` : ""}`;
}

/** What --json adds: the account per window, its failure and the report's problems. */
export function platformJson(report: UsageReport, snapshot: Snapshot): Record<string, unknown> {
  const windows = accountWindows(report, snapshot);
  const window = (answer: AccountForRange | undefined) =>
    answer ? { account: answer.covered ? answer.account : null, notes: answer.notes } : { account: null, notes: [] };
  return {
    platform: {
      account: { today: window(windows?.today), week: window(windows?.week) },
      accountError: report.accountError ?? null,
      planError: report.planError,
      problems: report.problems,
    },
  };
}
