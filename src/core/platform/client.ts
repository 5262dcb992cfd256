import * as z from "zod";
import { cookieValues, normalizeCookie } from "./cookie";
import { isValidTimeZone, systemTimeZone } from "../views/calendar";
import type {
  Balance,
  Plan,
  PlatformError,
  PlatformErrorKind,
  PlatformResult,
  PlatformSnapshot,
  Quota,
  QuotaItem,
} from "./schema";

/**
 * Client for the three MiMo platform endpoints the browser console uses. Balance is the one section
 * that must work; plan details and usage are extras whose failures are reported next to it, so a
 * half-broken platform still shows what it can. Nothing here throws and no message carries the cookie.
 */

export const PLATFORM_ORIGIN = "https://platform.xiaomimimo.com";
export const DEFAULT_BASE_URL = `${PLATFORM_ORIGIN}/api/v1`;
/** The console page people open to log in and copy their cookie from. */
export const LOGIN_URL = `${PLATFORM_ORIGIN}/#/console/balance`;
export const BASE_URL_ENV = "MIMO_API_URL";
export const DEFAULT_TIMEOUT_MS = 10_000;
/**
 * The most an answer may hold. The platform's answers are a few kilobytes; a body past this is
 * dropped and its connection closed, so a broken or hostile server cannot fill the memory of a
 * menu-bar command Raycast would kill long before the timeout.
 */
export const MAX_BODY_BYTES = 4 * 1024 * 1024;

export type Outcome<T> = { ok: true; value: T } | { ok: false; error: PlatformError };

export type FetchPlatformOptions = {
  cookie: string;
  /** The user's IANA time zone, sent as the console sends it (x-timeZone); defaults to the system's. */
  timeZone?: string;
  /** Where MIMO_API_URL is read from; defaults to process.env. */
  env?: Record<string, string | undefined>;
  timeoutMs?: number;
  now?: () => Date;
  fetchImpl?: typeof fetch;
};

// ---------------------------------------------------------------------------------------------
// Base URL

const LOOPBACK_HOSTS = new Set(["127.0.0.1", "[::1]", "localhost"]);
const MIMO_DOMAIN = "xiaomimimo.com";

/**
 * The API base URL, honouring MIMO_API_URL. The session cookie goes wherever this points, so an
 * override is only taken when it stays on MiMo's own domain over HTTPS, or on this machine (where
 * plain HTTP is fine for test servers). Anything else is refused rather than quietly replaced by
 * the real host, so a typo never looks like a working setup.
 */
export function resolveBaseUrl(env: Record<string, string | undefined>): Outcome<string> {
  const raw = env[BASE_URL_ENV]?.trim();
  if (!raw) return { ok: true, value: DEFAULT_BASE_URL };
  const url = parseUrl(raw);
  if (url === null) return refusedBaseUrl(`${BASE_URL_ENV} is not a valid URL.`);
  if (url.username || url.password || url.search || url.hash) {
    return refusedBaseUrl(`${BASE_URL_ENV} must not carry credentials, a query or a fragment.`);
  }
  if (!isAllowedTarget(url)) {
    return refusedBaseUrl(
      `${BASE_URL_ENV} must be https:// on ${MIMO_DOMAIN}, or http(s):// on 127.0.0.1, ::1 or localhost; the cookie is never sent anywhere else.`,
    );
  }
  return { ok: true, value: `${url.origin}${url.pathname.replace(/\/+$/, "")}` };
}

/** Whether the session cookie may be sent to this URL. */
export function isAllowedTarget(url: URL): boolean {
  const host = url.hostname.toLowerCase();
  if (LOOPBACK_HOSTS.has(host)) return url.protocol === "http:" || url.protocol === "https:";
  return url.protocol === "https:" && (host === MIMO_DOMAIN || host.endsWith(`.${MIMO_DOMAIN}`));
}

function parseUrl(raw: string): URL | null {
  try {
    return new URL(raw);
  } catch {
    return null;
  }
}

function refusedBaseUrl(message: string): Outcome<never> {
  return failure("refusedBaseUrl", message);
}

// ---------------------------------------------------------------------------------------------
// Wire schemas

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

