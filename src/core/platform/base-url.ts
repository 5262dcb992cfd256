import type { Outcome } from "./schema";

/**
 * Where the platform is and where the session cookie may go: the base URL, honouring MIMO_API_URL
 * only within the refusal policy below, and the console pages the client names.
 */

export const PLATFORM_ORIGIN = "https://platform.xiaomimimo.com";
export const DEFAULT_BASE_URL = `${PLATFORM_ORIGIN}/api/v1`;
/** The console page people open to log in and copy their cookie from. */
export const LOGIN_URL = `${PLATFORM_ORIGIN}/#/console/balance`;
export const BASE_URL_ENV = "MIMO_API_URL";

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
  return { ok: false, error: { kind: "refusedBaseUrl", message } };
}
