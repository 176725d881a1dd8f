/**
 * The outbox drain (run by the relay's timer and by the alarm, one at a time:
 * events count as sent only after `sendBatch` succeeded, so delivery is at
 * least once) and the alarm's housekeeping: finish transfers left in flight,
 * expire pending ones, prune old idempotency keys and sent events, and decide
 * when the alarm must run next. The alarm re-arms until nothing is left to do.
 */
import type { AccountDO } from "../account-do";
import { IDEMPOTENCY_RETENTION_MS } from "../../src/domain/idempotency";
import type { OutboxEvent } from "./outbox-buffer";
import { expireDue, recoverInFlight } from "./transfer-ops";

const BATCH_MESSAGES = 100;
/** Queues cap a batch at 256 KB; stay well under. */
const BATCH_BYTES = 192 * 1024;
/** Batches per drain call before yielding (the caller comes back for the rest). */
const ROUNDS_PER_DRAIN = 20;
const SENT_RETENTION_MS = 24 * 3600 * 1000;
const RECOVERY_RETRY_MS = 2_000;

export type DrainOutcome = { ok: true; remaining: number } | { ok: false; failures: number };

export async function drainOutbox(d: AccountDO): Promise<DrainOutcome> {
  const a = d.store.account();
  for (let round = 0; a && round < ROUNDS_PER_DRAIN && a.outbox_sent_seq < a.event_seq; round++) {
    const batch = d.store.outbox.next(a.outbox_sent_seq, BATCH_MESSAGES, BATCH_BYTES) ?? readUnsent(d, a.outbox_sent_seq);
    if (batch[0]?.seq !== a.outbox_sent_seq + 1) {
      // Unsent events are never pruned, so this is a broken invariant: never skip the gap, say so and retry later.
      d.outboxFailures++;
      console.error(JSON.stringify({ level: "error", msg: "outbox gap", expected_seq: a.outbox_sent_seq + 1, found: batch[0]?.seq ?? null }));
      return { ok: false, failures: d.outboxFailures };
    }
    try {
      await d.publisher.sendBatch(batch.map((e) => ({ body: e.body, contentType: "json" as const })));
    } catch (err) {
      d.outboxFailures++;
      console.warn(JSON.stringify({ level: "warn", msg: "outbox send failed; will retry", error: String(err), streak: d.outboxFailures }));
      return { ok: false, failures: d.outboxFailures };
    }
    // The batch is the oldest unsent events in seq order, so moving the watermark marks exactly them.
    d.store.markSent(batch[batch.length - 1]!.seq);
  }
  d.outboxFailures = 0;
  return { ok: true, remaining: a ? a.event_seq - a.outbox_sent_seq : 0 };
}

/** The oldest unsent events from the table (after a restart, or when the in-memory buffer does not reach back far enough). */
function readUnsent(d: AccountDO, sentSeq: number): OutboxEvent[] {
  const rows = d.storage.sql.exec<{ seq: number; body: string }>(
    "SELECT seq, body FROM outbox WHERE seq > ? ORDER BY seq LIMIT ?", sentSeq, BATCH_MESSAGES).toArray();
  const out: OutboxEvent[] = [];
  let bytes = 0;
  for (const r of rows) {
    if (out.length > 0 && bytes + r.body.length > BATCH_BYTES) break;
    bytes += r.body.length;
    out.push({ seq: r.seq, body: JSON.parse(r.body) as object, bytes: r.body.length });
  }
  return out;
}

export async function runMaintenance(d: AccountDO): Promise<void> {
  const now = Date.now();
  await recoverInFlight(d);
  expireDue(d, new Date(now).toISOString());
  d.store.keys.prune(now - IDEMPOTENCY_RETENTION_MS);
  // Sent events are kept a day for inspection — sent as stored, so a restart never finds a gap.
  // Rows are in time order, so the expired ones are a prefix: find its end without walking the rest.
  d.store.storeSentSeq();
  d.storage.sql.exec(
    `DELETE FROM outbox WHERE seq <= ?1 AND seq < COALESCE((SELECT seq FROM outbox WHERE created_at >= ?2 ORDER BY seq LIMIT 1), ?1 + 1)`,
    d.store.storedSent, now - SENT_RETENTION_MS);
}

/** When the alarm must run next, or null when there is nothing left to do. Every query here is an index seek. */
export function nextAlarmTime(d: AccountDO, drained: DrainOutcome): number | null {
  const sql = d.storage.sql;
  const now = Date.now();
  const candidates: number[] = [];
  const a = d.store.account();
  // Read from the account, not from the drain's outcome: housekeeping after the drain may have written events (expiries).
  const unsent = a !== null && a.outbox_sent_seq < a.event_seq;
  if (!drained.ok) candidates.push(now + Math.min(60_000, 500 * 2 ** Math.min(drained.failures, 7)));
  else if (unsent) candidates.push(now);
  const inFlight = sql.exec<{ n: number }>("SELECT COUNT(*) AS n FROM transfers WHERE phase = 'crediting'").one().n;
  if (inFlight > 0) candidates.push(now + RECOVERY_RETRY_MS);
  const expiry = sql.exec<{ at: string | null }>(
    "SELECT MIN(expires_at) AS at FROM transfers WHERE status = 'pending' AND phase = 'reserved'").one().at;
  if (expiry) candidates.push(Date.parse(expiry));
  const oldestKey = d.store.keys.oldestAt();
  if (oldestKey !== null) candidates.push(oldestKey + IDEMPOTENCY_RETENTION_MS + 60_000);
  const oldestSent = sql.exec<{ at: number }>("SELECT created_at AS at FROM outbox WHERE seq <= ? ORDER BY seq LIMIT 1", d.store.storedSent).toArray()[0]?.at;
  if (oldestSent !== undefined) candidates.push(oldestSent + SENT_RETENTION_MS + 60_000);
  return candidates.length ? Math.max(now, Math.min(...candidates)) : null;
}
