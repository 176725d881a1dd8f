/**
 * Access tokens: HS256 JWTs signed with jose, 15 minutes, algorithm pinned on
 * verify, `iss`/`aud`/`exp`/`sub`/`sid` all checked. Identity comes only from
 * `sub`; `sid` names the session (refresh-token family) whose revocation ends
 * the token early (src/auth/sessions.ts, checked by requireAuth).
 */
import { jwtVerify, SignJWT } from "jose";
import type { AppConfig } from "../config";

export const ACCESS_TOKEN_TTL_SECONDS = 15 * 60;
const ALG = "HS256";

/** `feeder` may post market ticks and history (issue 10), nothing else an admin may. */
export type Role = "user" | "admin" | "feeder";
export interface Principal {
  userId: string;
  role: Role;
  /** The session (refresh-token family id) the token belongs to. */
  sessionId: string;
}

// Imported once per isolate: jose would otherwise import raw key bytes on every sign and verify.
const keys = new Map<string, Promise<CryptoKey>>();
function keyFor(secret: string): Promise<CryptoKey> {
  let key = keys.get(secret);
  if (!key) {
    key = crypto.subtle.importKey("raw", new TextEncoder().encode(secret), { name: "HMAC", hash: "SHA-256" }, false, ["sign", "verify"]);
    keys.set(secret, key);
  }
  return key;
}

export async function signAccessToken(config: AppConfig, principal: Principal, now = Date.now()): Promise<string> {
  const iat = Math.floor(now / 1000);
  return new SignJWT({ role: principal.role, sid: principal.sessionId })
    .setProtectedHeader({ alg: ALG, typ: "JWT" })
    .setSubject(principal.userId)
    .setIssuer(config.issuer)
    .setAudience(config.audience)
    .setIssuedAt(iat)
    .setExpirationTime(iat + ACCESS_TOKEN_TTL_SECONDS)
    .setJti(crypto.randomUUID())
    .sign(await keyFor(config.jwtSecret));
}

/**
 * Tokens already verified in this isolate, until their `exp`. A token's
 * validity depends only on its bytes, the key, `iss`/`aud` and the clock, so a
 * hit under the same key and claims is as good as a fresh verification.
 */
const verified = new Map<string, { principal: Principal; expMs: number; secret: string }>();
const VERIFIED_CACHE_MAX = 10_000;

/** The principal in a valid token, or null for anything else (never throws). */
export async function verifyAccessToken(config: AppConfig, token: string): Promise<Principal | null> {
  const cacheKey = `${config.issuer}\n${config.audience}\n${token}`;
  const hit = verified.get(cacheKey);
  if (hit && hit.secret === config.jwtSecret && hit.expMs > Date.now()) return hit.principal;
  try {
    const { payload } = await jwtVerify(token, await keyFor(config.jwtSecret), {
      algorithms: [ALG],
      issuer: config.issuer,
      audience: config.audience,
      requiredClaims: ["sub", "exp", "iat", "sid"],
    });
    const role = payload.role === "admin" || payload.role === "user" || payload.role === "feeder" ? payload.role : null;
    const sid = typeof payload.sid === "string" && /^[A-Za-z0-9_-]{1,64}$/.test(payload.sid) ? payload.sid : null;
    if (!payload.sub || !role || !sid) return null;
    const principal: Principal = { userId: payload.sub, role, sessionId: sid };
    if (verified.size >= VERIFIED_CACHE_MAX) verified.clear();
    verified.set(cacheKey, { principal, expMs: payload.exp! * 1000, secret: config.jwtSecret });
    return principal;
  } catch {
    return null;
  }
}
