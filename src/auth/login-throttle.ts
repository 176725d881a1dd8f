/**
 * Login throttling in D1 (`login_attempts`), keyed by the client and by the
 * client and email, never by the email alone: a stranger's guesses slow down
 * only the stranger, and the owner's right password from any other client is
 * checked as usual. Per (client, email) the fifth attempt within fifteen
 * minutes starts a backoff of five minutes; per client, the twentieth (any
 * emails). Every attempt after a backoff ends doubles it, up to an hour. A
 * success clears the pair and takes its own attempt off the client's count.
 *
 * Both counts are taken by one D1 batch (a transaction) before the password
 * is checked, so parallel guesses cannot race past the limit; a refused
 * attempt counts nowhere. The same batch prunes rows whose window is over
 * and, past a hard cap on rows, the oldest ones, so unknown emails cannot grow
 * the table without bound.
 */

export const PAIR_MAX_FAILURES = 5;
export const CLIENT_MAX_FAILURES = 20;
export const FAILURE_WINDOW_MS = 15 * 60 * 1000;
export const BASE_LOCK_MS = 5 * 60 * 1000;
export const MAX_LOCK_MS = 60 * 60 * 1000;
export const MAX_ROWS = 100_000;
/** Expired rows deleted per attempt at most, so one login never pays for a large sweep. */
export const PRUNE_BATCH = 100;

export type LoginAttempt = { allowed: true } | { allowed: false; retryAfterSeconds: number };

export const clientThrottleKey = (client: string) => `ip:${client}`;
export const pairThrottleKey = (client: string, email: string) => `pair:${client} ${email}`;

/** The upsert counting one attempt under the key ?1 at ?3 = now, when `guard` holds. */
function countAttempt(max: number, guard: string): string {
  const expired = `window_started_at + ${FAILURE_WINDOW_MS} < ?3`;
  const count = `(CASE WHEN ${expired} THEN 1 ELSE failures + 1 END)`;
  const locks = `${count} >= ${max}`;
  // BASE_LOCK_MS at the limit, doubling with each attempt after it, capped at MAX_LOCK_MS.
  const lockEnd = `(?3 + min(${BASE_LOCK_MS} << min(${count} - ${max}, 20), ${MAX_LOCK_MS}))`;
  return `INSERT INTO login_attempts (key, failures, window_started_at, locked_until)
    SELECT ?1, 1, ?3, 0 WHERE ${guard}
    ON CONFLICT (key) DO UPDATE SET
      failures = ${count},
      locked_until = CASE WHEN ${locks} THEN ${lockEnd} ELSE locked_until END,
      -- The window restarts when the backoff ends, so the next attempt keeps doubling it.
      window_started_at = CASE WHEN ${locks} THEN ${lockEnd} WHEN ${expired} THEN ?3 ELSE window_started_at END
    RETURNING failures`;
}

const PRUNE = `DELETE FROM login_attempts WHERE key IN
  (SELECT key FROM login_attempts WHERE window_started_at < ?1 - ${FAILURE_WINDOW_MS} LIMIT ${PRUNE_BATCH})`;
// Rows in backoff have their window start at its end, in the future, so they are the last to go.
const CAP = `DELETE FROM login_attempts WHERE key IN
  (SELECT key FROM login_attempts ORDER BY window_started_at LIMIT max(0, (SELECT count(*) FROM login_attempts) - ?1 + 2))`;
// The client counts when neither it nor the pair (?2) is in backoff.
const COUNT_CLIENT = countAttempt(
  CLIENT_MAX_FAILURES,
  "NOT EXISTS (SELECT 1 FROM login_attempts WHERE key IN (?1, ?2) AND locked_until > ?3)",
);
// changes() is the row count of the statement just before: the pair counts exactly when the client did
// (whose guard already checked the pair; a backoff this very attempt started on the client does not refuse it).
const COUNT_PAIR = countAttempt(PAIR_MAX_FAILURES, "changes() = 1");

/** Counts one attempt of `client` at `email`, or refuses it without checking the password (`allowed: false`). */
export async function beginLoginAttempt(
  db: D1Database,
  client: string,
  email: string,
  now = Date.now(),
  maxRows = MAX_ROWS,
): Promise<LoginAttempt> {
  const ip = clientThrottleKey(client);
  const pair = pairThrottleKey(client, email);
  const [, , , counted, locks] = await db.batch([
    db.prepare(PRUNE).bind(now),
    db.prepare(CAP).bind(maxRows),
    db.prepare(COUNT_CLIENT).bind(ip, pair, now),
    db.prepare(COUNT_PAIR).bind(pair, ip, now),
    db.prepare("SELECT max(locked_until) AS until FROM login_attempts WHERE key IN (?1, ?2)").bind(ip, pair),
  ]);
  if ((counted?.results.length ?? 0) > 0) return { allowed: true };
  const until = (locks?.results[0] as { until: number | null } | undefined)?.until ?? now;
  return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil((until - now) / 1000)) };
}

/**
 * A successful login clears the pair and takes its attempt off the client's
 * count; a backoff that very attempt started on the client is lifted.
 */
export async function recordLoginSuccess(db: D1Database, client: string, email: string, now = Date.now()): Promise<void> {
  await db.batch([
    db.prepare("DELETE FROM login_attempts WHERE key = ?1").bind(pairThrottleKey(client, email)),
    db
      .prepare(
        `UPDATE login_attempts SET failures = max(failures - 1, 0),
           locked_until = CASE WHEN failures - 1 < ${CLIENT_MAX_FAILURES} THEN 0 ELSE locked_until END,
           window_started_at = CASE WHEN failures - 1 < ${CLIENT_MAX_FAILURES} AND locked_until > ?2 THEN ?2 ELSE window_started_at END
         WHERE key = ?1`,
      )
      .bind(clientThrottleKey(client), now),
  ]);
}
