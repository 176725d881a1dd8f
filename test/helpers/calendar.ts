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
