/**
 * EVENTS consumer: Bronze first (the batch exactly as delivered), then Silver
 * and Gold in one D1 batch, then the inbox (queues/notify.ts), risk alerts
 * (queues/risk-alerts.ts) and anomaly scoring (queues/anomalies.ts), then malformed events to the DLQ with their reason.
 * A message is acknowledged only once its effect is durable; anything that
 * fails is retried, and the queue moves it to the DLQ after its last retry.
 */
import { newRunId } from "../src/domain/ids";
import { batchParser } from "../src/events/catalog";
import { recordFailedRun } from "../src/db/pipeline/runs";
import { writeBronze } from "../src/lake/bronze";
import { cashbackMonthsOf, refreshCashback } from "../src/lib/intel/cashback-gold";
import { recordPipelineLag } from "../src/lib/metrics/recorder";
import { DEAD_LETTER_KIND, type DeadLetterMessage } from "../src/pipeline/dead-letter";
import { ingest } from "./ingest";
import { notifyUsers } from "./notify";
import { scoreAnomalies } from "./anomalies";
import { evaluateRiskAlerts } from "./risk-alerts";

export type EventsFailpoint = "after_bronze" | "before_commit" | "after_commit" | "before_notify";

export interface ConsumeOptions {
  /** Test seam: throw at a stage to simulate a crash there. */
  failpoint?: (stage: EventsFailpoint) => void;
}

const RETRY_DELAY_SECONDS = 2;

export async function consumeEvents(batch: MessageBatch, env: Env, opts: ConsumeOptions = {}): Promise<void> {
  const startedAt = Date.now();
  const runId = newRunId();
  const messages = batch.messages;
  // Each body read once: every reader below gets the same objects, and the parser validates each one once.
  const bodies = messages.map((m) => m.body);
  const parse = batchParser();
  let bronzeObjects = 0;
  try {
    const bronze = await writeBronze(
      env.LAKE,
      messages.map((m, i) => ({ body: bodies[i], timestamp: m.timestamp })),
    );
    bronzeObjects = bronze.keys.length;
    opts.failpoint?.("after_bronze");

    const outcome = await ingest(env.DB, {
      runId,
      queue: batch.queue,
      startedAt,
      bodies,
      parse,
      bronzeObjects,
      failpoint: opts.failpoint,
    });
    opts.failpoint?.("after_commit");
    recordLag(messages, outcome.invalid, Date.now());

    const invalidAt = new Set(outcome.invalid.map((i) => i.index));
    // Not best effort: a failure retries the batch, and the recomputation from Silver is idempotent.
    await refreshCashback(env.DB, cashbackMonthsOf(bodies, invalidAt, parse));
    opts.failpoint?.("before_notify");
    const undelivered = await notifyUsers(env, bodies, invalidAt, parse);
    // Risk alerts and anomaly scoring last: best effort, their failures are logged and never hold the batch back.
    await evaluateRiskAlerts(env, bodies, invalidAt, Date.now(), parse);
    // INTEL_SCORING=off exists for the bench only (the with/without scoring throughput ratio).
    if (scoringOn(env)) await scoreAnomalies(env, bodies, invalidAt, { parse });
    messages.forEach((m, i) => {
      if (invalidAt.has(i)) return;
      if (undelivered.has(i)) m.retry({ delaySeconds: RETRY_DELAY_SECONDS });
      else m.ack();
    });
    if (outcome.invalid.length > 0)
      await deadLetter(
        env,
        batch.queue,
        outcome.invalid.map((i) => ({ message: messages[i.index]!, reason: i.reason })),
      );
  } catch (err) {
    console.error(JSON.stringify({ level: "error", msg: "events batch failed", run: runId, queue: batch.queue, error: String(err) }));
    await recordFailedRun(env.DB, {
      id: newRunId(),
      queue: batch.queue,
      jobId: null,
      startedAt,
      finishedAt: Date.now(),
      messages: messages.length,
      bronzeObjects,
      valid: 0,
      invalid: 0,
      duplicates: 0,
      goldRows: 0,
      status: "failed",
      error: String((err as Error)?.stack ?? err),
    });
    for (const m of messages) m.retry({ delaySeconds: RETRY_DELAY_SECONDS });
  }
}

/** Anomaly scoring runs unless the (bench-only) variable INTEL_SCORING is "off". */
const scoringOn = (env: Env) => env.INTEL_SCORING !== "off";

/** Pipeline lag per accepted event: its commit in the account (recorded_at) to the Gold commit just made. */
function recordLag(messages: readonly Message[], invalid: readonly { index: number }[], now: number): void {
  const skip = new Set(invalid.map((i) => i.index));
  messages.forEach((m, i) => {
    const at = skip.has(i) ? null : (m.body as { recorded_at?: unknown } | null)?.recorded_at;
    const t = typeof at === "string" ? Date.parse(at) : Number.NaN;
    if (Number.isFinite(t)) recordPipelineLag(now - t);
  });
}

/** Sends each malformed message to the DLQ with its reason; acks it only once the send succeeded. */
async function deadLetter(env: Env, queue: string, items: { message: Message; reason: string }[]): Promise<void> {
  const bodies: MessageSendRequest<DeadLetterMessage>[] = items.map(({ message, reason }) => ({
    body: {
      kind: DEAD_LETTER_KIND,
      reason,
      body: message.body,
      source_queue: queue,
      message_id: message.id,
      attempts: message.attempts,
      first_seen: message.timestamp.toISOString(),
    },
    contentType: "json",
  }));
  try {
    for (let i = 0; i < bodies.length; i += 100) await env.EVENTS_DLQ.sendBatch(bodies.slice(i, i + 100));
    for (const { message } of items) message.ack();
  } catch (err) {
    console.error(JSON.stringify({ level: "error", msg: "dead-letter send failed", error: String(err) }));
    for (const { message } of items) message.retry({ delaySeconds: RETRY_DELAY_SECONDS });
  }
}
