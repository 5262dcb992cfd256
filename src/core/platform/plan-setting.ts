import * as z from "zod";
import { addDays, localDate, startOfLocalDay } from "../views/calendar";
import { parseTokens } from "../format";

/**
 * The plan a person names in preferences, for when the platform never answers (no cookie, or none
 * that ever worked): its size in Credits and the day of the month it renews. The menu then shows this
 * Mac's Credits this period against it, marked "this Mac only · from preferences"; any platform
 * answer wins over it.
 *
 * Sizes: MiMo's Token Plan tiers as its subscription page lists them since the upgrade of 2026-05-27
 * (platform.xiaomimimo.com/static/docs/price/tokenplan/subscription.md): a month of Lite is 4.1B
 * Credits, Standard 11B, Pro 38B, Max 82B (before it: 60M, 200M, 700M, 1.6B). An annual plan gives
 * twelve months' Credits at once (a Lite year shows 49.2B): use Custom for it.
 */

export const PLAN_TIERS = {
  lite: { title: "Lite", credits: 4_100_000_000 },
  standard: { title: "Standard", credits: 11_000_000_000 },
  pro: { title: "Pro", credits: 38_000_000_000 },
  max: { title: "Max", credits: 82_000_000_000 },
} as const;
export const PLAN_SIZES_FROM = "2026-05-27";

export const PlanChoiceSchema = z.enum(["none", "lite", "standard", "pro", "max", "custom"]);
export type PlanChoice = z.infer<typeof PlanChoiceSchema>;

export const PlanSettingSchema = z.object({
  /** "Lite", …, or "Custom". */
  title: z.string(),
  credits: z.number().positive(),
  /** Day of the month the plan renews, 1–31 (a shorter month renews on its last day). */
  renewsOn: z.number().int().min(1).max(31),
});
export type PlanSetting = z.infer<typeof PlanSettingSchema>;

export type PlanSettingResult = { ok: true; setting: PlanSetting | null } | { ok: false; problem: string };

/** The preferences as typed: a plan, custom Credits ("49.2B") and a renewal day ("1"–"31"). */
export function planSettingFrom(choice: PlanChoice, customCredits: string, renewsOnText: string): PlanSettingResult {
  if (choice === "none") return { ok: true, setting: null };
  const renewsOn = renewsOnText.trim() === "" ? 1 : Number(renewsOnText.trim());
  if (!Number.isInteger(renewsOn) || renewsOn < 1 || renewsOn > 31)
    return { ok: false, problem: `Plan Renews On must be a day of the month from 1 to 31, not "${renewsOnText}".` };
  if (choice === "custom") {
    const credits = parseTokens(customCredits);
    if (credits === null)
      return {
        ok: false,
        problem: `Plan Credits must be an amount such as 49.2B or 82000000000, not "${customCredits}".`,
      };
    return { ok: true, setting: { title: "Custom", credits, renewsOn } };
  }
  const tier = PLAN_TIERS[choice];
  return { ok: true, setting: { title: tier.title, credits: tier.credits, renewsOn } };
}

/** The period a renewal day makes around `now`: from the last renewal (local midnight) to the next. */
export function settingPeriod(setting: PlanSetting, now: Date, timeZone: string): { start: number; end: number } {
  const today = localDate(now.getTime(), timeZone);
  const thisMonth = renewalIn(today.slice(0, 7), setting.renewsOn);
  const startDate = thisMonth <= today ? thisMonth : renewalIn(monthBefore(today.slice(0, 7)), setting.renewsOn);
  const endDate = renewalIn(monthAfter(startDate.slice(0, 7)), setting.renewsOn);
  return { start: startOfLocalDay(startDate, timeZone), end: startOfLocalDay(endDate, timeZone) };
}

/** The renewal date in a month ("2026-02" and day 31 → "2026-02-28"). */
function renewalIn(month: string, day: number): string {
  const last = Number(addDays(`${monthAfter(month)}-01`, -1).slice(8, 10));
  return `${month}-${String(Math.min(day, last)).padStart(2, "0")}`;
}

function monthAfter(month: string): string {
  const [y, m] = month.split("-").map(Number);
  return m === 12 ? `${y + 1}-01` : `${y}-${String(m + 1).padStart(2, "0")}`;
}

function monthBefore(month: string): string {
  const [y, m] = month.split("-").map(Number);
  return m === 1 ? `${y - 1}-12` : `${y}-${String(m - 1).padStart(2, "0")}`;
}
