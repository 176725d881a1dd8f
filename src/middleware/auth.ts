/**
 * Bearer-token authentication and the admin gate. Identity comes only from the
 * token's `sub`; its session (`sid`) must still be live in the user's UserDO,
 * so logout and revocation end the token at once. A valid token is also
 * counted against the per-user rate limit (POLICIES.apiUser, keyed by the
 * user id), in parallel with the session check.
 */
import type { MiddlewareHandler } from "hono";
import { type Principal, verifyAccessToken } from "../auth/access-token";
import { knownActive, rememberActive, sessionGeneration } from "../auth/session-cache";
import { sessionActive } from "../auth/sessions";
import { apiUserPolicy, policyHeader } from "../lib/rate-policies";
import type { AppEnv } from "../types";
import { errorResponse } from "./errors";
import { allowed, limitsOff, rateLimited } from "./rate-limit";

export function requireAuth(): MiddlewareHandler<AppEnv> {
  return async function authMiddleware(c, next) {
    const header = c.req.header("authorization") ?? "";
    // The scheme is case-insensitive (RFC 9110 §11.1); the token68 itself is not.
    const match = /^Bearer ([A-Za-z0-9._~+/=-]+)$/i.exec(header);
    const verified = match?.[1] ? await verifyAccessToken(c.get("config"), match[1]) : null;
    const userPolicy = apiUserPolicy(c.env);
    const [active, underLimit] = verified
      ? await Promise.all([live(c.env, verified), allowed(c.env, userPolicy, verified.userId)])
      : [false, true];
    const principal = verified && active ? verified : null;
    if (!principal) {
      return errorResponse(c, "unauthorized", "A valid bearer access token is required", undefined, {
        "WWW-Authenticate": 'Bearer realm="finedge"',
      });
    }
    if (!underLimit) return rateLimited(c, userPolicy, [userPolicy]);
    c.set("principal", principal);
    await next();
    if (limitsOff(c.env)) return;
    // The outer rate-limit middleware adds the per-IP policies in front; a route's own policy follows.
    const inner = c.res.headers.get("RateLimit-Policy");
    const own = userPolicyHeader(userPolicy);
    c.res.headers.set("RateLimit-Policy", inner ? `${own}, ${inner}` : own);
  };
}

export function requireAdmin(): MiddlewareHandler<AppEnv> {
  return async function adminMiddleware(c, next) {
    if (c.get("principal")?.role !== "admin") return errorResponse(c, "forbidden", "Administrator role required");
    await next();
  };
}

/** Data feeds in (market ticks, news): the `feeder` role or an administrator. */
export function requireFeeder(): MiddlewareHandler<AppEnv> {
  return async function feederMiddleware(c, next) {
    const role = c.get("principal")?.role;
    if (role !== "admin" && role !== "feeder") return errorResponse(c, "forbidden", "The feeder or administrator role is required");
    await next();
  };
}

/** Whether the token's session is still live: the UserDO's answer, or this isolate's recent one (src/auth/session-cache.ts). */
async function live(env: Env, p: Principal): Promise<boolean> {
  // Local benchmarks only (config.ts refuses it elsewhere): the comparison server that prices this check.
  if (env.SESSION_CHECK === "off") return true;
  if (knownActive(p.userId, p.sessionId)) return true;
  const asked = sessionGeneration();
  const active = await sessionActive(env, p.userId, p.sessionId);
  if (active) rememberActive(p.userId, p.sessionId, asked);
  return active;
}

const headerOf = new WeakMap<object, string>();
function userPolicyHeader(policy: ReturnType<typeof apiUserPolicy>): string {
  let h = headerOf.get(policy);
  if (h === undefined) {
    h = policyHeader([policy]);
    headerOf.set(policy, h);
  }
  return h;
}
