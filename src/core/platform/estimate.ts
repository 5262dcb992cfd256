import type { Snapshot } from "../views/schema";
import type { PlanCredits } from "./schema";
import { localUseSince, localUseSinceAnswer, type LocalUse } from "./local-since";
import { PERIOD_MS } from "./pace";
import { settingPeriod, type PlanSetting } from "./plan-setting";
import type { DevicesSection } from "../devices/schema";
import { otherDevicesCreditsSince } from "../devices/view";

/**
 * The plan figure when the platform cannot answer (login required, expired, offline): its last answer
 * plus this Mac's Credits since, at MiMo's rates. Exact for what this Mac did with rated models; it
 * cannot see use on other devices, other clients on the same key or the console after the answer,
 * and tokens of a model without a known rate are named, never converted.
 */

export type PlanBasisKind =
  /** The platform's own figure, answered now. */
  | "platform"
  /** The last answer exactly: no local use since. */
  | "lastAnswer"
  /** The last answer plus this Mac's Credits since. */
  | "localUse"
  /** The answer's period has ended: this Mac's Credits since the reset. */
  | "reset"
  /** No platform answer at all: this Mac's Credits this period against the plan set in preferences. */
  | "preferences";

export interface PlanBasis {
  kind: PlanBasisKind;
  /** When the platform last gave a real figure; null for a plan from preferences. */
  answeredAt: string | null;
  /** This Mac's use counted into the estimate (since the answer, or since the reset). */
  local: LocalUse;
  /**
   * Other devices' Credits counted in too: those whose digest in the sync folder is newer than the
   * answer (or the reset), by name. Absent when no sync folder is set.
   */
  devices?: OtherDeviceUse[];
}

export interface OtherDeviceUse {
  id: string;
  name: string;
  credits: number;
  tokens: number;
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

export const NO_LOCAL_USE: LocalUse = {
  tokens: 0,
  credits: 0,
  uncreditedTokens: 0,
  unratedModels: [],
  approximate: false,
};

export function estimatePlan(
  credits: PlanCredits,
  snapshot: Snapshot | null,
  now: Date,
  devices: DevicesSection | null = null,
): PlanUsage {
  const answer = credits.lastAnswer;
  const end = answer.periodEnd === null ? null : Date.parse(answer.periodEnd);
  if (end !== null && now.getTime() >= end) {
    // Whole periods later; the plan restarts at each reset.
    const periods = Math.floor((now.getTime() - end) / PERIOD_MS) + 1;
    const nextEnd = end + periods * PERIOD_MS;
    const local = snapshot ? localUseSince(snapshot, nextEnd - PERIOD_MS) : NO_LOCAL_USE;
    const others = otherDevicesCreditsSince(devices, nextEnd - PERIOD_MS);
    return planFigure(Math.round(local.credits + others.credits), answer.limit, new Date(nextEnd).toISOString(), {
      kind: "reset",
      answeredAt: answer.at,
      local,
      ...(devices ? { devices: others.devices } : {}),
    });
  }
  const local = localUseSinceAnswer(answer, snapshot);
  const others = otherDevicesCreditsSince(devices, Date.parse(answer.at));
  const kind = local.tokens === 0 && others.devices.length === 0 ? "lastAnswer" : "localUse";
  return planFigure(answer.used + Math.round(local.credits + others.credits), answer.limit, answer.periodEnd, {
    kind,
    answeredAt: answer.at,
    local,
    ...(devices ? { devices: others.devices } : {}),
  });
}

/** The plan named in preferences: this Mac's Credits since its last renewal, against its size. */
export function estimateFromSetting(setting: PlanSetting, snapshot: Snapshot, now: Date): PlanUsage {
  const period = settingPeriod(setting, now, snapshot.timeZone);
  const local = localUseSince(snapshot, period.start);
  return planFigure(Math.round(local.credits), setting.credits, new Date(period.end).toISOString(), {
    kind: "preferences",
    answeredAt: null,
    local,
  });
}

export function planFigure(used: number, limit: number, periodEnd: string | null, basis: PlanBasis): PlanUsage {
  const fraction = limit > 0 ? used / limit : 0;
  return { used, limit, fraction, estimated: basis.kind !== "platform", periodEnd, basis };
}
