/**
 * The delivery log of the user's webhook endpoints: one pending delivery per
 * (endpoint, message), the newest MAX_DELIVERIES per endpoint kept, and finished
 * ones only for `maxAgeMs` (RETENTION_WEBHOOK_DELIVERY_DAYS), pruned as new ones arrive. The queue
 * consumer (queues/webhooks.ts) asks `plan()` what to send (leasing the
 * delivery, so a duplicate job never sends twice) and reports each attempt to
 * `record()`, which decides (src/domain/webhooks/retry.ts) whether to retry and
 * whether the endpoint is disabled; `sweep()` re-queues what is overdue.
 */
import { randomToken } from "../../src/domain/ids";
import { isSuccess, outcomeOf } from "../../src/domain/webhooks/retry";
import type { LazySql } from "./lazy-sql";
import {
  type AttemptReport,
  type DeliveryRow,
  deliveryRow,
  endpointRow,
  iso,
  type Job,
  LEASE_MS,
  MAX_DELIVERIES,
  type SendPlan,
  SWEEP_BATCH,
  SWEEP_GRACE_MS,
  type WebhookDelivery,
} from "./webhook-rows";

export class WebhookDeliveries {
  constructor(
    readonly store: LazySql,
    readonly maxAgeMs = 30 * 86_400_000,
  ) {}

  /** A pending delivery of one message to one endpoint; the caller enqueues its job. */
  addDelivery(endpointId: string, message: { id: string; type: string; body: string }, now: number): Job {
    const sql = this.store.writable();
    const id = `dlv_${randomToken()}`;
    sql.exec(
      `INSERT INTO webhook_deliveries (id, endpoint_id, message_id, type, payload, status, next_attempt_at, created_at, updated_at)
       VALUES (?, ?, ?, ?, ?, 'pending', ?, ?, ?)`,
      id,
      endpointId,
      message.id,
      message.type,
      message.body,
      now,
      now,
      now,
    );
    const old = sql
      .exec<{ seq: number }>(
        "SELECT seq FROM webhook_deliveries WHERE endpoint_id = ? ORDER BY seq DESC LIMIT -1 OFFSET ?",
        endpointId,
        MAX_DELIVERIES,
      )
      .toArray();
    const expired = sql
      .exec<{ seq: number }>(
        "SELECT seq FROM webhook_deliveries WHERE endpoint_id = ? AND status <> 'pending' AND created_at < ? LIMIT 100",
        endpointId,
        now - this.maxAgeMs,
      )
      .toArray();
    for (const { seq } of [...old, ...expired]) {
      sql.exec("DELETE FROM webhook_attempts WHERE delivery_seq = ?", seq);
      sql.exec("DELETE FROM webhook_deliveries WHERE seq = ?", seq);
    }
    return { endpoint_id: endpointId, delivery_id: id, attempt: 1 };
  }

