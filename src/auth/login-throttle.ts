/**
 * Per-email login throttling in D1 (`login_throttle`). Every attempt is counted
 * before its password is checked, by one atomic upsert that also sets the lock,
 * so parallel guesses cannot race past the limit. The fifth attempt within
 * fifteen minutes locks the email; a success clears the count, so in effect
 * five failures lock it. While locked, attempts are refused and not counted.
 * Each attempt after a lock ends doubles the lock, up to an hour.
 */
import { eq, sql } from "drizzle-orm";
import type { DrizzleD1Database } from "drizzle-orm/d1";
import { loginThrottle } from "../db/schema";

export const MAX_FAILURES = 5;
export const FAILURE_WINDOW_MS = 15 * 60 * 1000;
export const BASE_LOCK_MS = 5 * 60 * 1000;
export const MAX_LOCK_MS = 60 * 60 * 1000;

type Db = DrizzleD1Database;

export type LoginAttempt = { allowed: true } | { allowed: false; retryAfterSeconds: number };

/**
 * Counts one attempt unless the email is locked. `allowed: false` means refuse
 * without checking the password. The `failures` column counts attempts not yet
 * followed by a success.
 */
export async function beginLoginAttempt(db: Db, email: string, now = Date.now()): Promise<LoginAttempt> {
  const t = loginThrottle;
  const expired = sql`${t.windowStartedAt} + ${FAILURE_WINDOW_MS} < ${now}`;
  const count = sql`(CASE WHEN ${expired} THEN 1 ELSE ${t.failures} + 1 END)`;
  const locks = sql`${count} >= ${MAX_FAILURES}`;
  // The lock for a count at or past the limit: BASE_LOCK_MS, doubling with each count after, capped at MAX_LOCK_MS.
  const lockEnd = sql`(${now} + min(${BASE_LOCK_MS} << min(${count} - ${MAX_FAILURES}, 20), ${MAX_LOCK_MS}))`;
  const [counted, row] = await db.batch([
    db
      .insert(t)
      .values({ email, failures: 1, windowStartedAt: now, lockedUntil: 0 })
      .onConflictDoUpdate({
        target: t.email,
        set: {
          failures: count,
          lockedUntil: sql`CASE WHEN ${locks} THEN ${lockEnd} ELSE ${t.lockedUntil} END`,
          // The window restarts when the lock ends, so an attempt right after a
          // lock keeps counting (and doubling) instead of earning five fresh ones.
          windowStartedAt: sql`CASE WHEN ${locks} THEN ${lockEnd} WHEN ${expired} THEN ${now} ELSE ${t.windowStartedAt} END`,
        },
        // A locked row is left alone, and RETURNING then yields nothing.
        setWhere: sql`${t.lockedUntil} <= ${now}`,
      })
      .returning({ failures: t.failures }),
    db.select({ lockedUntil: t.lockedUntil }).from(t).where(eq(t.email, email)),
  ]);
  if (counted.length > 0) return { allowed: true };
  const lockedUntil = row[0]?.lockedUntil ?? now;
  return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil((lockedUntil - now) / 1000)) };
}

/** A successful login clears the email's history. */
export async function resetLoginFailures(db: Db, email: string): Promise<void> {
  await db.delete(loginThrottle).where(eq(loginThrottle.email, email));
}
