/**
 * The webhook tables' shapes (durable/user/schema.ts V5) and their views: an
 * endpoint (URL, event-type filters, a `whsec_` secret shown once, the
 * previous secret signing for ROTATION_OVERLAP_MS after a rotation) and a
 * delivery (one message to one endpoint, with its attempts), the limits, and
 * the row reads the endpoint and delivery stores share.
 */
import { randomToken } from "../../src/domain/ids";
import type { LazySql } from "./lazy-sql";

export const MAX_ENDPOINTS = 10;
export const MAX_DELIVERIES = 100;
export const ROTATION_OVERLAP_MS = 24 * 3_600_000;
/** Longer than the send's 10 s timeout and the two RPCs around it. */
export const LEASE_MS = 30_000;
export const SWEEP_GRACE_MS = 60_000;
export const SWEEP_BATCH = 100;

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

export type EndpointRow = {
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

export type DeliveryRow = {
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

export const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

export function toEndpoint(r: EndpointRow, now: number): WebhookEndpoint {
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

export function endpointRow(store: LazySql, id: string): EndpointRow | null {
  return store.readable?.exec<EndpointRow>("SELECT * FROM webhook_endpoints WHERE id = ?", id).toArray()[0] ?? null;
}

export function deliveryRow(store: LazySql, endpointId: string, deliveryId: string): DeliveryRow | null {
  return (
    store.readable
      ?.exec<DeliveryRow>("SELECT * FROM webhook_deliveries WHERE id = ? AND endpoint_id = ?", deliveryId, endpointId)
      .toArray()[0] ?? null
  );
}
