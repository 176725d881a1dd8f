/**
 * The user's outbound webhook endpoints and their delivery log
 * (durable/user/schema.ts V3). An endpoint has a URL, event-type filters and
 * a `whsec_` secret (shown once: at creation and at each rotation); after a
 * rotation the previous secret keeps signing for ROTATION_OVERLAP_MS. A
 * delivery is one (endpoint, message) send with its attempts; the newest
 * MAX_DELIVERIES per endpoint are kept. The queue consumer
 * (queues/webhooks.ts) asks `plan()` what to send and reports each attempt to
 * `record()`, which decides (src/domain/webhooks/retry.ts) whether to retry
 * and whether the endpoint is disabled.
 */
import { randomToken } from "../../src/domain/ids";
import { matches } from "../../src/domain/webhooks/event-types";
import { isSuccess, outcomeOf } from "../../src/domain/webhooks/retry";
import { newSecret } from "../../src/domain/webhooks/signing";
import type { NotificationKind } from "../../src/domain/notifications/kinds";
import type { LazySql } from "./lazy-sql";

export const MAX_ENDPOINTS = 10;
export const MAX_DELIVERIES = 100;
export const ROTATION_OVERLAP_MS = 24 * 3_600_000;
/** Longer than the send's 10 s timeout and the two RPCs around it. */
export const LEASE_MS = 30_000;
export const SWEEP_GRACE_MS = 60_000;
const SWEEP_BATCH = 100;

export interface WebhookEndpoint {
  id: string;
  object: "webhook_endpoint";
  url: string;
  description: string | null;
  event_types: string[];
  status: "enabled" | "disabled";
  disabled_reason: string | null;
  previous_secret_expires_at: string | null;
  created_at: string;
  updated_at: string;
}

export interface WebhookAttempt {
  n: number;
  at: string;
  status_code: number | null;
  duration_ms: number;
  error: string | null;
}

export interface WebhookDelivery {
  id: string;
  object: "webhook_delivery";
  endpoint_id: string;
  message_id: string;
  type: string;
  status: "pending" | "succeeded" | "failed";
  attempts: WebhookAttempt[];
  next_attempt_at: string | null;
  created_at: string;
  updated_at: string;
}

/** What the consumer sends: the body is fixed at creation, the headers are signed per attempt. */
export interface SendPlan {
  url: string;
  secrets: string[];
  message_id: string;
  body: string;
  attempt: number;
}

export interface AttemptReport {
  status: number | null;
  duration_ms: number;
  error: string | null;
  retry_after: number | null;
  base_seconds: number;
}

export interface Job {
  endpoint_id: string;
  delivery_id: string;
  /** The attempt this job is for (1-based). */
  attempt: number;
}

type EndpointRow = {
  id: string;
  url: string;
  description: string | null;
  event_types: string;
  secret: string;
  previous_secret: string | null;
  previous_secret_until: number | null;
  disabled_at: number | null;
  disabled_reason: string | null;
  failing_since: number | null;
  consecutive_failures: number;
  created_at: number;
  updated_at: number;
};

type DeliveryRow = {
  seq: number;
  id: string;
  endpoint_id: string;
  message_id: string;
  type: string;
  payload: string;
  status: WebhookDelivery["status"];
  attempts: number;
  next_attempt_at: number | null;
  lease_until: number | null;
  created_at: number;
  updated_at: number;
};

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

function toEndpoint(r: EndpointRow, now: number): WebhookEndpoint {
  return {
    id: r.id,
    object: "webhook_endpoint",
    url: r.url,
    description: r.description,
    event_types: JSON.parse(r.event_types) as string[],
    status: r.disabled_at === null ? "enabled" : "disabled",
    disabled_reason: r.disabled_reason,
    previous_secret_expires_at: r.previous_secret_until !== null && r.previous_secret_until > now ? iso(r.previous_secret_until) : null,
    created_at: iso(r.created_at)!,
    updated_at: iso(r.updated_at)!,
  };
}

export const newMessageId = () => `msg_${randomToken()}`;

export type CreateResult = { ok: true; endpoint: WebhookEndpoint; secret: string } | { ok: false; reason: "limit" };

export class Webhooks {
  constructor(readonly store: LazySql) {}