const EnvelopeSchema = z.object({
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

// ---------------------------------------------------------------------------------------------
// HTTP

/** A console call; `query` and a JSON `body` (then sent as POST) only where the console sends them. */
export type Endpoint = { path: string; label: string; query?: string; body?: unknown };

const BALANCE: Endpoint = { path: "balance", label: "balance" };
const PLAN_DETAIL: Endpoint = { path: "tokenPlan/detail", label: "plan details" };
const PLAN_USAGE: Endpoint = { path: "tokenPlan/usage", label: "plan usage" };

type RequestContext = {
  baseUrl: string;
  cookieHeader: string;
  timeZone: string;
  timeoutMs: number;
  fetchImpl: typeof fetch;
  secrets: string[];
};

/** A desktop browser, as the console is used from; the API answers other clients differently. */
export const USER_AGENT =
  "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.0 Safari/605.1.15";

/** The headers the platform's console sends with each API call. */
export function requestHeaders(cookieHeader: string, timeZone: string): Record<string, string> {
  return {
    Accept: "application/json, text/plain, */*",
    "Accept-Language": "en-US,en;q=0.9,zh-CN;q=0.8",
    Cookie: cookieHeader,
    "User-Agent": USER_AGENT,
    "x-timeZone": timeZone,
    // The platform's API checks that calls come from its own console.
    Origin: PLATFORM_ORIGIN,
    Referer: LOGIN_URL,
  };
}

async function requestData(ctx: RequestContext, endpoint: Endpoint): Promise<Outcome<unknown>> {
  const controller = new AbortController();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    controller.abort();
  }, ctx.timeoutMs);
  try {
    const posted = endpoint.body !== undefined;
    const response = await ctx.fetchImpl(`${ctx.baseUrl}/${endpoint.path}${endpoint.query ?? ""}`, {
      method: posted ? "POST" : "GET",
      headers: {
        ...requestHeaders(ctx.cookieHeader, ctx.timeZone),
        ...(posted ? { "Content-Type": "application/json" } : {}),
      },
      ...(posted ? { body: JSON.stringify(endpoint.body) } : {}),
      // A logged-out session is answered with a redirect to the login page; following it would
      // hand the cookie to whatever the Location says and hide the real state.
      redirect: "manual",
      signal: controller.signal,
    });
    const statusError = errorForStatus(response, endpoint);
    if (statusError) {
      discardBody(response);
      return { ok: false, error: statusError };
    }
    // Read the body inside the timer too: a server can stall after the headers.
    const body = await readCappedBody(response, MAX_BODY_BYTES);
    if (body === null) {
      controller.abort();
      return failure(
        "unexpectedPayload",
        `The MiMo platform sent more than ${MAX_BODY_BYTES / 1024 / 1024} MB for ${endpoint.label}, far more than an answer holds, so it was dropped.`,
      );
    }
    return readEnvelope(body, response.headers.get("content-type"), endpoint, ctx.secrets);
  } catch (error) {
    return { ok: false, error: timedOut ? timeoutError(endpoint, ctx.timeoutMs) : networkError(endpoint, error) };
  } finally {
    clearTimeout(timer);
  }
}

/**
 * The body as text, or null as soon as it is known to hold more than `limit` bytes (by its declared
 * length, or while it streams): what was read is dropped and the rest never fetched.
 */
async function readCappedBody(response: Response, limit: number): Promise<string | null> {
  const declared = Number(response.headers.get("content-length") ?? NaN);
  if (declared > limit) {
    discardBody(response);
    return null;
  }
  if (!response.body) return "";
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel().catch(() => undefined);
      return null;
    }
    chunks.push(value);
  }
  // TextDecoder, as Response.text() does: UTF-8, a leading byte-order mark dropped.
  return new TextDecoder().decode(Buffer.concat(chunks));
}

function discardBody(response: Response): void {
  response.body?.cancel().catch(() => undefined);
}

function errorForStatus(response: Pick<Response, "status" | "type">, endpoint: Endpoint): PlatformError | null {
  const { status } = response;
  if (response.type === "opaqueredirect" || (status >= 300 && status < 400) || status === 401) {
    return loginRequired(endpoint);
  }
  if (status === 403) return expiredSession();
  if (status !== 200)
    return { kind: "network", message: `The MiMo platform answered ${endpoint.label} with HTTP ${status}.` };
  return null;
}

function readEnvelope(
  body: string,
  contentType: string | null,
  endpoint: Endpoint,
  secrets: string[],
): Outcome<unknown> {
  if (contentType?.toLowerCase().includes("html") || body.trimStart().startsWith("<")) {
    // Only the login page comes back as HTML where JSON is expected.
    return { ok: false, error: loginRequired(endpoint) };
  }
  const json = parseJson(body);
  if (!json.ok) return failure("unexpectedPayload", `The MiMo platform sent ${endpoint.label} that is not valid JSON.`);
  const envelope = EnvelopeSchema.safeParse(json.value);
  if (!envelope.success) return schemaMismatch(endpoint.label, envelope.error);
  const { code, message, data } = envelope.data;
  if (code === 0 || code === 200) return { ok: true, value: data ?? null };
  return { ok: false, error: errorForCode(code, safeServerMessage(message, secrets), endpoint) };
}

