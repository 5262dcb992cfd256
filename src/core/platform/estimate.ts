import type { Snapshot } from "../views/schema";
import type { PlanCredits } from "./schema";
import { localTokensSince, localTokensSinceAnswer } from "./calibration";
import { PERIOD_MS } from "./pace";

/**
 * The plan figure when the platform cannot answer (login required, expired, offline): its last answer
 * plus this Mac's tokens since, converted to credits by the measured ratio. It sees only this Mac's
 * Claude Code transcripts, while the plan is shared by every tool that uses it.
 */

export type PlanBasisKind =
  /** The platform's own figure, answered now. */
  | "platform"
  /** The last answer exactly: no local use since. */
  | "lastAnswer"
  /** The last answer plus local use since, times credits per token. */
  | "localUse"
  /** Local use since the answer, but no ratio measured yet to convert it: the last answer stands. */
  | "uncalibrated"
  /** The answer's period has ended: local use since the reset, times credits per token. */
  | "reset";

export interface PlanBasis {
  kind: PlanBasisKind;
  /** When the platform last gave a real figure. */
  answeredAt: string;
  /** Local tokens counted into the estimate (since the answer, or since the reset). */
  localTokens: number;
  /** The ratio used, credits per local token; null when none is known. */
  creditsPerToken: number | null;
}

/** The plan figure now: credits used and allowed, fresh or estimated. */
export interface PlanUsage {
  used: number;
  limit: number;
  /** used / limit as a ratio (1.05 is 105%). */
  fraction: number;
  /** True for anything but the platform's answer of this refresh. */
  estimated: boolean;
  /** End of the period the figure belongs to, when known. */
  periodEnd: string | null;
  basis: PlanBasis;
}

export function estimatePlan(credits: PlanCredits, snapshot: Snapshot | null, now: Date): PlanUsage {
  const answer = credits.lastAnswer;
  const ratio = credits.creditsPerToken;
  const base = { limit: answer.limit, estimated: true };
  const end = answer.periodEnd === null ? null : Date.parse(answer.periodEnd);
  if (end !== null && now.getTime() >= end) {
    // Whole periods later; the plan restarts at each reset.
    const periods = Math.floor((now.getTime() - end) / PERIOD_MS) + 1;
    const nextEnd = end + periods * PERIOD_MS;
    const tokens = snapshot ? localTokensSince(snapshot, nextEnd - PERIOD_MS) : 0;
    const used = ratio === null ? 0 : Math.round(tokens * ratio);
    return figure(base, used, new Date(nextEnd).toISOString(), {
      kind: "reset",
      answeredAt: answer.at,
      localTokens: tokens,
      creditsPerToken: ratio,
    });
  }
  const tokens = localTokensSinceAnswer(answer, snapshot);
  const kind = tokens === 0 ? "lastAnswer" : ratio === null ? "uncalibrated" : "localUse";
  const used = kind === "localUse" && ratio !== null ? answer.used + Math.round(tokens * ratio) : answer.used;
  return figure(base, used, answer.periodEnd, {
    kind,
    answeredAt: answer.at,
    localTokens: tokens,
    creditsPerToken: ratio,
  });
}

function figure(
  base: { limit: number; estimated: boolean },
  used: number,
  periodEnd: string | null,
  basis: PlanBasis,
): PlanUsage {
  const fraction = base.limit > 0 ? used / base.limit : 0;
  return { used, limit: base.limit, fraction, estimated: base.estimated, periodEnd, basis };
}