  #row(id: string): EndpointRow | null {
    return this.store.readable?.exec<EndpointRow>("SELECT * FROM webhook_endpoints WHERE id = ?", id).toArray()[0] ?? null;
  }

  count(): number {
    return this.store.readable?.exec<{ n: number }>("SELECT count(*) AS n FROM webhook_endpoints").one().n ?? 0;
  }

  create(input: { url: string; event_types: string[]; description: string | null }, now: number): CreateResult {
    if (this.count() >= MAX_ENDPOINTS) return { ok: false, reason: "limit" };
    const id = `whk_${randomToken()}`;
    const secret = newSecret();
    this.store
      .writable()
      .exec(
        "INSERT INTO webhook_endpoints (id, url, description, event_types, secret, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
        id,
        input.url,
        input.description,
        JSON.stringify(input.event_types),
        secret,
        now,
        now,
      );
    return { ok: true, endpoint: this.get(id, now)!, secret };
  }

  get(id: string, now: number): WebhookEndpoint | null {
    const r = this.#row(id);
    return r ? toEndpoint(r, now) : null;
  }

  list(now: number): WebhookEndpoint[] {
    const sql = this.store.readable;
    if (!sql) return [];
    return sql
      .exec<EndpointRow>("SELECT * FROM webhook_endpoints ORDER BY created_at, id")
      .toArray()
      .map((r) => toEndpoint(r, now));
  }

  /** Changes the fields given; `enabled: true` re-enables a disabled endpoint and forgets its failures. */
  update(
    id: string,
    patch: { url?: string; event_types?: string[]; description?: string | null; enabled?: boolean },
    now: number,
  ): WebhookEndpoint | null {
    const r = this.#row(id);
    if (!r) return null;
    const sql = this.store.writable();
    const enabled = patch.enabled ?? r.disabled_at === null;
    const reenable = enabled && r.disabled_at !== null;
    sql.exec(
      `UPDATE webhook_endpoints SET url = ?, event_types = ?, description = ?, disabled_at = ?, disabled_reason = ?,
         failing_since = ?, consecutive_failures = ?, updated_at = ? WHERE id = ?`,
      patch.url ?? r.url,
      patch.event_types ? JSON.stringify(patch.event_types) : r.event_types,
      patch.description === undefined ? r.description : patch.description,
      enabled ? null : (r.disabled_at ?? now),
      enabled ? null : (r.disabled_reason ?? "disabled by the user"),
      reenable ? null : r.failing_since,
      reenable ? 0 : r.consecutive_failures,
      now,
      id,
    );
    return this.get(id, now);
  }

  delete(id: string): boolean {
    const sql = this.store.readable;
    if (!sql || !this.#row(id)) return false;
    sql.exec("DELETE FROM webhook_attempts WHERE delivery_seq IN (SELECT seq FROM webhook_deliveries WHERE endpoint_id = ?)", id);
    sql.exec("DELETE FROM webhook_deliveries WHERE endpoint_id = ?", id);
    sql.exec("DELETE FROM webhook_endpoints WHERE id = ?", id);
    return true;
  }

  /** A new secret; the current one becomes the previous and signs alongside it for ROTATION_OVERLAP_MS. */
  rotate(id: string, now: number): { endpoint: WebhookEndpoint; secret: string } | null {
    const r = this.#row(id);
    if (!r) return null;
    const secret = newSecret();
    this.store
      .writable()
      .exec(
        "UPDATE webhook_endpoints SET secret = ?, previous_secret = ?, previous_secret_until = ?, updated_at = ? WHERE id = ?",
        secret,
        r.secret,
        now + ROTATION_OVERLAP_MS,
        now,
        id,
      );
    return { endpoint: this.get(id, now)!, secret };
  }

  /** Enabled endpoints whose filters take this kind. */
  subscribers(kind: NotificationKind): string[] {
    const sql = this.store.readable;
    if (!sql) return [];
    return sql
      .exec<Pick<EndpointRow, "id" | "event_types">>("SELECT id, event_types FROM webhook_endpoints WHERE disabled_at IS NULL")
      .toArray()
      .filter((r) => matches(JSON.parse(r.event_types) as string[], kind))
      .map((r) => r.id);
  }

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
    for (const { seq } of old) {
      sql.exec("DELETE FROM webhook_attempts WHERE delivery_seq = ?", seq);
      sql.exec("DELETE FROM webhook_deliveries WHERE seq = ?", seq);
    }
    return { endpoint_id: endpointId, delivery_id: id, attempt: 1 };
  }

  #delivery(endpointId: string, deliveryId: string): DeliveryRow | null {
    return (
      this.store.readable
        ?.exec<DeliveryRow>("SELECT * FROM webhook_deliveries WHERE id = ? AND endpoint_id = ?", deliveryId, endpointId)
        .toArray()[0] ?? null
    );
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
    const e = this.#row(endpointId);
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
    const e = this.#row(endpointId);
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
