import * as z from "zod";
import type { Balance, Outcome, Plan, PlatformErrorKind, Quota, QuotaItem } from "./schema";

/**
 * The shapes of what the platform sends, parsed tolerantly: amounts as numbers or decimal strings,
 * optional parts that do not parse become null rather than failing their section. The section
 * parsers are pure and turn the wire into schema.ts's shapes.
 */

const NUMBER_TEXT = /^[+-]?(\d+(\.\d*)?|\.\d+)(e[+-]?\d+)?$/i;

/** The platform sends amounts and counts as numbers or as decimal strings, depending on the field. */
const numeric = z.union([z.number(), z.string().trim().regex(NUMBER_TEXT).transform(Number)]).pipe(z.number());
const count = numeric.pipe(z.number().nonnegative());

/** The live console wraps some percents as {"source":"0.10","parsedValue":0.1}. */
const percentValue = z.union([numeric, z.object({ parsedValue: numeric }).transform((value) => value.parsedValue)]);

/**
 * An optional part: whatever does not parse ("", "unknown", a new shape) becomes null, "not shown",
 * instead of failing the section it belongs to.
 */
function optional<T extends z.ZodType>(schema: T) {
  return schema.nullish().catch(null);
}

const flag = z.union([
  z.boolean(),
  z.enum(["true", "false"]).transform((text) => text === "true"),
  z.union([z.literal(0), z.literal(1)]).transform((bit) => bit === 1),
]);

export const EnvelopeSchema = z.object({
  code: numeric,
  message: z.unknown().optional(),
  data: z.unknown().optional(),
});

/** Balance and currency are what the section is for, so they stay required; the split is optional. */
const BalanceWireSchema = z.object({
  balance: numeric,
  currency: z.string().trim().min(1),
  cashBalance: optional(numeric),
  giftBalance: optional(numeric),
});

const text = z.string().trim().min(1);

const PlanWireSchema = z
  .object({
    planCode: text,
    planName: optional(text),
    currentPeriodEnd: optional(z.string()),
    expired: optional(flag),
  })
  .nullish();

const QuotaItemWireSchema = z.object({
  name: text,
  used: optional(count),
  limit: optional(count),
  percent: optional(percentValue),
});
type QuotaItemWire = z.infer<typeof QuotaItemWireSchema>;

/** An item that is not even an object with a name is left out, like one without figures. */
const UsageGroupWireSchema = optional(
  z.object({ items: optional(z.array(QuotaItemWireSchema.nullable().catch(null))) }),
);

const UsageWireSchema = z
  .object({
    // What the documented API returns.
    monthUsage: UsageGroupWireSchema,
    // What the live console API also returns (plan_total_token, compensation_total_token).
    usage: UsageGroupWireSchema,
  })
  .nullish();
// ---------------------------------------------------------------------------------------------
// Section parsers (pure; exported for tests)

export function parseBalance(data: unknown): Outcome<Balance> {
  const parsed = BalanceWireSchema.safeParse(data);
  if (!parsed.success) return schemaMismatch("balance", parsed.error);
  const { balance, currency, cashBalance, giftBalance } = parsed.data;
  return { ok: true, value: { amount: balance, currency, cash: cashBalance ?? null, gift: giftBalance ?? null } };
}

/** Null data means the account has no token plan, which is a normal state. */
export function parsePlan(data: unknown, now: Date): Outcome<Plan | null> {
  const parsed = PlanWireSchema.safeParse(data);
  if (!parsed.success) return schemaMismatch("plan details", parsed.error);
  if (!parsed.data) return { ok: true, value: null };
  const { planCode, planName, currentPeriodEnd, expired } = parsed.data;
  // An unreadable period end is not shown (no reset time, no pace) rather than failing the plan.
  const periodEnd = currentPeriodEnd?.trim() ? utcWallTimeToIso(currentPeriodEnd) : null;
  const lapsed = periodEnd !== null && Date.parse(periodEnd) <= now.getTime();
  return { ok: true, value: { code: planCode, name: planName ?? null, periodEnd, expired: expired ?? lapsed } };
}

export function parseQuota(data: unknown): Outcome<Quota | null> {
  const parsed = UsageWireSchema.safeParse(data);
  if (!parsed.success) return schemaMismatch("plan usage", parsed.error);
  if (!parsed.data) return { ok: true, value: null };
  const { monthUsage, usage } = parsed.data;
  const wire = [...(monthUsage?.items ?? []), ...(usage?.items ?? [])];
  const items = uniqueByName(wire.flatMap((item) => (item ? toQuotaItem(item) : [])));
  const primary =
    items.find((item) => item.name === "month_total_token") ??
    items.find((item) => item.name === "plan_total_token") ??
    null;
  return { ok: true, value: { primary, items } };
}

/** Items without used and limit cannot be drawn as a bar, so they are left out rather than invented. */
function toQuotaItem(item: QuotaItemWire): QuotaItem[] {
  if (item.used == null || item.limit == null) return [];
  return [{ name: item.name, used: item.used, limit: item.limit, fraction: toFraction(item) }];
}

function uniqueByName(items: QuotaItem[]): QuotaItem[] {
  const byName = new Map<string, QuotaItem>();
  for (const item of items) if (!byName.has(item.name)) byName.set(item.name, item);
  return [...byName.values()];
}

/**
 * used/limit when there is a limit; otherwise the platform's percent, which is a ratio (0.1047 is
 * 10.47%, 1.05 is 105%): reading values above 1 as 0..100 would turn an overrun into 1%.
 */
export function toFraction(item: { used?: number | null; limit?: number | null; percent?: number | null }): number {
  if (item.used != null && item.limit != null && item.limit > 0) return item.used / item.limit;
  return item.percent != null && item.percent > 0 ? item.percent : 0;
}

const WALL_TIME = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2})(?::(\d{2}))?$/;
const ISO_INSTANT = z.iso.datetime({ offset: true });

/** "2026-12-01 00:00:00" read as UTC → "2026-12-01T00:00:00.000Z"; null when it is no real time. */
export function utcWallTimeToIso(text: string): string | null {
  const trimmed = text.trim();
  // Should the platform ever send a proper instant, take it as it is.
  if (ISO_INSTANT.safeParse(trimmed).success) return new Date(trimmed).toISOString();
  const match = WALL_TIME.exec(trimmed);
  if (!match) return null;
  const [year, month, day, hour, minute, second = "00"] = match.slice(1);
  const date = new Date(Date.UTC(+year, +month - 1, +day, +hour, +minute, +second));
  // Date.UTC rolls 2026-02-30 over to March and maps years below 100 to 19xx; reject both.
  const iso = date.toISOString();
  return iso.startsWith(`${year}-${month}-${day}T${hour}:${minute}:${second}`) ? iso : null;
}

export function failure(kind: PlatformErrorKind, message: string): Outcome<never> {
  return { ok: false, error: { kind, message } };
}

/** A section that does not parse, named with where (at most three places) it went wrong. */
export function schemaMismatch(label: string, error: z.ZodError): Outcome<never> {
  const where = error.issues
    .slice(0, 3)
    .map((issue) => issue.path.join(".") || "body")
    .join(", ");
  return failure("unexpectedPayload", `The MiMo platform sent ${label} in an unexpected shape (at ${where}).`);
}
