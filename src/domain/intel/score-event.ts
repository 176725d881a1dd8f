/**
 * One event's anomaly score exactly as the live consumer computes it
 * (queues/anomalies.ts): the recurring detector's price-increase signal over
 * the same history, then the additive scorer. Pure; the labelled evaluation
 * (src/domain/intel/eval/) scores its synthetic events through it too.
 *
 * The consumer scores a batch's events against one history per user, so the
 * per-history work is done once (`prepareHistory`): each row's instant parsed,
 * and the rows grouped by merchant key (in history order) for the price-increase
 * input, which reads only the event's merchant. Same answers as scoring each
 * event against the bare history (test/subscription-fast-path.unit.test.ts).
 */
import { type AnomalyScore, scoreTransaction } from "./anomaly";
import { subscriptionPriceIncrease } from "./subscription-increase";
import type { IntelTransaction } from "./types";

export interface PreparedHistory {
  rows: readonly IntelTransaction[];
  merchantKey: (tx: IntelTransaction) => string;
  instants: readonly number[];
  byMerchant: ReadonlyMap<string, readonly IntelTransaction[]>;
}

export function prepareHistory(rows: readonly IntelTransaction[], merchantKey: (tx: IntelTransaction) => string): PreparedHistory {
  const byMerchant = new Map<string, IntelTransaction[]>();
  const instants = rows.map((t) => {
    const key = merchantKey(t);
    const list = byMerchant.get(key);
    if (list) list.push(t);
    else byMerchant.set(key, [t]);
    return Date.parse(t.occurred_at);
  });
  return { rows, merchantKey, instants, byMerchant };
}

export function scoreEvent(
  event: IntelTransaction,
  history: readonly IntelTransaction[],
  merchantKey: (tx: IntelTransaction) => string,
): AnomalyScore {
  const increase = subscriptionPriceIncrease(event, history, merchantKey);
  return scoreTransaction({ event, history, merchantKey, subscription_price_increase: increase });
}

/** scoreEvent against a prepared history: the same score. */
export function scorePrepared(event: IntelTransaction, prepared: PreparedHistory): AnomalyScore {
  const { rows, merchantKey, instants } = prepared;
  const atMerchant = prepared.byMerchant.get(merchantKey(event)) ?? [];
  const increase = subscriptionPriceIncrease(event, atMerchant, merchantKey);
  return scoreTransaction({ event, history: rows, merchantKey, instants, subscription_price_increase: increase });
}
