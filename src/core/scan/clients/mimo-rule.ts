/**
 * Which requests of another client are MiMo requests. One rule for every client:
 *
 * 1. the provider id is one of MiMo's token-plan providers (`xiaomi-token-plan`, or with a region
 *    suffix `-sgp`, `-cn`, `-ams`), as MiMo's own set-up guides name them;
 * 2. the provider's base URL is a token-plan host (`token-plan-<region>.xiaomimimo.com`);
 * 3. the model id is a MiMo model (`mimo-…`, also behind a router prefix such as `xiaomi/mimo-…`).
 *
 * Rule 3 also matches MiMo models used pay-as-you-go (api.xiaomimimo.com) or through a router: the
 * user sees those counted too, because a request log cannot tell which bill a `mimo-*` model went
 * to when the provider is not a token-plan one. `basis` says which rule matched.
 */

export type MimoBasis = "provider" | "baseUrl" | "model";

export interface RequestOrigin {
  providerId?: string | null;
  baseUrl?: string | null;
  model?: string | null;
}

const TOKEN_PLAN_PROVIDER = /^xiaomi-token-plan(?:-(?:sgp|cn|ams))?$/i;
const TOKEN_PLAN_HOST = /^token-plan-[a-z0-9-]+\.xiaomimimo\.com$/i;
const MIMO_MODEL = /(?:^|\/)mimo-/i;

/** The rule that makes a request a MiMo request, or null when none does. */
export function mimoBasis(origin: RequestOrigin): MimoBasis | null {
  if (origin.providerId && TOKEN_PLAN_PROVIDER.test(origin.providerId.trim())) return "provider";
  if (origin.baseUrl && isTokenPlanUrl(origin.baseUrl)) return "baseUrl";
  if (origin.model && MIMO_MODEL.test(origin.model.trim())) return "model";
  return null;
}

export function isMimoRequest(origin: RequestOrigin): boolean {
  return mimoBasis(origin) !== null;
}

function isTokenPlanUrl(text: string): boolean {
  try {
    return TOKEN_PLAN_HOST.test(new URL(text.trim()).hostname);
  } catch {
    return false;
  }
}
