/**
 * The thin Standard Webhooks envelope `{id, type, timestamp, data}`, pure:
 * `id` is the message id (the `webhook-id` header, the same for every attempt
 * and redelivery), `type` the notification kind (or `webhook.test`),
 * `timestamp` when the message was made (ISO 8601), `data` the notification.
 * The body is serialized once, so every attempt signs and sends the same bytes.
 */
import type { NotificationDraft } from "../notifications/from-event";
import { TEST_EVENT_TYPE } from "./event-types";

export interface Envelope {
  id: string;
  type: string;
  timestamp: string;
  data: Record<string, unknown>;
}

export function notificationEnvelope(
  messageId: string,
  draft: NotificationDraft,
  notificationId: string | null,
  at: number,
): { id: string; type: string; body: string } {
  const env: Envelope = {
    id: messageId,
    type: draft.kind,
    timestamp: new Date(at).toISOString(),
    data: {
      notification_id: notificationId,
      kind: draft.kind,
      title: draft.title,
      body: draft.body,
      link: draft.link,
      source_event_id: draft.source_event_id,
      facts: draft.data,
    },
  };
  return { id: messageId, type: env.type, body: JSON.stringify(env) };
}

export function testEnvelope(messageId: string, endpointId: string, at: number): { id: string; type: string; body: string } {
  const env: Envelope = {
    id: messageId,
    type: TEST_EVENT_TYPE,
    timestamp: new Date(at).toISOString(),
    data: { endpoint_id: endpointId, message: "A test event from FinEdge: your endpoint receives and verifies webhooks." },
  };
  return { id: messageId, type: env.type, body: JSON.stringify(env) };
}

/** The inbox notice when an endpoint is disabled automatically. */
export function disabledNotice(endpointId: string, url: string, reason: string, at: number): NotificationDraft {
  return {
    kind: "webhook_disabled",
    title: "A webhook endpoint was disabled",
    body: `Deliveries to ${url} stopped: ${reason}. Fix the endpoint, then re-enable it.`,
    link: "/webhooks",
    source_event_id: `webhook_disabled:${endpointId}:${at}`,
    data: { endpoint_id: endpointId, url, reason },
  };
}
