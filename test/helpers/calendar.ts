/**
 * Keeps "this period" tests off the UTC midnight. The server reads its own
 * clock, so a test that posts "now" and then reads the current day, week or
 * month would break if midnight fell between the two; near midnight it waits.
 */

const DAY_MS = 86_400_000;

/** Resolves at once unless the next UTC midnight is within `marginMs`; then just after it. */
export async function clearOfUtcMidnight(marginMs = 20_000): Promise<void> {
  const untilMidnight = DAY_MS - (Date.now() % DAY_MS);
  if (untilMidnight > marginMs) return;
  await new Promise((resolve) => setTimeout(resolve, untilMidnight + 1_000));
}

/** The hook timeout a `beforeEach(clearOfUtcMidnight)` needs: the longest wait plus slack. */
export const CLEAR_OF_MIDNIGHT_TIMEOUT_MS = 40_000;

/**
 * A random day between 2001 and 2019 (YYYY-MM-DD), for tests that read a
 * whole day or date partition: the rows there are then only theirs.
 */
export function uniqueDay(): string {
  const start = Date.UTC(2001, 0, 1);
  const days = Math.floor((Date.UTC(2019, 11, 31) - start) / DAY_MS);
  const pick = crypto.getRandomValues(new Uint32Array(1))[0]! % days;
  return new Date(start + pick * DAY_MS).toISOString().slice(0, 10);
}

/** The day after a YYYY-MM-DD day. */
export function nextDay(day: string): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + DAY_MS).toISOString().slice(0, 10);
}
