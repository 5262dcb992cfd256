import { daysBetween, type DateRange } from "../core/views/calendar";
export { weekdayName } from "../core/views/calendar";
import { formatDateTime } from "../core/format";
import type { LocalReport, UsageReport } from "../core/chain/report-schema";
import type { WeekStart } from "../core/views/schema";
import { costOf, type CreditFigures } from "../core/rates";
import { configFolderList, noConfigFolder } from "../core/views/roots";
import { FAILURES } from "../core/chain/failures";

/**
 * The plain-JSON pieces the tools answer with: costs, local context and the notes that say where
 * figures came from. A question the data cannot answer (no transcripts) is an answer too, returned
 * with the reason in words.
 */

export interface CostAmount {
  amount: number;
  currency: string;
  /** True when some tokens had no known price: the amount is then a lower bound. */
  partial: boolean;
}

type Rated = CreditFigures & { total: number };

/** Rounded to a millionth: enough for tiny cache-read costs, free of float noise from summing. */
export function costAmount(figures: Rated): CostAmount | null {
  const cost = costOf(figures);
  if (!cost) return null;
  return { amount: Math.round(cost.amount * 1e6) / 1e6, currency: cost.currency, partial: cost.partial };
}

/** Credits as the tools return them: whole or tenths, without float noise. */
export function creditsAmount(figures: CreditFigures): number {
  return Number(figures.credits.toFixed(1));
}

/** Words about Credits and cost that a figure alone would hide. */
export function creditNotes(figures: Rated): string[] {
  if (figures.total > 0 && figures.uncreditedTokens >= figures.total)
    return ["No MiMo rate is known for these models or dates, so there are no Credits or cost for them."];
  if (figures.uncreditedTokens > 0)
    return [
      `${figures.uncreditedTokens} tokens are of a model or date with no known MiMo rate: they are in the token figures, ` +
        "not in credits or estimatedCost, which are lower bounds.",
    ];
  return [];
}

/** "2026-11-25 14:05" in the snapshot's zone, for quoting a time without converting from UTC. */
export function localTime(at: string, timeZone: string): string {
  return formatDateTime(at, timeZone);
}

export interface LocalContext {
  timeZone: string;
  weekStart: WeekStart;
  /** "local": scanned just now; "cache": the scan failed and the last good scan answers instead. */
  source: "local" | "cache";
  /** When the transcripts behind these figures were scanned (ISO instant). */
  updatedAt: string;
}

export type { LocalReport };

export function localContext(report: LocalReport): LocalContext {
  const { source, updatedAt, snapshot } = report.local;
  return { timeZone: snapshot.timeZone, weekStart: snapshot.weekStart, source, updatedAt };
}

/** What the AI should know about where local figures came from and what they may miss. */
export function localNotes(report: LocalReport): string[] {
  const { source, updatedAt, snapshot } = report.local;
  const notes: string[] = [];
  if (source === "cache") {
    notes.push(
      `The local scan failed (${sentence(report.localError?.message ?? null)}); these are the figures of the last good scan, ` +
        `at ${localTime(updatedAt, snapshot.timeZone)}, so later activity is missing.`,
    );
  }
  if (noConfigFolder(snapshot)) {
    notes.push(
      `No Claude Code config folder was found (looked in ${configFolderList(snapshot)}); ` +
        "set the MiMo Claude Config Folders preference.",
    );
  }
  notes.push(...snapshot.warnings);
  return notes;
}

/** An error message set inside a sentence of ours, without its own full stop. */
function sentence(error: string | null): string {
  return (error ?? "unknown error").replace(/\.$/, "");
}

export interface Unavailable {
  available: false;
  /** Why there are no figures, in words to pass on. */
  reason: string;
}

/** No snapshot at all: the scan failed and no earlier scan was saved. */
export function unavailable(report: UsageReport): Unavailable {
  return {
    available: false,
    // What to do comes from the one failure table, like the menu's and the HUD's words.
    reason:
      `No local usage could be read: ${sentence(report.localError?.message ?? null)}. ` +
      FAILURES[report.localError?.kind ?? "unexpected"].explanation,
  };
}

export function hasLocal(report: UsageReport): report is LocalReport {
  return report.local !== null;
}

/** Days in an inclusive range. */
export function dayCount(range: DateRange): number {
  return daysBetween(range.from, range.to) + 1;
}
