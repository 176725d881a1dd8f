/**
 * One event's anomaly score exactly as the live consumer computes it
 * (queues/anomalies.ts): the recurring detector's price-increase signal over
 * the same history, then the additive scorer. Pure; the labelled evaluation
 * (src/domain/intel/eval/) scores its synthetic events through it too.
 */
import { type AnomalyScore, scoreTransaction } from "./anomaly";
import { subscriptionPriceIncrease } from "./subscription-increase";
import type { IntelTransaction } from "./types";

export function scoreEvent(
  event: IntelTransaction,
  history: readonly IntelTransaction[],
  merchantKey: (tx: IntelTransaction) => string,
): AnomalyScore {
  const increase = subscriptionPriceIncrease(event, history, merchantKey);
  return scoreTransaction({ event, history, merchantKey, subscription_price_increase: increase });
}
