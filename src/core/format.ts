import type { Cost, CreditFigures } from "./rates";

/**
 * The one place numbers and times are turned into words, so the menu bar, the list, the CLI and the
 * AI tools all say the same figure the same way.
 */

const UNITS: [number, string][] = [
  [1e12, "T"],
  [1e9, "B"],
  [1e6, "M"],
  [1e3, "K"],
];

/** 1234 → "1.2K", 845000 → "845K", 1_250_000 → "1.3M", 999 → "999". */
export function formatTokens(n: number): string {
  const sign = n < 0 ? "-" : "";
  const abs = Math.abs(n);
  for (const [size, unit] of UNITS) {
    // Round first so 999_950 reads "1M", not "1000K".
    if (abs >= size * 0.9995) {
      const value = abs / size;
      const digits = value >= 100 ? 0 : 1;
      const rounded = Number(value.toFixed(digits));
      if (rounded >= 1000 && unit !== "T") continue;
      return `${sign}${trimZero(rounded.toFixed(digits))}${unit}`;
    }
  }
  return `${sign}${Math.round(abs)}`;
}

/**
 * Plan credits, compact with three significant figures, since plans are billions of credits and a
 * tenth of a billion is a lot of work: 8_582_309_279 → "8.58B", 82e9 → "82B", 123_456_789 → "123M".
 */
export function formatCredits(n: number): string {
  const abs = Math.abs(n);
  for (const [size, unit] of UNITS) {
    if (abs >= size * 0.9995) {
      const value = abs / size;
      const digits = value >= 99.95 ? 0 : value >= 9.995 ? 1 : 2;
      const rounded = Number(value.toFixed(digits));
      if (rounded >= 1000 && unit !== "T") continue;
      return `${n < 0 ? "-" : ""}${trimZero(rounded.toFixed(digits))}${unit}`;
    }
  }
  return `${n < 0 ? "-" : ""}${Math.round(abs)}`;
}

/** An account amount in its currency: "12.30 CNY". */
export function formatMoney(amount: number, currency: string): string {
  return `${amount.toFixed(2)} ${currency}`;
}

const UNIT_SIZES: Record<string, number> = { "": 1, K: 1e3, M: 1e6, B: 1e9, T: 1e12 };

/** Reads a token amount as people write it: "50M", "1.5B", "800k", "2,000,000". Null when it is not one. */
export function parseTokens(text: string): number | null {
  const match = /^\s*(\d+(?:\.\d+)?)\s*([kmbt]?)\s*$/i.exec(text.replace(/[,_\s](?=\d)/g, ""));
  if (!match) return null;
  const value = Math.round(Number(match[1]) * UNIT_SIZES[match[2].toUpperCase()]);
  return value > 0 ? value : null;
}

/** Full figure with thousands separators for tooltips and detail: 1234567 → "1,234,567". */
export function formatFull(n: number): string {
  return Math.round(n).toLocaleString("en-US");
}

const CURRENCY_SYMBOL: Record<string, string> = { CNY: "¥", USD: "$" };

/**
 * "35.8M Credits"; "≥ 35.8M Credits" when some tokens had no rate (the figure is then a lower
 * bound), "— Credits" when none had one.
 */
export function formatCreditFigures(figures: CreditFigures & { total: number }): string {
  if (figures.total > 0 && figures.uncreditedTokens >= figures.total) return "— Credits";
  return `${figures.uncreditedTokens > 0 ? "≥ " : ""}${formatCredits(figures.credits)} Credits`;
}

/** "¥1.23"; small amounts keep enough digits to not read as zero; partial costs get a "≥". */
export function formatCost(cost: Cost | null): string {
  if (!cost) return "—";
  const symbol = CURRENCY_SYMBOL[cost.currency] ?? `${cost.currency} `;
  const digits = cost.amount > 0 && cost.amount < 0.01 ? 4 : 2;
  return `${cost.partial ? "≥ " : ""}${symbol}${cost.amount.toFixed(digits)}`;
}

/** "1 session", "2 sessions", "1,204 messages". */
export function plural(count: number, noun: string): string {
  return `${formatFull(count)} ${noun}${count === 1 ? "" : "s"}`;
}

export function formatPercent(fraction: number, digits = 0): string {
  return `${(fraction * 100).toFixed(digits)}%`;
}

/** "just now", "5 min ago", "3 h ago", "2 days ago"; future times read "in …". */
export function formatRelative(at: Date | string, now: Date = new Date()): string {
  const then = typeof at === "string" ? new Date(at) : at;
  const seconds = Math.round((now.getTime() - then.getTime()) / 1000);
  const future = seconds < 0;
  const s = Math.abs(seconds);
  let text: string;
  if (s < 45) return future ? "in a moment" : "just now";
  if (s < 3600) text = `${Math.round(s / 60)} min`;
  else if (s < 86400) text = `${Math.round(s / 3600)} h`;
  else {
    const days = Math.round(s / 86400);
    text = `${days} day${days === 1 ? "" : "s"}`;
  }
  return future ? `in ${text}` : `${text} ago`;
}

/** "1 h 5 min", "12 min", "45 s". */
export function formatDuration(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 60) return `${s} s`;
  const minutes = Math.floor(s / 60);
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  const rest = minutes % 60;
  return rest ? `${hours} h ${rest} min` : `${hours} h`;
}

/** A local date and time in the given zone: "2026-11-25 14:05". */
export function formatDateTime(at: Date | string, timeZone?: string): string {
  const d = typeof at === "string" ? new Date(at) : at;
  const parts = new Intl.DateTimeFormat("en-CA", {
    timeZone,
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
    hour: "2-digit",
    minute: "2-digit",
    hourCycle: "h23",
  }).formatToParts(d);
  const get = (type: string) => parts.find((p) => p.type === type)?.value ?? "";
  return `${get("year")}-${get("month")}-${get("day")} ${get("hour")}:${get("minute")}`;
}

function trimZero(s: string): string {
  return s.includes(".") ? s.replace(/\.?0+$/, "") : s;
}
