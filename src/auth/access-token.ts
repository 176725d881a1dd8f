/**
 * Access tokens: HS256 JWTs signed with jose, 15 minutes, algorithm pinned on
 * verify, `iss`/`aud`/`exp`/`sub` all checked. Identity comes only from `sub`.
 */
import { jwtVerify, SignJWT } from "jose";
import type { AppConfig } from "../config";

export const ACCESS_TOKEN_TTL_SECONDS = 15 * 60;
const ALG = "HS256";

export type Role = "user" | "admin";
export interface Principal {
  userId: string;
  role: Role;
}

const keys = new Map<string, Uint8Array>();
function keyFor(secret: string): Uint8Array {
  let key = keys.get(secret);
  if (!key) {
    key = new TextEncoder().encode(secret);
    keys.set(secret, key);
  }
  return key;
}

export async function signAccessToken(config: AppConfig, principal: Principal, now = Date.now()): Promise<string> {
  const iat = Math.floor(now / 1000);
  return new SignJWT({ role: principal.role })
    .setProtectedHeader({ alg: ALG, typ: "JWT" })
    .setSubject(principal.userId)
    .setIssuer(config.issuer)
    .setAudience(config.audience)
    .setIssuedAt(iat)
    .setExpirationTime(iat + ACCESS_TOKEN_TTL_SECONDS)
    .setJti(crypto.randomUUID())
    .sign(keyFor(config.jwtSecret));
}

/** The principal in a valid token, or null for anything else (never throws). */
export async function verifyAccessToken(config: AppConfig, token: string): Promise<Principal | null> {
  try {
    const { payload } = await jwtVerify(token, keyFor(config.jwtSecret), {
      algorithms: [ALG],
      issuer: config.issuer,
      audience: config.audience,
      requiredClaims: ["sub", "exp", "iat"],
    });
    const role = payload.role === "admin" ? "admin" : payload.role === "user" ? "user" : null;
    if (!payload.sub || !role) return null;
    return { userId: payload.sub, role };
  } catch {
    return null;
  }
}
