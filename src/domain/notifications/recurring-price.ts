/**
 * The `recurring_price_changed` alert: a recurring stream's new price was
 * accepted (two consecutive charges agreed, src/domain/intel/recurring.ts).
 * Sourced by stream, effective day and new amount, so each price change
 * reaches the inbox once however many reads or digests see it.
 */
import type { Explanation } from "../intel/types";
import { formatMinor } from "../money";
import type { NotificationDraft } from "./from-event";

export function recurringPriceChanged(
  stream: { id: string; merchant_name: string; currency: string },
  change: Explanation,
): NotificationDraft {
  const oldAmount = Number(change.baseline.old_amount);
  const newAmount = Number(change.observed.new_amount);
  const effective = String(change.observed.effective_date);
  const up = newAmount > oldAmount;
  return {
    kind: "recurring_price_changed",
    title: `${stream.merchant_name} ${up ? "raised" : "lowered"} its price to ${formatMinor(newAmount, stream.currency)}`,
    body: `From ${formatMinor(oldAmount, stream.currency)} to ${formatMinor(newAmount, stream.currency)}, since ${effective}. ${change.reason}`,
    link: "/subscriptions",
    source_event_id: `recurring_price_changed:${stream.id}:${effective}:${newAmount}`,
    data: { stream_id: stream.id, reasons: [change] },
  };
}
