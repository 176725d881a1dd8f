/**
 * DLQ consumer: stores every dead-lettered body in D1 `dead_letters` with its
 * reason — both the malformed events Silver wrapped and the messages the queue
 * moved after their last retry — so nothing is ever silently dropped.
 */
import { upsertDeadLetterStatement } from "../src/db/pipeline/dead-letters";
import { insertRunStatement, recordFailedRun } from "../src/db/pipeline/runs";
import { newRunId } from "../src/domain/ids";
import { toDeadLetterRecord } from "../src/pipeline/dead-letter";

export const EVENTS_QUEUE = "finedge-events";
/** Matches `max_retries` of the DLQ consumer in wrangler.toml: the last delivery parks instead of retrying. */
export const DLQ_MAX_RETRIES = 10;
export const PARKED_PREFIX = "dead-letters/parked/";

/**
 * When D1 stays unreachable through every retry, park the raw message in R2
 * rather than let the queue delete it: dead letters are never dropped.
 */
async function parkInLake(env: Env, m: Message, error: string): Promise<void> {
  const day = new Date().toISOString().slice(0, 10);
  await env.LAKE.put(
    `${PARKED_PREFIX}dt=${day}/${m.id}.json`,
    JSON.stringify({ id: m.id, attempts: m.attempts, timestamp: m.timestamp, error, body: m.body }),
    {
      httpMetadata: { contentType: "application/json" },
    },
  );
}

export async function consumeDeadLetters(batch: MessageBatch, env: Env): Promise<void> {
  const startedAt = Date.now();
  const now = new Date(startedAt).toISOString();
  const run = {
    id: newRunId(),
    queue: batch.queue,
    jobId: null,
    startedAt,
    finishedAt: startedAt,
    messages: batch.messages.length,
    bronzeObjects: 0,
    valid: batch.messages.length,
    invalid: 0,
    duplicates: 0,
    goldRows: 0,
    status: "ok" as const,
    error: null,
  };
  try {
    const statements = await Promise.all(
      batch.messages.map((m) =>
        upsertDeadLetterStatement(env.DB, toDeadLetterRecord(m.body, { attempts: m.attempts, timestamp: m.timestamp }, EVENTS_QUEUE), now),
      ),
    );
    await env.DB.batch([...statements, insertRunStatement(env.DB, { ...run, finishedAt: Date.now() })]);
    batch.ackAll();
  } catch (err) {
    console.error(JSON.stringify({ level: "error", msg: "dead-letter batch failed", error: String(err) }));
    await recordFailedRun(env.DB, { ...run, id: newRunId(), finishedAt: Date.now(), valid: 0, status: "failed", error: String(err) });
    for (const m of batch.messages) {
      if (m.attempts >= DLQ_MAX_RETRIES) {
        await parkInLake(env, m, String(err));
        m.ack();
      } else {
        m.retry({ delaySeconds: Math.min(300, 5 * 2 ** (m.attempts - 1)) });
      }
    }
  }
}