  #delivery(endpointId: string, deliveryId: string): DeliveryRow | null {
    return deliveryRow(this.store, endpointId, deliveryId);
  }

  #toDelivery(r: DeliveryRow): WebhookDelivery {
    const attempts = this.store
      .readable!.exec<{ n: number; at: number; status_code: number | null; duration_ms: number; error: string | null }>(
        "SELECT n, at, status_code, duration_ms, error FROM webhook_attempts WHERE delivery_seq = ? ORDER BY n",
        r.seq,
      )
      .toArray()
      .map((a) => ({ ...a, at: iso(a.at)! }));
    return {
      id: r.id,
      object: "webhook_delivery",
      endpoint_id: r.endpoint_id,
      message_id: r.message_id,
      type: r.type,
      status: r.status,
      attempts,
      next_attempt_at: r.status === "pending" ? iso(r.next_attempt_at) : null,
      created_at: iso(r.created_at)!,
      updated_at: iso(r.updated_at)!,
    };
  }

  delivery(endpointId: string, deliveryId: string): WebhookDelivery | null {
    const r = this.#delivery(endpointId, deliveryId);
    return r ? this.#toDelivery(r) : null;
  }

  /** Newest first. */
  deliveries(endpointId: string, limit: number): WebhookDelivery[] {
    const sql = this.store.readable;
    if (!sql) return [];
    return sql
      .exec<DeliveryRow>("SELECT * FROM webhook_deliveries WHERE endpoint_id = ? ORDER BY seq DESC LIMIT ?", endpointId, limit)
      .toArray()
      .map((r) => this.#toDelivery(r));
  }

  /** A new delivery of the same message (same webhook-id, same body), attempts from one. */
  redeliver(endpointId: string, deliveryId: string, now: number): Job | null {
    const r = this.#delivery(endpointId, deliveryId);
    if (!r) return null;
    return this.addDelivery(endpointId, { id: r.message_id, type: r.type, body: r.payload }, now);
  }

  /**
   * What to send now for this attempt, leasing the delivery; null when the endpoint is gone or
   * disabled, the delivery is no longer pending, the attempt is not the next one, or another job holds the lease.
   */
  plan(endpointId: string, deliveryId: string, attempt: number, now: number): SendPlan | null {
    const e = endpointRow(this.store, endpointId);
    const d = this.#delivery(endpointId, deliveryId);
    if (!e || !d || e.disabled_at !== null || d.status !== "pending" || d.attempts + 1 !== attempt) return null;
    if (d.lease_until !== null && d.lease_until > now) return null;
    this.store.writable().exec("UPDATE webhook_deliveries SET lease_until = ? WHERE seq = ?", now + LEASE_MS, d.seq);
    const secrets = [e.secret];
    if (e.previous_secret && e.previous_secret_until !== null && e.previous_secret_until > now) secrets.push(e.previous_secret);
    return { url: e.url, secrets, message_id: d.message_id, body: d.payload, attempt: d.attempts + 1 };
  }

  /** Logs one attempt; returns when to retry (null: done) and the reason when the endpoint was disabled now. */
  record(
    endpointId: string,
    deliveryId: string,
    attempt: number,
    report: AttemptReport,
    now: number,
    random?: () => number,
  ): { retry_in_seconds: number | null; disabled: string | null } | null {
    const e = endpointRow(this.store, endpointId);
    const d = this.#delivery(endpointId, deliveryId);
    if (!e || !d || d.status !== "pending" || d.attempts + 1 !== attempt) return null;
    const sql = this.store.writable();
    const ok = isSuccess(report.status);
    const failingSince = ok ? null : (e.failing_since ?? now);
    const failures = ok ? 0 : e.consecutive_failures + 1;
    const outcome = outcomeOf({
      status: report.status,
      attempt,
      retryAfter: report.retry_after,
      baseSeconds: report.base_seconds,
      failingSince,
      consecutiveFailures: failures,
      now,
      ...(random ? { random } : {}),
    });
    sql.exec(
      "INSERT INTO webhook_attempts (delivery_seq, n, at, status_code, duration_ms, error) VALUES (?, ?, ?, ?, ?, ?)",
      d.seq,
      attempt,
      now,
      report.status,
      report.duration_ms,
      report.error,
    );
    const status = ok ? "succeeded" : outcome.retryInSeconds === null ? "failed" : "pending";
    sql.exec(
      "UPDATE webhook_deliveries SET status = ?, attempts = ?, next_attempt_at = ?, lease_until = NULL, updated_at = ? WHERE seq = ?",
      status,
      attempt,
      outcome.retryInSeconds === null ? null : now + outcome.retryInSeconds * 1000,
      now,
      d.seq,
    );
    sql.exec(
      "UPDATE webhook_endpoints SET failing_since = ?, consecutive_failures = ?, disabled_at = ?, disabled_reason = ? WHERE id = ?",
      failingSince,
      failures,
      outcome.disable ? now : e.disabled_at,
      outcome.disable ?? e.disabled_reason,
      endpointId,
    );
    if (outcome.disable)
      sql.exec(
        "UPDATE webhook_deliveries SET status = 'failed', next_attempt_at = NULL WHERE endpoint_id = ? AND status = 'pending'",
        endpointId,
      );
    return { retry_in_seconds: outcome.retryInSeconds, disabled: outcome.disable };
  }

  /**
   * Jobs for pending deliveries of enabled endpoints SWEEP_GRACE_MS past due and not leased; each is
   * due again in another grace period. A disabled endpoint's pending deliveries wait for it to be enabled.
   */
  sweep(now: number): Job[] {
    const sql = this.store.readable;
    if (!sql) return [];
    const due = sql
      .exec<Pick<DeliveryRow, "seq" | "id" | "endpoint_id" | "attempts">>(
        `SELECT d.seq, d.id, d.endpoint_id, d.attempts FROM webhook_deliveries d
         JOIN webhook_endpoints e ON e.id = d.endpoint_id AND e.disabled_at IS NULL
         WHERE d.status = 'pending' AND d.next_attempt_at < ? AND (d.lease_until IS NULL OR d.lease_until < ?)
         ORDER BY d.next_attempt_at LIMIT ?`,
        now - SWEEP_GRACE_MS,
        now,
        SWEEP_BATCH,
      )
      .toArray();
    for (const d of due) sql.exec("UPDATE webhook_deliveries SET next_attempt_at = ? WHERE seq = ?", now, d.seq);
    return due.map((d) => ({ endpoint_id: d.endpoint_id, delivery_id: d.id, attempt: d.attempts + 1 }));
  }

  /** When the sweep should next look (the earliest pending delivery's due time plus the grace), or null. */
  nextSweepAt(): number | null {
    const at = this.store.readable
      ?.exec<{ at: number | null }>(
        `SELECT min(d.next_attempt_at) AS at FROM webhook_deliveries d
         JOIN webhook_endpoints e ON e.id = d.endpoint_id AND e.disabled_at IS NULL WHERE d.status = 'pending'`,
      )
      .one().at;
    return at === null || at === undefined ? null : at + SWEEP_GRACE_MS;
  }
}
