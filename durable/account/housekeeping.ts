/**
 * The alarm's work besides the drain: finish transfers left in flight, hand
 * pending payments to the queue again, expire
 * pending ones, prune old idempotency keys and sent events, and decide when
 * the alarm must run next. The alarm re-arms until nothing is left to do.
 */
import { IDEMPOTENCY_RETENTION_MS } from "../../src/domain/idempotency";
import type { DrainOutcome } from "./outbox-relay";
import type { AccountStore } from "./store";
import type { TransferSaga } from "./transfer-saga";
import { type Payments, REDISPATCH_AFTER_MS } from "./payments";

const SENT_RETENTION_MS = 24 * 3600 * 1000;
const RECOVERY_RETRY_MS = 2_000;

export async function runMaintenance(store: AccountStore, saga: TransferSaga, payments: Payments): Promise<void> {
  const now = Date.now();
  await saga.recoverInFlight();
  await payments.redispatch();
  saga.expireDue(new Date(now).toISOString());
  // Sent events are kept a day for inspection.
  store.prune(now - IDEMPOTENCY_RETENTION_MS, now - SENT_RETENTION_MS);
}

/** When the alarm must run next, or null when there is nothing left to do. Every query here is an index seek. */
export function nextAlarmTime(store: AccountStore, drained: DrainOutcome): number | null {
  const now = Date.now();
  const candidates: number[] = [];
  const a = store.accountRow();
  // Read from the account, not from the drain's outcome: housekeeping after the drain may have written events (expiries).
  const unsent = a !== null && a.outbox_sent_seq < a.event_seq;
  if (!drained.ok) candidates.push(now + Math.min(60_000, 500 * 2 ** Math.min(drained.failures, 7)));
  else if (unsent) candidates.push(now);
  if (store.queries.inFlightCount() > 0) candidates.push(now + RECOVERY_RETRY_MS);
  // A pending payment whose first delivery never came is handed to the queue again.
  if (store.queries.payments.pendingCount() > 0) candidates.push(now + REDISPATCH_AFTER_MS);
  if (store.queries.orders.unbooked(1).length > 0) candidates.push(now + RECOVERY_RETRY_MS);
  const orderExpiry = store.queries.orders.nextOrderExpiry();
  if (orderExpiry) candidates.push(Date.parse(orderExpiry));
  const expiry = store.queries.nextExpiry();
  if (expiry) candidates.push(Date.parse(expiry));
  const oldestKey = store.keys.oldestAt();
  if (oldestKey !== null) candidates.push(oldestKey + IDEMPOTENCY_RETENTION_MS + 60_000);
  const oldestSent = store.queries.oldestSentAt(store.storedSent);
  if (oldestSent !== undefined) candidates.push(oldestSent + SENT_RETENTION_MS + 60_000);
  return candidates.length ? Math.max(now, Math.min(...candidates)) : null;
}
