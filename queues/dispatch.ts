/** Dispatches a queue batch to its consumer by queue name; an unknown queue is retried, never acked blindly. */
import { consumeDeadLetters } from "./dead-letters";
import { consumeEvents } from "./events";
import { consumeJobs } from "./jobs";
import { consumeNotifications } from "./notifications";
import { consumeNotificationDeadLetters } from "./notifications-dlq";
import { consumePaymentDeadLetters } from "./payments-dlq";
import { consumePayments } from "./payments";
import { consumeWebhooks } from "./webhooks";
import { flushSoon, recordQueueBatch } from "../src/lib/metrics/recorder";

/** Each batch is counted per queue with its duration (src/lib/metrics/recorder.ts), whatever its outcome. */
export async function handleQueueBatch(batch: MessageBatch, env: Env, ctx: ExecutionContext): Promise<void> {
  const started = performance.now();
  try {
    await consume(batch, env);
  } finally {
    recordQueueBatch(batch.queue, batch.messages.length, performance.now() - started);
    flushSoon(env, ctx);
  }
}

function consume(batch: MessageBatch, env: Env): Promise<void> | undefined {
  switch (batch.queue) {
    case "finedge-events":
      return consumeEvents(batch, env);
    case "finedge-events-dlq":
      return consumeDeadLetters(batch, env);
    case "finedge-jobs":
      return consumeJobs(batch, env);
    case "finedge-notifications":
      return consumeNotifications(batch, env);
    case "finedge-notifications-dlq":
      return consumeNotificationDeadLetters(batch, env);
    case "finedge-webhooks":
      return consumeWebhooks(batch, env);
    case "finedge-payments":
      return consumePayments(batch, env);
    case "finedge-payments-dlq":
      return consumePaymentDeadLetters(batch, env);
    default:
      console.error(JSON.stringify({ level: "error", msg: "no consumer for queue", queue: batch.queue }));
      batch.retryAll({ delaySeconds: 60 });
  }
}
