/**
 * The dead-letter wire format. Silver sends a malformed event to the DLQ
 * wrapped with its reason; a message that exhausted its retries arrives bare
 * (the queue moved it), and its reason is the exhausted delivery.
 */
import { safeJson } from "./bronze-layout";

export const DEAD_LETTER_KIND = "finedge.dead_letter";

export interface DeadLetterMessage {
  kind: typeof DEAD_LETTER_KIND;
  reason: string;
  body: unknown;
  source_queue: string;
  message_id: string;
  attempts: number;
  first_seen: string;
}

export interface DeadLetterRecord {
  rawBody: string;
  error: string;
  eventId: string | null;
  sourceQueue: string;
  deliveryAttempts: number;
  seenAt: string;
}

export function isDeadLetterMessage(x: unknown): x is DeadLetterMessage {
  return (
    !!x &&
    typeof x === "object" &&
    (x as { kind?: unknown }).kind === DEAD_LETTER_KIND &&
    typeof (x as { reason?: unknown }).reason === "string"
  );
}

/** The body's event_id as dead letters record it (null when it has none). */
export function eventIdOf(body: unknown): string | null {
  const id = body && typeof body === "object" ? (body as { event_id?: unknown }).event_id : null;
  return typeof id === "string" ? id.slice(0, 200) : null;
}

/** What the DLQ consumer stores for one message body (wrapped or bare). */
export function toDeadLetterRecord(body: unknown, meta: { attempts: number; timestamp: Date }, defaultSource: string): DeadLetterRecord {
  if (isDeadLetterMessage(body)) {
    return {
      rawBody: safeJson(body.body),
      error: body.reason,
      eventId: eventIdOf(body.body),
      sourceQueue: body.source_queue,
      deliveryAttempts: body.attempts,
      seenAt: body.first_seen,
    };
  }
  return {
    rawBody: safeJson(body),
    error: `delivery failed: the consumer did not acknowledge the message after ${meta.attempts} attempt(s)`,
    eventId: eventIdOf(body),
    sourceQueue: defaultSource,
    deliveryAttempts: meta.attempts,
    seenAt: meta.timestamp.toISOString(),
  };
}
