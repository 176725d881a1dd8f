/**
 * The mail area of the LAKE bucket (R2), under `mail/`:
 * - `mail/messages/<id>.eml`: what the local sender "sent", newest first by
 *   key (the id embeds an inverted timestamp), read at GET /v1/admin/mail;
 * - `mail/sent-keys/<sha256 of the idempotency key>`: one record per job,
 *   claimed by a conditional put before the send and marked sent after it,
 *   so a redelivered or duplicated job never sends twice;
 * - `mail/dead/<id>.json`: jobs the notifications DLQ received, with why.
 */

export const MESSAGES_PREFIX = "mail/messages/";
export const KEYS_PREFIX = "mail/sent-keys/";
export const DEAD_PREFIX = "mail/dead/";
export const MAX_MS = 9_999_999_999_999;
/** A claim older than this is taken over: its holder died between claim and send, or mid-send. */
export const CLAIM_LEASE_MS = 120_000;

export const MAIL_ID = /^mail_\d{13}_[0-9a-f]{16}$/;

function hex(bytes: ArrayBuffer | Uint8Array): string {
  return [...new Uint8Array(bytes)].map((b) => b.toString(16).padStart(2, "0")).join("");
}

export async function sha256Hex(text: string): Promise<string> {
  return hex(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text)));
}

/** An id that sorts newest first: the inverted send time, then 64 random bits. */
export function newMailId(now = Date.now()): string {
  return `mail_${String(MAX_MS - now).padStart(13, "0")}_${hex(crypto.getRandomValues(new Uint8Array(8)))}`;
}

export interface MailSummary {
  id: string;
  to: string;
  subject: string;
  template: string;
  idempotency_key: string;
  message_id: string;
  sent_at: string;
  size: number;
}

export async function storeMessage(bucket: R2Bucket, id: string, raw: string, meta: Omit<MailSummary, "id" | "size">): Promise<void> {
  await bucket.put(`${MESSAGES_PREFIX}${id}.eml`, raw, {
    httpMetadata: { contentType: "message/rfc822" },
    customMetadata: { ...meta },
  });
}

/** A page of stored messages, newest first; `after` is the last id of the previous page. */
export async function listMessages(
  bucket: R2Bucket,
  limit: number,
  after: string | null,
): Promise<{ items: MailSummary[]; more: boolean }> {
  const listed = await bucket.list({
    prefix: MESSAGES_PREFIX,
    limit: limit + 1,
    ...(after ? { startAfter: `${MESSAGES_PREFIX}${after}.eml` } : {}),
    include: ["customMetadata"],
  });
  const items = listed.objects.slice(0, limit).map((o) => {
    const m = o.customMetadata ?? {};
    return {
      id: o.key.slice(MESSAGES_PREFIX.length, -".eml".length),
      to: m.to ?? "",
      subject: m.subject ?? "",
      template: m.template ?? "",
      idempotency_key: m.idempotency_key ?? "",
      message_id: m.message_id ?? "",
      sent_at: m.sent_at ?? o.uploaded.toISOString(),
      size: o.size,
    };
  });
  return { items, more: listed.objects.length > limit || listed.truncated };
}

export async function readMessage(bucket: R2Bucket, id: string): Promise<string | null> {
  const object = await bucket.get(`${MESSAGES_PREFIX}${id}.eml`);
  return object ? object.text() : null;
}

// ---- idempotency records ----

type KeyRecord = { status: "claimed"; claimed_at: number } | { status: "sent"; sent_at: number; mail_id: string | null };
export type Claim =
  | { outcome: "claimed"; release: () => Promise<void>; markSent: (mailId: string | null) => Promise<void> }
  | { outcome: "sent" }
  | { outcome: "busy" };

/**
 * Claims the job's key for one sender: `sent` when a message already went
 * out for it, `busy` when another delivery holds a live claim, else
 * `claimed`. R2's conditional put (create only if absent, or replace only the
 * expired claim we read) decides between concurrent deliveries.
 */
export async function claimKey(bucket: R2Bucket, idempotencyKey: string, now = Date.now()): Promise<Claim> {
  const key = `${KEYS_PREFIX}${await sha256Hex(idempotencyKey)}`;
  const current = await bucket.get(key);
  const claim = JSON.stringify({ status: "claimed", claimed_at: now } satisfies KeyRecord);
  let put: R2Object | null;
  if (current) {
    const record = (await current.json()) as KeyRecord;
    if (record.status === "sent") return { outcome: "sent" };
    if (record.claimed_at + CLAIM_LEASE_MS > now) return { outcome: "busy" };
    put = await bucket.put(key, claim, { onlyIf: { etagMatches: current.etag } });
  } else {
    put = await bucket.put(key, claim, { onlyIf: { etagDoesNotMatch: "*" } });
  }
  if (!put) return { outcome: "busy" };
  const etag = put.etag;
  return {
    outcome: "claimed",
    release: async () => {
      const still = await bucket.head(key);
      if (still?.etag === etag) await bucket.delete(key);
    },
    markSent: async (mailId) => {
      await bucket.put(key, JSON.stringify({ status: "sent", sent_at: Date.now(), mail_id: mailId } satisfies KeyRecord), {
        customMetadata: { idempotency_key: idempotencyKey.slice(0, 200) },
      });
    },
  };
}

// ---- dead jobs ----

export async function storeDeadJob(bucket: R2Bucket, record: Record<string, unknown>, now = Date.now()): Promise<string> {
  const id = newMailId(now).replace("mail_", "dead_");
  await bucket.put(`${DEAD_PREFIX}${id}.json`, JSON.stringify(record), { httpMetadata: { contentType: "application/json" } });
  return id;
}

export async function listDeadJobs(bucket: R2Bucket, limit = 100): Promise<Record<string, unknown>[]> {
  const listed = await bucket.list({ prefix: DEAD_PREFIX, limit });
  return Promise.all(listed.objects.map(async (o) => (await (await bucket.get(o.key))?.json()) as Record<string, unknown>));
}
