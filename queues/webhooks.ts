/**
 * The WEBHOOKS consumer: one message per (endpoint, delivery). For each, the
 * user's UserDO says what to send (or nothing: the endpoint is gone or
 * disabled, the delivery is finished); the URL passes the SSRF guard again
 * (src/domain/webhooks/url-guard.ts); the body is signed per Standard Webhooks
 * with every live secret and POSTed with a 10 s timeout, no redirects (a 3xx
 * is a failure) and at most 64 KiB of the answer read. The UserDO logs the
 * attempt and says when to retry: a job for the next attempt is sent with
 * that delay, and this one is acked. An error of our own (the UserDO
 * unreachable) retries the message as it is; a message that keeps failing
 * ends in finedge-webhooks-dlq, and the UserDO's sweep queues its delivery again.
 */
import { userObject } from "../src/auth/sessions";
import { webhookSettings } from "../src/config";
import { retryAfterSeconds } from "../src/domain/webhooks/retry";
import { signedHeaders } from "../src/domain/webhooks/signing";
import { checkWebhookUrl } from "../src/domain/webhooks/url-guard";
import type { WebhookJob } from "../durable/user/webhook-dispatch";

export const SEND_TIMEOUT_MS = 10_000;
export const MAX_RESPONSE_BYTES = 64 * 1024;
const USER_AGENT = "FinEdge-Webhooks/1";

export async function consumeWebhooks(batch: MessageBatch, env: Env): Promise<void> {
  const settings = webhookSettings(env);
  await Promise.all(
    batch.messages.map(async (msg) => {
      const job = msg.body as Partial<WebhookJob>;
      if (
        typeof job?.user_id !== "string" ||
        typeof job.endpoint_id !== "string" ||
        typeof job.delivery_id !== "string" ||
        !Number.isInteger(job.attempt)
      ) {
        console.error(JSON.stringify({ level: "error", msg: "malformed webhook job", body: msg.body }));
        msg.ack();
        return;
      }
      try {
        const user = userObject(env, job.user_id);
        const attempt = job.attempt as number;
        const plan = await user.webhookSendPlan(job.endpoint_id, job.delivery_id, attempt);
        if (!plan) {
          msg.ack();
          return;
        }
        const result = await send(plan, settings.allowLoopback);
        const verdict = await user.recordWebhookAttempt(job.endpoint_id, job.delivery_id, attempt, {
          ...result,
          base_seconds: settings.retryBaseSeconds,
        });
        // The retry is a new job for the next attempt, sent with its delay (the UserDO's sweep covers its loss).
        if (verdict && verdict.retry_in_seconds !== null)
          await env.WEBHOOKS.send(
            { user_id: job.user_id, endpoint_id: job.endpoint_id, delivery_id: job.delivery_id, attempt: attempt + 1 } satisfies WebhookJob,
            {
              delaySeconds: verdict.retry_in_seconds,
            },
          );
        msg.ack();
      } catch (err) {
        console.error(JSON.stringify({ level: "error", msg: "webhook job failed", job, error: String(err) }));
        msg.retry({ delaySeconds: 30 });
      }
    }),
  );
}

interface SendResult {
  status: number | null;
  duration_ms: number;
  error: string | null;
  retry_after: number | null;
}

async function send(
  plan: { url: string; secrets: string[]; message_id: string; body: string },
  allowLoopback: boolean,
): Promise<SendResult> {
  const verdict = checkWebhookUrl(plan.url, { allowLoopback });
  if (!verdict.ok) return { status: null, duration_ms: 0, error: `refused: ${verdict.reason}`, retry_after: null };
  const started = Date.now();
  const timestamp = Math.floor(started / 1000);
  const headers = {
    ...(await signedHeaders(plan.secrets, plan.message_id, timestamp, plan.body)),
    "content-type": "application/json",
    "user-agent": USER_AGENT,
  };
  const signal = AbortSignal.timeout(SEND_TIMEOUT_MS);
  try {
    const res = await fetch(verdict.url, { method: "POST", headers, body: plan.body, redirect: "manual", signal });
    await drain(res, MAX_RESPONSE_BYTES);
    const duration = Date.now() - started;
    const error =
      res.status >= 300 && res.status < 400 ? `redirect (${res.status}) not followed` : res.status >= 400 ? `HTTP ${res.status}` : null;
    return { status: res.status, duration_ms: duration, error, retry_after: retryAfterSeconds(res.headers.get("retry-after"), Date.now()) };
  } catch (err) {
    const timedOut = signal.aborted;
    return {
      status: null,
      duration_ms: Date.now() - started,
      error: timedOut ? `timed out after ${SEND_TIMEOUT_MS / 1000} s` : `network error: ${String(err).slice(0, 200)}`,
      retry_after: null,
    };
  }
}

/** Reads at most `cap` bytes of the answer, then lets the rest go. */
async function drain(res: Response, cap: number): Promise<void> {
  if (!res.body) return;
  const reader = res.body.getReader();
  let read = 0;
  try {
    while (read < cap) {
      const { done, value } = await reader.read();
      if (done) return;
      read += value.byteLength;
    }
  } finally {
    await reader.cancel().catch(() => undefined);
  }
}
