/**
 * Per-email login throttling in D1 (`login_throttle`). Five failures within
 * fifteen minutes lock the email; each further failure after a lock doubles the
 * lock, up to an hour. Counting is one atomic upsert, so parallel guesses
 * cannot slip past the limit by racing a read-then-write.
 */
import { eq, sql } from "drizzle-orm";
import type { DrizzleD1Database } from "drizzle-orm/d1";
import { loginThrottle } from "../db/schema";

export const MAX_FAILURES = 5;
export const FAILURE_WINDOW_MS = 15 * 60 * 1000;
export const BASE_LOCK_MS = 5 * 60 * 1000;
export const MAX_LOCK_MS = 60 * 60 * 1000;

type Db = DrizzleD1Database;

/** Lock length after the given failure count: none below the limit, then doubling, capped. */
export function lockDurationMs(failures: number): number {
  if (failures < MAX_FAILURES) return 0;
  const doublings = Math.min(failures - MAX_FAILURES, 20);
  return Math.min(BASE_LOCK_MS * 2 ** doublings, MAX_LOCK_MS);
}

/** Seconds until the email may try again, or 0 when it is not locked. */
export async function lockedForSeconds(db: Db, email: string, now = Date.now()): Promise<number> {
  const rows = await db.select({ lockedUntil: loginThrottle.lockedUntil }).from(loginThrottle).where(eq(loginThrottle.email, email)).limit(1);
  const lockedUntil = rows[0]?.lockedUntil ?? 0;
  return lockedUntil > now ? Math.ceil((lockedUntil - now) / 1000) : 0;
}

/** Counts one failed attempt and locks the email once the limit is reached. */
export async function recordLoginFailure(db: Db, email: string, now = Date.now()): Promise<void> {
  const windowExpired = sql`${loginThrottle.windowStartedAt} + ${FAILURE_WINDOW_MS} < ${now}`;
  const [row] = await db
    .insert(loginThrottle)
    .values({ email, failures: 1, windowStartedAt: now, lockedUntil: 0 })
    .onConflictDoUpdate({
      target: loginThrottle.email,
      set: {
        failures: sql`CASE WHEN ${windowExpired} THEN 1 ELSE ${loginThrottle.failures} + 1 END`,
        windowStartedAt: sql`CASE WHEN ${windowExpired} THEN ${now} ELSE ${loginThrottle.windowStartedAt} END`,
      },
    })
    .returning({ failures: loginThrottle.failures });
  const lockMs = lockDurationMs(row?.failures ?? 0);
  if (lockMs === 0) return;
  const until = now + lockMs;
  // The window restarts when the lock ends, so a failure right after a lock
  // keeps counting (and doubling) instead of earning five fresh guesses.
  // max() keeps a longer lock set by a concurrent failure.
  await db
    .update(loginThrottle)
    .set({
      lockedUntil: sql`max(${loginThrottle.lockedUntil}, ${until})`,
      windowStartedAt: sql`max(${loginThrottle.windowStartedAt}, ${until})`,
    })
    .where(eq(loginThrottle.email, email));
}

/** A successful login clears the email's history. */
export async function resetLoginFailures(db: Db, email: string): Promise<void> {
  await db.delete(loginThrottle).where(eq(loginThrottle.email, email));
}
