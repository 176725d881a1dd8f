/**
 * When a failed webhook attempt is tried again, pure. Exponential backoff
 * with jitter: attempt n (1-based) waits between half and all of
 * base·2^(n−1) seconds, capped by Queues' longest delay (12 h); a
 * `Retry-After` (seconds or an HTTP date) longer than that wait is honoured
 * up to the same cap. A delivery gives up after MAX_ATTEMPTS; an endpoint is
 * disabled at once on 410 Gone, or after failing without a success for
 * DISABLE_AFTER_DAYS or DISABLE_AFTER_FAILURES attempts in a row.
 */

export const MAX_ATTEMPTS = 8;
/** Cloudflare Queues refuses a retry delay above 12 hours. */
export const MAX_DELAY_SECONDS = 43_200;
export const DEFAULT_BASE_SECONDS = 30;
export const DISABLE_AFTER_DAYS = 5;
export const DISABLE_AFTER_FAILURES = 50;
const DAY_MS = 86_400_000;

export function backoffSeconds(attempt: number, baseSeconds: number, random: () => number = Math.random): number {
  const ceiling = Math.min(MAX_DELAY_SECONDS, baseSeconds * 2 ** Math.max(0, attempt - 1));
  return Math.min(MAX_DELAY_SECONDS, Math.max(1, Math.round(ceiling / 2 + (random() * ceiling) / 2)));
}

/** Seconds a `Retry-After` header asks for, or null when absent or unreadable. */
export function retryAfterSeconds(header: string | null, now: number): number | null {
  if (header === null) return null;
  const text = header.trim();
  if (/^\d{1,10}$/.test(text)) return Number(text);
  const at = Date.parse(text);
  if (Number.isNaN(at)) return null;
  return Math.max(0, Math.ceil((at - now) / 1000));
}

export const isSuccess = (status: number | null) => status !== null && status >= 200 && status < 300;

export interface AttemptOutcome {
  /** Seconds until the next attempt, or null when this delivery is finished. */
  retryInSeconds: number | null;
  /** Why the endpoint is disabled now, or null. */
  disable: string | null;
}

export function outcomeOf(a: {
  status: number | null;
  attempt: number;
  retryAfter: number | null;
  baseSeconds: number;
  failingSince: number | null;
  consecutiveFailures: number;
  now: number;
  random?: () => number;
}): AttemptOutcome {
  if (isSuccess(a.status)) return { retryInSeconds: null, disable: null };
  if (a.status === 410) return { retryInSeconds: null, disable: "the endpoint answered 410 Gone" };
  if (a.failingSince !== null && a.now - a.failingSince >= DISABLE_AFTER_DAYS * DAY_MS)
    return { retryInSeconds: null, disable: `failing for ${DISABLE_AFTER_DAYS} days` };
  if (a.consecutiveFailures >= DISABLE_AFTER_FAILURES)
    return { retryInSeconds: null, disable: `${DISABLE_AFTER_FAILURES} failed attempts in a row` };
  if (a.attempt >= MAX_ATTEMPTS) return { retryInSeconds: null, disable: null };
  const wait = backoffSeconds(a.attempt, a.baseSeconds, a.random);
  return { retryInSeconds: Math.min(MAX_DELAY_SECONDS, Math.max(wait, a.retryAfter ?? 0)), disable: null };
}
