/**
 * The hot path of requireAuth's session check: the UserDO's "active" answers
 * this isolate saw, kept for at most SESSION_CACHE_MS, so a burst of requests
 * under one session costs one UserDO call instead of one each.
 *
 * Revocation stays immediate wherever the UserDO runs in this isolate (local
 * dev, the tests, and deployed whenever the object shares the isolate): every
 * session change the object makes (open, revoke, revoke all, disable) calls
 * `sessionsChanged()`, which empties the cache, and an answer that was in
 * flight across a change is not kept. An isolate that does not host the user's
 * object learns of a revocation within SESSION_CACHE_MS. Only positive answers
 * are kept: a revoked or unknown session is asked about every time.
 */

/** How long a positive answer is reused. */
export const SESSION_CACHE_MS = 1_000;
const MAX_ENTRIES = 10_000;

let generation = 0;
const known = new Map<string, number>();

const keyOf = (userId: string, sessionId: string) => `${userId}\n${sessionId}`;

/** True when this isolate saw the session active less than SESSION_CACHE_MS ago and nothing changed since. */
export function knownActive(userId: string, sessionId: string, now = Date.now()): boolean {
  const until = known.get(keyOf(userId, sessionId));
  return until !== undefined && until > now;
}

/** The current generation, read before asking the UserDO. */
export function sessionGeneration(): number {
  return generation;
}

/** Keeps a positive answer obtained at `asked` (a generation), unless sessions changed while it was in flight. */
export function rememberActive(userId: string, sessionId: string, asked: number, now = Date.now()): void {
  if (asked !== generation) return;
  if (known.size >= MAX_ENTRIES) known.clear();
  known.set(keyOf(userId, sessionId), now + SESSION_CACHE_MS);
}

/** Called by the UserDO on every session change in this isolate. */
export function sessionsChanged(): void {
  generation++;
  known.clear();
}
