/**
 * Drives the real NOTIFICATIONS consumer with `createMessageBatch` (recording
 * each retry's delay on the way through) and reads the local mailbox and the
 * dead email jobs back from the real R2 bucket.
 */
import { createExecutionContext, getQueueResult, type QueueResult } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { consumeNotifications } from "../../queues/notifications";
import { listDeadJobs, listMessages, type MailSummary, readMessage } from "../../src/lib/email/mailbox";
import { messageBatch, waitFor } from "./pipeline";

export async function deliverEmails(
  bodies: readonly unknown[],
  opts: { attempts?: number; env?: Partial<Env> } = {},
): Promise<{ result: QueueResult; retryDelays: (number | undefined)[] }> {
  const batch = messageBatch("finedge-notifications", bodies, opts.attempts);
  const retryDelays: (number | undefined)[] = [];
  for (const m of batch.messages) {
    const retry = m.retry.bind(m);
    m.retry = (o?: QueueRetryOptions) => {
      retryDelays.push(o?.delaySeconds);
      retry(o);
    };
  }
  const ctx = createExecutionContext();
  await consumeNotifications(batch, { ...env, ...opts.env } as Env);
  return { result: await getQueueResult(batch, ctx), retryDelays };
}

/** Every stored message (newest first), read page by page. */
export async function allMessages(): Promise<MailSummary[]> {
  const out: MailSummary[] = [];
  let after: string | null = null;
  for (;;) {
    const page = await listMessages(env.LAKE, 100, after);
    out.push(...page.items);
    if (!page.more || page.items.length === 0) return out;
    after = page.items[page.items.length - 1]!.id;
  }
}

export const messagesWithKey = async (key: string) => (await allMessages()).filter((m) => m.idempotency_key === key);

/** Waits for the first message with this key, then lets any duplicate in flight land before returning them all. */
export async function settledMessagesWithKey(key: string, timeoutMs = 10_000): Promise<MailSummary[]> {
  await waitFor(async () => (await messagesWithKey(key)).length > 0, timeoutMs);
  await new Promise((r) => setTimeout(r, 500));
  return messagesWithKey(key);
}

export const rawMessage = async (id: string) => (await readMessage(env.LAKE, id)) ?? "";

export async function deadJobsWhere(pred: (body: Record<string, unknown>) => boolean): Promise<Record<string, unknown>[]> {
  return (await listDeadJobs(env.LAKE, 1000)).filter((r) => {
    const body = r.body as Record<string, unknown> | null;
    return body !== null && typeof body === "object" && pred(body);
  });
}
