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
 */
import { AMOUNT_TOLERANCE_PERMILLE, DATE_TOLERANCE, detectRecurring } from "./recurring";
import { dayDiff, dayOf, type IntelTransaction, withinPermille } from "./types";

export interface PriceIncrease {
  stream_key: string;
  old_amount: number;
  new_amount: number;
}

export function subscriptionPriceIncrease(
  event: IntelTransaction,
  history: readonly IntelTransaction[],
  merchantKey: (tx: IntelTransaction) => string,
): PriceIncrease | null {
  const key = merchantKey(event);
  const earlier = history.filter(
    (t) =>
      t.occurred_at < event.occurred_at &&
      t.id !== event.id &&
      t.direction === event.direction &&
      t.currency === event.currency &&
      merchantKey(t) === key,
  );
  if (earlier.length < 2) return null;
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
