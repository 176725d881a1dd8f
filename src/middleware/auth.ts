/**
 * Bearer-token authentication and the admin gate. Identity comes only from the
 * token's `sub`; its session (`sid`) must still be live in the user's UserDO,
 * so logout and revocation end the token at once.
 */
import type { MiddlewareHandler } from "hono";
import { type Principal, verifyAccessToken } from "../auth/access-token";
import { knownActive, rememberActive, sessionGeneration } from "../auth/session-cache";
import { sessionActive } from "../auth/sessions";
import type { AppEnv } from "../types";
import { errorResponse } from "./errors";

export function requireAuth(): MiddlewareHandler<AppEnv> {
  return async function authMiddleware(c, next) {
    const header = c.req.header("authorization") ?? "";
    // The scheme is case-insensitive (RFC 9110 §11.1); the token68 itself is not.
    const match = /^Bearer ([A-Za-z0-9._~+/=-]+)$/i.exec(header);
    const verified = match?.[1] ? await verifyAccessToken(c.get("config"), match[1]) : null;
    const principal = verified && (await live(c.env, verified)) ? verified : null;
    if (!principal) {
      return errorResponse(c, "unauthorized", "A valid bearer access token is required", undefined, {
        "WWW-Authenticate": 'Bearer realm="finedge"',
      });
    }
    c.set("principal", principal);
    await next();
  };
}

export function requireAdmin(): MiddlewareHandler<AppEnv> {
  return async function adminMiddleware(c, next) {
    if (c.get("principal")?.role !== "admin") return errorResponse(c, "forbidden", "Administrator role required");
    await next();
  };
}

/** Whether the token's session is still live: the UserDO's answer, or this isolate's recent one (src/auth/session-cache.ts). */
async function live(env: Env, p: Principal): Promise<boolean> {
  if (knownActive(p.userId, p.sessionId)) return true;
  const asked = sessionGeneration();
  const active = await sessionActive(env, p.userId, p.sessionId);
  if (active) rememberActive(p.userId, p.sessionId, asked);
  return active;
}
