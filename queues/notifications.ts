/**
 * NOTIFICATIONS consumer: one email job per message, sent through the
 * configured sender (src/lib/email/senders.ts). Each job's idempotency key is
 * claimed in R2 before the send and marked sent after it, so a redelivery or
 * a duplicate never sends twice (a crash between the send and the mark can
 * resend once the claim's lease ends: at least once, with a stable
 * Message-ID). A failed send is retried with exponential backoff and full
 * jitter; a poison body, a permanent refusal or the last attempt goes to the
 * DLQ with its reason.
 */
import { emailConfig, type EmailConfig } from "../src/config";
import { EmailJob, renderEmail } from "../src/domain/notifications/email";
import { delayFor } from "../src/lib/email/enqueue";
import { claimKey, sha256Hex } from "../src/lib/email/mailbox";
import { EmailSendError, type EmailSender, senderFor } from "../src/lib/email/senders";

/** The attempt that, failing, parks the job in the DLQ (wrangler.toml's max_retries is the backstop). */
export const MAX_ATTEMPTS = 8;
const BASE_DELAY_SECONDS = 10;
const MAX_BACKOFF_SECONDS = 3_600;
/** Another delivery holds the claim: look again after about its lease. */
const BUSY_DELAY_SECONDS = 60;
export const EMAIL_DEAD_LETTER_KIND = "email_dead_letter";

export interface EmailDeadLetter {
  kind: typeof EMAIL_DEAD_LETTER_KIND;
  reason: string;
  body: unknown;
  message_id: string;
  attempts: number;
  first_seen: string;
}

/** Full jitter over an exponential ceiling (10 s, 20 s, 40 s … capped at an hour): between half and all of it. */
export function backoffSeconds(attempt: number, random: () => number = Math.random): number {
  const ceiling = Math.min(MAX_BACKOFF_SECONDS, BASE_DELAY_SECONDS * 2 ** Math.max(0, attempt - 1));
  return Math.max(1, Math.ceil(ceiling / 2 + random() * (ceiling / 2)));
}

export async function consumeNotifications(batch: MessageBatch, env: Env): Promise<void> {
  const config = emailConfig(env);
  if (!config.ok) {
    console.error(JSON.stringify({ level: "error", msg: "email misconfigured", problems: config.problems }));
    batch.retryAll({ delaySeconds: 300 });
    return;
  }
  const sender = senderFor(config.config, env);
  // One at a time: a batch is at most 10, and a provider's rate limit is per account.
  for (const message of batch.messages) await deliver(message, env, config.config, sender);
}

const domainOf = (from: string) => /@([^>\s]+)>?\s*$/.exec(from)?.[1] ?? "finedge.local";

async function deliver(m: Message, env: Env, config: EmailConfig, sender: EmailSender): Promise<void> {
  const parsed = EmailJob.safeParse(m.body);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return park(m, env, `invalid email job: ${issue ? `${issue.path.join(".") || "(body)"}: ${issue.message}` : "unparseable"}`);
  }
  const job = parsed.data;
  const now = Date.now();
  // Deferred by quiet hours beyond what the first delay could cover: a fresh message, so waiting costs no attempt.
  if (delayFor(job, now) > 1) {
    try {
      await env.NOTIFICATIONS.send(job, { contentType: "json", delaySeconds: delayFor(job, now) });
      m.ack();
    } catch {
      m.retry({ delaySeconds: backoffSeconds(m.attempts) });
    }
    return;
  }
  let claim: Awaited<ReturnType<typeof claimKey>>;
  try {
    claim = await claimKey(env.LAKE, job.idempotency_key, now);
  } catch (err) {
    console.error(JSON.stringify({ level: "error", msg: "email claim failed", error: String(err) }));
    return m.retry({ delaySeconds: backoffSeconds(m.attempts) });
  }
  if (claim.outcome === "sent") return m.ack();
  if (claim.outcome === "busy") return m.retry({ delaySeconds: BUSY_DELAY_SECONDS });

  const { subject, text } = renderEmail(job, config.appUrl);
  const messageId = `<${(await sha256Hex(job.idempotency_key)).slice(0, 32)}@${domainOf(config.from)}>`;
  let mailId: string | null;
  try {
    mailId = await sender.send(
      {
        messageId,
        from: config.from,
        to: job.to,
        subject,
        text,
        date: new Date(now),
        headers: { "X-FinEdge-Idempotency-Key": job.idempotency_key },
      },
      { attempt: m.attempts, idempotencyKey: job.idempotency_key, template: job.template },
    );
  } catch (err) {
    await claim.release().catch(() => undefined);
    const permanent = err instanceof EmailSendError && err.permanent;
    console.error(JSON.stringify({ level: "warn", msg: "email send failed", attempt: m.attempts, permanent, error: String(err) }));
    if (permanent || m.attempts >= MAX_ATTEMPTS) return park(m, env, `send failed after ${m.attempts} attempt(s): ${String(err)}`);
    return m.retry({ delaySeconds: backoffSeconds(m.attempts) });
  }
  // Sent: acknowledged even if the mark fails (the lease then lets one redelivery resend; nothing redelivers an acked message).
  await claim
    .markSent(mailId)
    .catch((err) => console.error(JSON.stringify({ level: "error", msg: "email mark failed", error: String(err) })));
  m.ack();
}

/** Sends the message to the DLQ with its reason and acks it; if that send fails, the queue retries it (and dead-letters it itself at the end). */
async function park(m: Message, env: Env, reason: string): Promise<void> {
  const letter: EmailDeadLetter = {
    kind: EMAIL_DEAD_LETTER_KIND,
    reason: reason.slice(0, 1000),
    body: m.body,
    message_id: m.id,
    attempts: m.attempts,
    first_seen: m.timestamp.toISOString(),
  };
  try {
    await env.NOTIFICATIONS_DLQ.send(letter, { contentType: "json" });
    m.ack();
  } catch (err) {
    console.error(JSON.stringify({ level: "error", msg: "email dead-letter send failed", error: String(err) }));
    m.retry({ delaySeconds: backoffSeconds(m.attempts) });
  }
}
