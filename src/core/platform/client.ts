import { cookieValues, normalizeCookie } from "./cookie";
import { isValidTimeZone, systemTimeZone } from "../views/calendar";
import { LOGIN_URL, PLATFORM_ORIGIN, resolveBaseUrl } from "./base-url";
import { EnvelopeSchema, failure, parseBalance, parsePlan, parseQuota, schemaMismatch } from "./wire";
import type { Balance, Outcome, Plan, PlatformError, PlatformResult, PlatformSnapshot, Quota } from "./schema";

/**
 * Client for the three MiMo platform endpoints the browser console uses. Balance is the one section
 * that must work; plan details and usage are extras whose failures are reported next to it, so a
 * half-broken platform still shows what it can. Nothing here throws and no message carries the cookie.
 * Where requests may go is base-url.ts's; what the answers hold, wire.ts's.
 */

export const DEFAULT_TIMEOUT_MS = 10_000;
/**
 * The most an answer may hold. The platform's answers are a few kilobytes; a body past this is
 * dropped and its connection closed, so a broken or hostile server cannot fill the memory of a
 * menu-bar command Raycast would kill long before the timeout.
 */
export const MAX_BODY_BYTES = 4 * 1024 * 1024;

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

// ---------------------------------------------------------------------------------------------
// Client

/**
 * What every console call shares: the normalised cookie, the base URL, the zone and the timeout,
 * failures redacted, and nothing thrown. `run` is given the context once the cookie and the base
 * URL are accepted; `redactValue` takes the cookie out of failures a value carries inside it.
 */
async function withSession<T>(
  options: FetchPlatformOptions,
  run: (ctx: RequestContext) => Promise<Outcome<T>>,
  redactValue: (value: T, secrets: string[]) => T = (value) => value,
): Promise<Outcome<T>> {
  const cookie = normalizeCookie(options.cookie);
  const secrets = secretsOf(options.cookie, cookie.ok ? cookie.header : null);
  const long = secrets.filter((secret) => secret.length >= MIN_REDACTED_LENGTH);
  try {
    const result = cookie.ok ? await runWith(options, cookie.header, secrets, run) : cookie;
    return result.ok
      ? { ok: true, value: redactValue(result.value, long) }
      : { ok: false, error: redactError(result.error, long) };
  } catch {
    // Everything expected is already a value; this is only for a fetchImpl or clock that throws.
    return { ok: false, error: { kind: "network", message: "Reading the MiMo platform failed unexpectedly." } };
  }
}

/** The request context for an accepted cookie, once the base URL is accepted too. */
async function runWith<T>(
  options: FetchPlatformOptions,
  cookieHeader: string,
  secrets: string[],
  run: (ctx: RequestContext) => Promise<Outcome<T>>,
): Promise<Outcome<T>> {
  const baseUrl = resolveBaseUrl(options.env ?? process.env);
  if (!baseUrl.ok) return baseUrl;
  return run({
    baseUrl: baseUrl.value,
    cookieHeader,
    timeZone: validTimeZone(options.timeZone),
    timeoutMs: validTimeout(options.timeoutMs),
    fetchImpl: options.fetchImpl ?? fetch,
    secrets,
  });
}

async function fetchSection<T>(
  ctx: RequestContext,
  endpoint: Endpoint,
  parse: (data: unknown) => Outcome<T>,
): Promise<Outcome<T>> {
  const data = await requestData(ctx, endpoint);
  return data.ok ? parse(data.value) : data;
}

/** Balance, plan details and plan usage in parallel, each with its own timeout and no retries. */
export function fetchPlatform(options: FetchPlatformOptions): Promise<PlatformResult> {
  const now = options.now ?? (() => new Date());
  return withSession(
    options,
    async (ctx): Promise<Outcome<PlatformSnapshot>> => {
      const [balance, plan, quota] = await Promise.all([
        fetchSection(ctx, BALANCE, parseBalance),
        fetchSection(ctx, PLAN_DETAIL, (data) => parsePlan(data, now())),
        fetchSection(ctx, PLAN_USAGE, parseQuota),
      ]);
      if (!balance.ok) return balance;
      return { ok: true, value: snapshot(now(), balance.value, plan, quota) };
    },
    redactSnapshot,
  );
}

function redactSnapshot(value: PlatformSnapshot, secrets: string[]): PlatformSnapshot {
  const { planError, quotaError } = value;
  return {
    ...value,
    planError: planError && redactError(planError, secrets),
    quotaError: quotaError && redactError(quotaError, secrets),
  };
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
export function requestPlatform(
  options: FetchPlatformOptions,
  endpointFor: (cookieHeader: string) => Outcome<Endpoint>,
): Promise<Outcome<unknown>> {
  return withSession(options, async (ctx) => {
    const endpoint = endpointFor(ctx.cookieHeader);
    return endpoint.ok ? requestData(ctx, endpoint.value) : endpoint;
  });
}