function parseJson(body: string): { ok: true; value: unknown } | { ok: false } {
  try {
    return { ok: true, value: JSON.parse(body) };
  } catch {
    return { ok: false };
  }
}

function errorForCode(code: number, serverMessage: string | null, endpoint: Endpoint): PlatformError {
  if (code === 401) return loginRequired(endpoint);
  if (code === 403) return expiredSession();
  const detail = serverMessage ? `: ${serverMessage}` : "";
  return { kind: "network", message: `The MiMo platform refused ${endpoint.label} (code ${code}${detail}).` };
}

const MAX_SERVER_MESSAGE = 160;

/**
 * The platform's own explanation, when it is plain text that cannot leak anything: a server that
 * echoes the request could otherwise put a cookie value into a message the UI shows and logs.
 */
export function safeServerMessage(message: unknown, secrets: string[]): string | null {
  if (typeof message !== "string") return null;
  const text = message.replace(/\p{Cc}+/gu, " ").trim();
  if (text === "" || secrets.some((secret) => text.includes(secret))) return null;
  return text.length > MAX_SERVER_MESSAGE ? `${text.slice(0, MAX_SERVER_MESSAGE - 1)}…` : text;
}

// ---------------------------------------------------------------------------------------------
// Errors

function failure(kind: PlatformErrorKind, message: string): Outcome<never> {
  return { ok: false, error: { kind, message } };
}

function loginRequired(endpoint: Endpoint): PlatformError {
  return { kind: "loginRequired", message: `The MiMo platform asked for a login when reading ${endpoint.label}.` };
}

function expiredSession(): PlatformError {
  return { kind: "expired", message: "The MiMo platform said the session has expired." };
}

function timeoutError(endpoint: Endpoint, timeoutMs: number): PlatformError {
  const limit = timeoutMs >= 1000 ? `${Math.round(timeoutMs / 100) / 10} s` : `${timeoutMs} ms`;
  return { kind: "timeout", message: `The MiMo platform did not answer ${endpoint.label} within ${limit}.` };
}

const NETWORK_REASONS: Record<string, string> = {
  ECONNREFUSED: "connection refused",
  ECONNRESET: "connection reset",
  ENOTFOUND: "host not found; are you offline?",
  EAI_AGAIN: "DNS lookup failed; are you offline?",
  ETIMEDOUT: "connection timed out",
  EHOSTUNREACH: "host unreachable",
  ENETUNREACH: "network unreachable",
  UND_ERR_SOCKET: "connection closed",
  CERT_HAS_EXPIRED: "TLS certificate expired",
  DEPTH_ZERO_SELF_SIGNED_CERT: "untrusted TLS certificate",
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: "untrusted TLS certificate",
};

/**
 * Only a known error code is quoted: fetch's own messages can repeat request details, and the
 * Cookie header is one of them.
 */
function networkError(endpoint: Endpoint, error: unknown): PlatformError {
  const code = errorCode(error);
  const reason = code ? (NETWORK_REASONS[code] ?? code) : "network error";
  return { kind: "network", message: `Could not reach the MiMo platform for ${endpoint.label} (${reason}).` };
}

function errorCode(error: unknown): string | null {
  const cause = isRecord(error) ? error.cause : undefined;
  const nested = isRecord(cause) && Array.isArray(cause.errors) ? cause.errors[0] : undefined;
  for (const candidate of [cause, nested, error]) {
    if (isRecord(candidate) && typeof candidate.code === "string" && /^[A-Z0-9_]+$/.test(candidate.code)) {
      return candidate.code;
    }
  }
  return null;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null;
}

function schemaMismatch(label: string, error: z.ZodError): Outcome<never> {
  const where = error.issues
    .slice(0, 3)
    .map((issue) => issue.path.join(".") || "body")
    .join(", ");
  return failure("unexpectedPayload", `The MiMo platform sent ${label} in an unexpected shape (at ${where}).`);
}

/** Last line of defence: whatever built a message, no cookie value leaves this module. */
export function redactError(error: PlatformError, secrets: string[]): PlatformError {
  const message = secrets.reduce((text, secret) => text.split(secret).join("[redacted]"), error.message);
  return message === error.message ? error : { ...error, message };
}

// Very short values (a one-digit userId) would shred ordinary words if redacted everywhere; they are
// still kept out of server messages by safeServerMessage, which drops any message containing them.
const MIN_REDACTED_LENGTH = 4;

function secretsOf(rawCookie: string, header: string | null): string[] {
  const values = [rawCookie.trim(), header ?? "", ...cookieValues(rawCookie)];
  return [...new Set(values)].filter((value) => value.length > 0).sort((a, b) => b.length - a.length);
}

