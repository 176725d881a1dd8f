/**
 * Rotating refresh tokens with reuse detection (OAuth 2.0 Security BCP §4.14).
 * A token is 256 random bits, stored only as its SHA-256, and belongs to a
 * family; each refresh retires it for a successor. Presenting a retired token
 * means it leaked, so the whole family is revoked.
 */
import { and, eq, isNull, ne } from "drizzle-orm";
import type { DrizzleD1Database } from "drizzle-orm/d1";
import { refreshTokens } from "../db/schema";
import { newRefreshTokenId, newTokenFamilyId } from "../domain/ids";

export const REFRESH_TOKEN_TTL_MS = 30 * 24 * 60 * 60 * 1000;
const TOKEN_BYTES = 32;
const TOKEN_PREFIX = "rt_";

type Db = DrizzleD1Database;
export type RefreshTokenRow = typeof refreshTokens.$inferSelect;
export type RotationResult =
  | { ok: true; userId: string; familyId: string; token: string }
  | { ok: false; reason: "unknown" | "expired" }
  /** The family is revoked here in D1; the caller also ends its session (src/auth/sessions.ts). */
  | { ok: false; reason: "reused"; userId: string; familyId: string };

/** Opaque, URL-safe, 256 bits of entropy. */
export function newRefreshToken(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(TOKEN_BYTES));
  let s = "";
  for (const b of bytes) s += String.fromCharCode(b);
  return TOKEN_PREFIX + btoa(s).replaceAll("+", "-").replaceAll("/", "_").replace(/=+$/, "");
}

/** A fast hash is enough: the token is random, not a guessable password. */
export async function hashRefreshToken(token: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(token));
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, "0")).join("");
}

export async function issueRefreshToken(db: Db, userId: string, familyId = newTokenFamilyId(), now = Date.now()): Promise<string> {
  const token = newRefreshToken();
  await db.insert(refreshTokens).values({
    id: newRefreshTokenId(),
    userId,
    familyId,
    tokenHash: await hashRefreshToken(token),
    createdAt: new Date(now).toISOString(),
    expiresAt: new Date(now + REFRESH_TOKEN_TTL_MS).toISOString(),
  });
  return token;
}

export async function findRefreshToken(db: Db, token: string): Promise<RefreshTokenRow | undefined> {
  const rows = await db
    .select()
    .from(refreshTokens)
    .where(eq(refreshTokens.tokenHash, await hashRefreshToken(token)))
    .limit(1);
  return rows[0];
}

/** Revokes every still-live token of the family; idempotent. */
export async function revokeFamily(db: Db, familyId: string, now = Date.now()): Promise<void> {
  await db
    .update(refreshTokens)
    .set({ revokedAt: new Date(now).toISOString() })
    .where(and(eq(refreshTokens.familyId, familyId), isNull(refreshTokens.revokedAt)));
}

/** Revokes every still-live token of the user's families but `keepFamilyId` (a password change); idempotent. */
export async function revokeOtherFamilies(db: Db, userId: string, keepFamilyId: string, now = Date.now()): Promise<void> {
  await db
    .update(refreshTokens)
    .set({ revokedAt: new Date(now).toISOString() })
    .where(and(eq(refreshTokens.userId, userId), ne(refreshTokens.familyId, keepFamilyId), isNull(refreshTokens.revokedAt)));
}

/** Revokes every still-live refresh token of the user (disable, a lost role); idempotent. */
export async function revokeUserFamilies(db: Db, userId: string, now = Date.now()): Promise<void> {
  await db
    .update(refreshTokens)
    .set({ revokedAt: new Date(now).toISOString() })
    .where(and(eq(refreshTokens.userId, userId), isNull(refreshTokens.revokedAt)));
}

export async function rotateRefreshToken(db: Db, token: string, now = Date.now()): Promise<RotationResult> {
  const row = await findRefreshToken(db, token);
  if (!row) return { ok: false, reason: "unknown" };
  if (row.rotatedAt || row.revokedAt) {
    await revokeFamily(db, row.familyId, now);
    return { ok: false, reason: "reused", userId: row.userId, familyId: row.familyId };
  }
  if (Date.parse(row.expiresAt) <= now) return { ok: false, reason: "expired" };

  // The conditional update is the claim: of two concurrent refreshes with one
  // token only one retires it; the other is indistinguishable from reuse.
  const claimed = await db
    .update(refreshTokens)
    .set({ rotatedAt: new Date(now).toISOString() })
    .where(and(eq(refreshTokens.id, row.id), isNull(refreshTokens.rotatedAt), isNull(refreshTokens.revokedAt)))
    .returning({ id: refreshTokens.id });
  if (claimed.length !== 1) {
    await revokeFamily(db, row.familyId, now);
    return { ok: false, reason: "reused", userId: row.userId, familyId: row.familyId };
  }
  const next = await issueRefreshToken(db, row.userId, row.familyId, now);
  return { ok: true, userId: row.userId, familyId: row.familyId, token: next };
}
