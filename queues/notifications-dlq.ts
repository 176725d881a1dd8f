/**
 * The notifications DLQ's consumer: every dead email job is recorded under
 * `mail/dead/` in LAKE with why it died (ours carry the reason; one the
 * platform moved after max_retries is recorded as such) and acknowledged.
 */
import { storeDeadJob } from "../src/lib/email/mailbox";
import { EMAIL_DEAD_LETTER_KIND } from "./notifications";

export async function consumeNotificationDeadLetters(batch: MessageBatch, env: Env): Promise<void> {
  for (const m of batch.messages) {
    const body = m.body as { kind?: unknown } | null;
    const record =
      body && typeof body === "object" && body.kind === EMAIL_DEAD_LETTER_KIND
        ? { ...(body as object), received_at: new Date().toISOString() }
        : {
            kind: EMAIL_DEAD_LETTER_KIND,
            reason: "retries exhausted (moved by the queue)",
            body: m.body,
            message_id: m.id,
            attempts: m.attempts,
            received_at: new Date().toISOString(),
          };
    try {
      await storeDeadJob(env.LAKE, record);
      m.ack();
    } catch (err) {
      console.error(JSON.stringify({ level: "error", msg: "email dead letter not stored", error: String(err) }));
      m.retry({ delaySeconds: 30 });
    }
  }
}
