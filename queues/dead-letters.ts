/**
 * DLQ consumer: stores every dead-lettered body in D1 `dead_letters` with its
 * reason — both the malformed events Silver wrapped and the messages the queue
 * moved after their last retry — so nothing is ever silently dropped.
 */
import { upsertDeadLetterStatement } from "../src/db/pipeline/dead-letters";
import { toDeadLetterRecord } from "../src/pipeline/dead-letter";

export const EVENTS_QUEUE = "finedge-events";

export async function consumeDeadLetters(batch: MessageBatch, env: Env): Promise<void> {
  const now = new Date().toISOString();
  try {
    const statements = await Promise.all(
      batch.messages.map((m) => upsertDeadLetterStatement(env.DB, toDeadLetterRecord(m.body, { attempts: m.attempts, timestamp: m.timestamp }, EVENTS_QUEUE), now)),
    );
    if (statements.length > 0) await env.DB.batch(statements);
    batch.ackAll();
  } catch (err) {
    console.error(JSON.stringify({ level: "error", msg: "dead-letter batch failed", error: String(err) }));
    batch.retryAll({ delaySeconds: 5 });
  }
}
