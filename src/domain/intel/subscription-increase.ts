/**
 * The anomaly score's "subscription price increase" input (issue 12,
 * "Anomalies and risk"): the recurring detector (recurring.ts) runs over the
 * user's earlier charges at the event's merchant (same direction and
 * currency). When it finds an active fixed-amount stream whose next charge is
 * due on the event's day (within the stream's date tolerance) and the event is
 * above the stream's accepted amount beyond the 7.5 % tolerance, the charge is
 * a price increase. A charge that confirms a higher price already pending (the
 * second charge that agrees, which accepts the new price) is not reported
 * again. Pure: no clock, the event's own instant is the as-of.
 *
 * The scorer calls this for every event, so two exact pre-checks skip the
 * detector when no stream could report an increase (test/subscription-fast-path.unit.test.ts
 * compares with the detector alone on generated histories):
 * - lead: consecutive scheduled dates of any frequency are at least 7 days
 *   apart (semi-monthly at a clamped month end, and weekly), so with both ends
 *   within a tolerance of ±2 days a stream's last charge — and so every
 *   charge of it — is at least MIN_LEAD_DAYS before a due event's day;
 * - amount: the accepted amount is the amount of one of the stream's charges;
 *   the event must exceed it beyond 7.5 %, and if it does not exceed the
 *   smallest such charge so, it exceeds none.
 */
import { AMOUNT_TOLERANCE_PERMILLE, DATE_TOLERANCE, detectRecurring } from "./recurring";
import { dayDiff, dayOf, type IntelTransaction, withinPermille } from "./types";

/** Fewest days between a stream's last charge and the next one's due day, tolerances included. */
export const MIN_LEAD_DAYS = 3;

export interface PriceIncrease {
  stream_key: string;
  old_amount: number;
  new_amount: number;
}

/** The event's earlier charges at its merchant, same direction and currency, in history order. */
export function earlierAtMerchant(
  event: IntelTransaction,
  history: readonly IntelTransaction[],
  merchantKey: (tx: IntelTransaction) => string,
): IntelTransaction[] {
  const key = merchantKey(event);
  return history.filter(
    (t) =>
      t.occurred_at < event.occurred_at &&
      t.id !== event.id &&
      t.direction === event.direction &&
      t.currency === event.currency &&
      merchantKey(t) === key,
  );
}

/** Whether some stream over `earlier` could still report the event as an increase (the pre-checks above). */
export function increasePossible(event: IntelTransaction, earlier: readonly IntelTransaction[]): boolean {
  const day = dayOf(event.occurred_at);
  let leading = 0;
  let smallest = Number.POSITIVE_INFINITY;
  for (const t of earlier) {
    if (!(dayDiff(dayOf(t.occurred_at), day) >= MIN_LEAD_DAYS)) continue;
    leading++;
    if (t.amount < smallest) smallest = t.amount;
  }
  if (leading < 2) return false;
  return event.amount > smallest && !withinPermille(event.amount, smallest, AMOUNT_TOLERANCE_PERMILLE);
}

export function subscriptionPriceIncrease(
  event: IntelTransaction,
  history: readonly IntelTransaction[],
  merchantKey: (tx: IntelTransaction) => string,
): PriceIncrease | null {
  const earlier = earlierAtMerchant(event, history, merchantKey);
  if (earlier.length < 2 || !increasePossible(event, earlier)) return null;
  return detectIncrease(event, earlier, merchantKey);
}

/** The detector's verdict over the event's earlier charges at its merchant (no pre-check). */
export function detectIncrease(
  event: IntelTransaction,
  earlier: readonly IntelTransaction[],
  merchantKey: (tx: IntelTransaction) => string,
): PriceIncrease | null {
  if (earlier.length < 2) return null;
  const key = merchantKey(event);
  const streams = detectRecurring(earlier, { asOf: event.occurred_at, merchantKey: (t) => ({ key: merchantKey(t), name: key }) });
  const day = dayOf(event.occurred_at);
  for (const s of streams) {
    if (!s.is_active || s.amount_kind !== "fixed") continue;
    if (Math.abs(dayDiff(s.predicted_next_date, day)) > DATE_TOLERANCE[s.frequency]) continue;
    if (event.amount <= s.current_amount || withinPermille(event.amount, s.current_amount, AMOUNT_TOLERANCE_PERMILLE)) continue;
    if (s.pending_amount !== null && withinPermille(event.amount, s.pending_amount, AMOUNT_TOLERANCE_PERMILLE)) continue;
    return { stream_key: s.stream_key, old_amount: s.current_amount, new_amount: event.amount };
  }
  return null;
}
