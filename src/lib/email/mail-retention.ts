/**
 * The R2 half of the retention job: stored messages, idempotency records and
 * dead mail jobs older than the mail age. Messages are found by key alone
 * (their ids sort newest first, src/lib/email/mailbox.ts, so everything past
 * the cutoff's id is older); the other two by their upload time. At most
 * MAX_PAGES pages of 1,000 keys per prefix per run; the rest waits for the
 * next run. An idempotency record outlives every queue retry (at most days),
 * so pruning it never lets a job send twice.
 */
import { DEAD_PREFIX, KEYS_PREFIX, MAX_MS, MESSAGES_PREFIX } from "./mailbox";

const PAGE = 1_000;
const MAX_PAGES = 10;

export interface MailPruned {
  messages: number;
  sent_keys: number;
  dead: number;
}

async function pruneWhere(
  bucket: R2Bucket,
  prefix: string,
  startAfter: string | undefined,
  old: (o: R2Object) => boolean,
): Promise<number> {
  let deleted = 0;
  let cursor: string | undefined;
  for (let page = 0; page < MAX_PAGES; page++) {
    const listed = await bucket.list({ prefix, limit: PAGE, ...(cursor ? { cursor } : startAfter ? { startAfter } : {}) });
    const keys = listed.objects.filter(old).map((o) => o.key);
    if (keys.length > 0) await bucket.delete(keys);
    deleted += keys.length;
    if (!listed.truncated) break;
    cursor = listed.cursor;
  }
  return deleted;
}

export async function pruneMail(bucket: R2Bucket, cutoffMs: number): Promise<MailPruned> {
  // mail_<MAX_MS - sent time>: a message sent before the cutoff has a larger number, so its key sorts after this one.
  const boundary = `${MESSAGES_PREFIX}mail_${String(MAX_MS - cutoffMs).padStart(13, "0")}`;
  const byUpload = (o: R2Object) => o.uploaded.getTime() < cutoffMs;
  const [messages, sent_keys, dead] = await Promise.all([
    pruneWhere(bucket, MESSAGES_PREFIX, boundary, () => true),
    pruneWhere(bucket, KEYS_PREFIX, undefined, byUpload),
    pruneWhere(bucket, DEAD_PREFIX, undefined, byUpload),
  ]);
  return { messages, sent_keys, dead };
}
