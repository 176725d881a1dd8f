/**
 * The rate-limit policies and their response headers. Each policy is one
 * Workers rate-limiting binding (wrangler.toml `[[ratelimits]]`); the binding
 * enforces `limit` per `period`, so the numbers here must equal the toml's
 * (test/rate-limits.security.api.test.ts checks them against the behaviour).
 *
 * Headers follow draft-ietf-httpapi-ratelimit-headers (-10): every limited
 * response carries `RateLimit-Policy: "<name>";q=<quota>;w=<window>`; a 429
 * adds `RateLimit: "<name>";r=0;t=<seconds>` and `Retry-After`. The binding
 * answers only allowed or not, so `RateLimit` (remaining quota) is sent only
 * when it is known to be zero.
 */

export type LimiterBinding = "AUTH_IP_LIMITER" | "API_IP_LIMITER" | "API_USER_LIMITER" | "REFUSED_DESTINATION_LIMITER";

export interface RatePolicy {
  /** The policy's name in the headers. */
  name: string;
  binding: LimiterBinding;
  limit: number;
  /** Seconds; Cloudflare accepts 10 or 60. */
  period: 10 | 60;
  /** What the key is, for messages. */
  per: "client IP" | "user";
}

export const POLICIES = {
  authIp: { name: "auth-ip", binding: "AUTH_IP_LIMITER", limit: 30, period: 60, per: "client IP" },
  apiIp: { name: "api-ip", binding: "API_IP_LIMITER", limit: 2000, period: 60, per: "client IP" },
  apiUser: { name: "api-user", binding: "API_USER_LIMITER", limit: 1200, period: 60, per: "user" },
  refusedDestination: { name: "refused-destination", binding: "REFUSED_DESTINATION_LIMITER", limit: 5, period: 60, per: "user" },
} as const satisfies Record<string, RatePolicy>;

/**
 * The per-user policy, with the limit `API_USER_LIMIT` names when it is set
 * (a positive integer; src/config.ts refuses anything else, and anything at
 * all outside local environments, where the binding's limit in wrangler.toml
 * counts). The benchmark raises it: its hot account is one user's, loaded far
 * past 20 requests a second on purpose.
 */
let userPolicy: { raw: string; policy: RatePolicy } | null = null;
export function apiUserPolicy(env: { API_USER_LIMIT?: string }): RatePolicy {
  const raw = env.API_USER_LIMIT ?? "";
  if (!raw) return POLICIES.apiUser;
  if (userPolicy?.raw !== raw) userPolicy = { raw, policy: { ...POLICIES.apiUser, limit: Number(raw) } };
  return userPolicy.policy;
}

export function policyHeader(policies: readonly RatePolicy[]): string {
  return policies.map((p) => `"${p.name}";q=${p.limit};w=${p.period}`).join(", ");
}

/**
 * Seconds until the policy's current window ends. Windows are aligned to the
 * wall clock (miniflare's implementation; Cloudflare documents none), so this
 * is exact locally and at most one period in production.
 */
export function secondsToReset(policy: RatePolicy, nowMs = Date.now()): number {
  const into = Math.floor(nowMs / 1000) % policy.period;
  return policy.period - into;
}

/** The headers of a 429 from `policy`. */
export function limitedHeaders(policy: RatePolicy, applied: readonly RatePolicy[], nowMs = Date.now()): Record<string, string> {
  const t = secondsToReset(policy, nowMs);
  return {
    "Retry-After": String(t),
    RateLimit: `"${policy.name}";r=0;t=${t}`,
    "RateLimit-Policy": policyHeader(applied),
  };
}
