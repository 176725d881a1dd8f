/**
 * The payments DLQ's consumer. Every dead message is logged; one that names
 * a payment (moved by the queue after max_retries) finishes it: the
 * processor key is abandoned unless it executed, and the payment settles
 * with the recorded outcome, so no hold stays taken forever and a payment
 * that did execute is still posted. Poison messages are only logged.
 */
import { PAYMENTS_DEAD_LETTER_KIND, parsePaymentMessage, processPayment } from "./payments";

export async function consumePaymentDeadLetters(batch: MessageBatch, env: Env): Promise<void> {
  for (const m of batch.messages) {
    const body = m.body as { kind?: unknown } | null;
    const ours = !!body && typeof body === "object" && body.kind === PAYMENTS_DEAD_LETTER_KIND;
    console.error(JSON.stringify({ level: "error", msg: "payment dead letter", message_id: m.id, attempts: m.attempts, poison: ours }));
    const msg = ours ? null : parsePaymentMessage(m.body);
    try {
      if (msg) await processPayment(env, msg, m.attempts, { abandon: "retries exhausted (moved to the dead-letter queue)" });
      m.ack();
    } catch (err) {
      console.error(JSON.stringify({ level: "error", msg: "payment dead letter not finished", error: String(err) }));
      m.retry({ delaySeconds: 30 });
    }
  }
}
