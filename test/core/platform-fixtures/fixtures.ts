import type { Reply } from "./server";

/** Response bodies shaped like the MiMo platform's, one helper per situation the tests need. */

export const ok = (data: unknown): Reply => ({ body: { code: 0, message: "success", data } });

export const balance = (amount: string | number = "12.34"): Reply =>
  ok({ balance: amount, currency: "CNY", cashBalance: "10.00", giftBalance: 2.34 });

export const planDetail = (): Reply =>
  ok({ planCode: "token_plan_pro", currentPeriodEnd: "2026-12-01 15:30:00", expired: false });

/** The documented usage shape. */
export const monthUsage = (): Reply =>
  ok({
    monthUsage: {
      percent: 25,
      items: [{ name: "month_total_token", used: "250000", limit: 1000000, percent: 25 }],
    },
  });

/** What the live console API answers: both groups. */
export const liveUsage = (): Reply =>
  ok({
    monthUsage: { percent: 0.25, items: [{ name: "month_total_token", used: 250000, limit: 1000000, percent: 0.25 }] },
    usage: {
      items: [
        { name: "plan_total_token", used: 3000000, limit: 12000000, percent: 25 },
        { name: "compensation_total_token", used: 0, limit: 500000, percent: 0 },
      ],
    },
  });

export const planOnlyUsage = (): Reply =>
  ok({ usage: { items: [{ name: "plan_total_token", used: "6000000", limit: "12000000", percent: "50" }] } });

export const loginPage = `<!DOCTYPE html><html><head><title>Xiaomi Account</title></head><body>Sign in</body></html>`;

export function healthy(usage: Reply = monthUsage()): Record<string, Reply> {
  return { balance: balance(), "tokenPlan/detail": planDetail(), "tokenPlan/usage": usage };
}

/** Every endpoint answers the same way, for failures that hit the whole session. */
export function everywhere(reply: Reply): Record<string, Reply> {
  return { balance: reply, "tokenPlan/detail": reply, "tokenPlan/usage": reply };
}