function redactResult(result: PlatformResult, secrets: string[]): PlatformResult {
  const long = secrets.filter((secret) => secret.length >= MIN_REDACTED_LENGTH);
  if (!result.ok) return { ok: false, error: redactError(result.error, long) };
  const { planError, quotaError } = result.value;
  return {
    ok: true,
    value: {
      ...result.value,
      planError: planError && redactError(planError, long),
      quotaError: quotaError && redactError(quotaError, long),
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Client

async function fetchSection<T>(
  ctx: RequestContext,
  endpoint: Endpoint,
  parse: (data: unknown) => Outcome<T>,
): Promise<Outcome<T>> {
  const data = await requestData(ctx, endpoint);
  return data.ok ? parse(data.value) : data;
}

/** Balance, plan details and plan usage in parallel, each with its own timeout and no retries. */
export async function fetchPlatform(options: FetchPlatformOptions): Promise<PlatformResult> {
  const cookie = normalizeCookie(options.cookie);
  const secrets = secretsOf(options.cookie, cookie.ok ? cookie.header : null);
  try {
    return redactResult(await fetchWithCookie(options, cookie, secrets), secrets);
  } catch {
    // Everything expected is already a value; this is only for a fetchImpl or clock that throws.
    return { ok: false, error: { kind: "network", message: "Reading the MiMo platform failed unexpectedly." } };
  }
}

async function fetchWithCookie(
  options: FetchPlatformOptions,
  cookie: ReturnType<typeof normalizeCookie>,
  secrets: string[],
): Promise<PlatformResult> {
  if (!cookie.ok) return cookie;
  const baseUrl = resolveBaseUrl(options.env ?? process.env);
  if (!baseUrl.ok) return baseUrl;
  const now = options.now ?? (() => new Date());
  const ctx: RequestContext = {
    baseUrl: baseUrl.value,
    cookieHeader: cookie.header,
    timeZone: validTimeZone(options.timeZone),
    timeoutMs: validTimeout(options.timeoutMs),
    fetchImpl: options.fetchImpl ?? fetch,
    secrets,
  };
  const [balance, plan, quota] = await Promise.all([
    fetchSection(ctx, BALANCE, parseBalance),
    fetchSection(ctx, PLAN_DETAIL, (data) => parsePlan(data, now())),
    fetchSection(ctx, PLAN_USAGE, parseQuota),
  ]);
  if (!balance.ok) return balance;
  return { ok: true, value: snapshot(now(), balance.value, plan, quota) };
}

function snapshot(
  fetchedAt: Date,
  balance: Balance,
  plan: Outcome<Plan | null>,
  quota: Outcome<Quota | null>,
): PlatformSnapshot {
  return {
    fetchedAt: fetchedAt.toISOString(),
    balance,
    plan: plan.ok ? plan.value : null,
    planError: plan.ok ? null : plan.error,
    quota: quota.ok ? quota.value : null,
    quotaError: quota.ok ? null : quota.error,
  };
}

function validTimeZone(timeZone: string | undefined): string {
  return timeZone && isValidTimeZone(timeZone) ? timeZone : systemTimeZone();
}

function validTimeout(timeoutMs: number | undefined): number {
  return timeoutMs !== undefined && Number.isFinite(timeoutMs) && timeoutMs > 0 ? timeoutMs : DEFAULT_TIMEOUT_MS;
}

/**
 * One more console call with the cookie, headers, base URL, timeout, failures and redaction of the
 * three above, for endpoints kept in their own modules (account-request.ts). The endpoint is built
 * from the normalised Cookie header (a call may need one of its values), or refused before any call
 * is made. Never throws.
 */
export async function requestPlatform(
  options: FetchPlatformOptions,
  endpointFor: (cookieHeader: string) => Outcome<Endpoint>,
): Promise<Outcome<unknown>> {
  const cookie = normalizeCookie(options.cookie);
  const secrets = secretsOf(options.cookie, cookie.ok ? cookie.header : null);
  const long = secrets.filter((secret) => secret.length >= MIN_REDACTED_LENGTH);
  try {
    if (!cookie.ok) return cookie;
    const baseUrl = resolveBaseUrl(options.env ?? process.env);
    if (!baseUrl.ok) return baseUrl;
    const ctx: RequestContext = {
      baseUrl: baseUrl.value,
      cookieHeader: cookie.header,
      timeZone: validTimeZone(options.timeZone),
      timeoutMs: validTimeout(options.timeoutMs),
      fetchImpl: options.fetchImpl ?? fetch,
      secrets,
    };
    const endpoint = endpointFor(cookie.header);
    const data = endpoint.ok ? await requestData(ctx, endpoint.value) : endpoint;
    return data.ok ? data : { ok: false, error: redactError(data.error, long) };
  } catch {
    return { ok: false, error: { kind: "network", message: "Reading the MiMo platform failed unexpectedly." } };
  }
}
