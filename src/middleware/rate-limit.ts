/**
 * Rate limits in front of every route but /health (which load balancers
 * poll): per client IP always, per IP on register / login / refresh and the
 * password change (each costs a PBKDF2 or a token rotation). The per-user policy is applied after
 * authentication, by requireAuth (middleware/auth.ts). All checks go out in
 * parallel; a refusal answers 429 `rate_limited` before the route runs. Every
 * limited response names its policies in `RateLimit-Policy` (the per-IP ones
 * first, then any that the route's own middleware applied).
 */
import type { Context, MiddlewareHandler } from "hono";
import { clientKey } from "../lib/client-ip";
import { isolateLimit } from "../lib/isolate-rate-limiter";
import { limitedHeaders, POLICIES, policyHeader, type RatePolicy } from "../lib/rate-policies";
import type { AppEnv } from "../types";
import { errorResponse } from "./errors";

/** The routes that hash a password or rotate a refresh token. */
export const AUTH_PATHS = new Set(["/v1/auth/register", "/v1/auth/login", "/v1/auth/refresh", "/v1/me/password"]);

/**
 * Counts one request against `policy` for `key`; true when allowed. A binding
 * that fails (an outage of the limiter) lets the request through: the limits
 * protect capacity, and refusing everyone would be the outage they prevent.
 */
/**
 * Whether rate limiting is switched off: local benchmarks only (src/config.ts
 * refuses it elsewhere), the comparison server that prices the limiter. The
 * one place that reads the switch.
 */
export function limitsOff(env: Pick<Env, "RATE_LIMIT_BACKEND">): boolean {
  return env.RATE_LIMIT_BACKEND === "off";
}

export async function allowed(env: Env, policy: RatePolicy, key: string): Promise<boolean> {
  if (limitsOff(env)) return true;
  if (env.RATE_LIMIT_BACKEND === "isolate") return isolateLimit(policy, key);
  try {
    return (await env[policy.binding].limit({ key })).success;
  } catch (err) {
    console.error(JSON.stringify({ level: "error", msg: "rate limiter failed", policy: policy.name, error: String(err) }));
    return true;
  }
}

/** The 429 envelope of `policy`, with Retry-After and the RateLimit headers. */
export function rateLimited(c: Context<AppEnv>, policy: RatePolicy, applied: readonly RatePolicy[], message?: string) {
  const headers = limitedHeaders(policy, applied);
  return errorResponse(
    c,
    "rate_limited",
    message ?? `Too many requests from this ${policy.per}; try again later`,
    { policy: policy.name, limit: policy.limit, window_seconds: policy.period, retry_after_seconds: Number(headers["Retry-After"]) },
    headers,
  );
}

const headerCache = new WeakMap<readonly RatePolicy[], string>();
/** The RateLimit-Policy value of a list of policies, built once per list (the lists are constants). */
function policyHeaderOf(applied: readonly RatePolicy[]): string {
  let h = headerCache.get(applied);
  if (h === undefined) {
    h = policyHeader(applied);
    headerCache.set(applied, h);
  }
  return h;
}

/** The per-IP policies of a request: every route's, and the auth routes' on top (both keyed by the client IP). */
const API_ONLY: readonly RatePolicy[] = [POLICIES.apiIp];
const API_AND_AUTH: readonly RatePolicy[] = [POLICIES.apiIp, POLICIES.authIp];

export function rateLimits(): MiddlewareHandler<AppEnv> {
  return async function rateLimitMiddleware(c, next) {
    if (limitsOff(c.env)) return next();
    const ip = clientKey(c.req.header("cf-connecting-ip"));
    const applied = c.req.method === "POST" && AUTH_PATHS.has(c.req.path) ? API_AND_AUTH : API_ONLY;
    const verdicts = await Promise.all(applied.map((policy) => allowed(c.env, policy, ip)));
    const refused = applied.find((_, i) => !verdicts[i]);
    if (refused) return rateLimited(c, refused, applied);
    await next();
    const inner = c.res.headers.get("RateLimit-Policy");
    const outer = policyHeaderOf(applied);
    c.res.headers.set("RateLimit-Policy", inner ? `${outer}, ${inner}` : outer);
  };
}

/**
 * Counts one transfer refused because its destination cannot receive against
 * the caller's `refused-destination` policy; the 429 to send instead of the
 * refusal once the user is past it, else null.
 */
export async function refusedDestinationLimited(c: Context<AppEnv>) {
  const policy = POLICIES.refusedDestination;
  if (await allowed(c.env, policy, c.get("principal").userId)) return null;
  return rateLimited(c, policy, [policy], "Too many transfers to accounts that cannot receive them; try again later");
}
