/**
 * Pluggable email senders, chosen by EMAIL_SENDER (src/config.ts):
 * `local` stores the RFC 5322 text in R2 (src/lib/email/mailbox.ts), `http`
 * posts the message to an HTTP email API with a bearer key. EMAIL_FAIL wraps
 * either in a sender that fails on purpose (local tests of retries and DLQ).
 */
import type { EmailConfig } from "../../config";
import { newMailId, storeMessage } from "./mailbox";
import { type OutgoingEmail, writeMessage } from "./message";

/** A send that failed; `permanent` ones (the API refused the message itself) go to the DLQ without retries. */
export class EmailSendError extends Error {
  constructor(
    message: string,
    readonly permanent = false,
  ) {
    super(message);
  }
}

export interface SendContext {
  /** 1 on the first delivery of the queue message. */
  attempt: number;
  idempotencyKey: string;
  template: string;
}

export interface EmailSender {
  /** Resolves with the stored message's id (local) or null; throws EmailSendError. */
  send(message: OutgoingEmail, ctx: SendContext): Promise<string | null>;
}

const HTTP_TIMEOUT_MS = 10_000;

export function localSender(bucket: R2Bucket): EmailSender {
  return {
    async send(message, ctx) {
      const id = newMailId(message.date.getTime());
      await storeMessage(bucket, id, writeMessage(message), {
        to: message.to,
        subject: message.subject.slice(0, 300),
        template: ctx.template,
        idempotency_key: ctx.idempotencyKey,
        message_id: message.messageId,
        sent_at: message.date.toISOString(),
      });
      return id;
    },
  };
}

/**
 * POSTs `{from, to, subject, text, headers}` as JSON (the shape Resend,
 * Postmark-like and most transactional APIs accept, with the idempotency key
 * as `Idempotency-Key`): 2xx is sent, 408/429/5xx and network errors are
 * retried, any other status is permanent. No redirects, 10 s timeout.
 */
export function httpSender(url: string, key: string, fetcher: typeof fetch = fetch): EmailSender {
  return {
    async send(message, ctx) {
      let res: Response;
      try {
        res = await fetcher(url, {
          method: "POST",
          redirect: "manual",
          signal: AbortSignal.timeout(HTTP_TIMEOUT_MS),
          headers: { authorization: `Bearer ${key}`, "content-type": "application/json", "idempotency-key": ctx.idempotencyKey },
          body: JSON.stringify({
            from: message.from,
            to: message.to,
            subject: message.subject,
            text: message.text,
            headers: { "Message-ID": message.messageId, ...message.headers },
          }),
        });
      } catch (err) {
        throw new EmailSendError(`email API unreachable: ${String(err)}`);
      }
      await res.body?.cancel();
      if (res.ok) return null;
      const retryable = res.status === 408 || res.status === 429 || res.status >= 500;
      throw new EmailSendError(`email API answered ${res.status}`, !retryable);
    },
  };
}

/** Fails every attempt ("always") or each message's first N attempts, then sends through `inner`. */
export function failingSender(inner: EmailSender, fail: "always" | number): EmailSender {
  return {
    async send(message, ctx) {
      if (fail === "always" || ctx.attempt <= fail) throw new EmailSendError(`EMAIL_FAIL: failing attempt ${ctx.attempt} on purpose`);
      return inner.send(message, ctx);
    },
  };
}

export function senderFor(config: EmailConfig, env: Env): EmailSender {
  const base = config.sender === "http" && config.http ? httpSender(config.http.url, config.http.key) : localSender(env.LAKE);
  return config.fail === null ? base : failingSender(base, config.fail);
}
