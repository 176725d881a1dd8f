/**
 * The inbox branch of the EVENTS consumer: after Bronze, Silver and Gold
 * committed a batch, the events that notify someone (src/domain/notifications/
 * from-event.ts) go to their users' UserDOs, one call per user. The UserDO
 * dedupes by source event, so redeliveries and reorderings change nothing;
 * a user whose call failed has their messages retried (Silver then counts
 * them as duplicates, Gold is unchanged, Bronze keeps the extra copy as it
 * keeps every delivery). The notices the preferences email go on the
 * NOTIFICATIONS queue in the same step; a failed enqueue retries the
 * messages too (the inbox stays exactly once, the email consumer sends once).
 */
import { userObject } from "../src/auth/sessions";
import { type EventParser, parseEvent } from "../src/events/catalog";
import { type NotificationDraft, notificationOf } from "../src/domain/notifications/from-event";
import { enqueueNotices } from "../src/lib/email/enqueue";
import { type UserDraft, withoutOwnTransfers } from "./own-transfers";

/** Delivers the notifications of these bodies; returns the indexes whose delivery failed. */
export async function notifyUsers(
  env: Env,
  bodies: readonly unknown[],
  skip: ReadonlySet<number>,
  parse: EventParser = parseEvent,
): Promise<Set<number>> {
  const candidates: (UserDraft & { index: number })[] = [];
  bodies.forEach((body, index) => {
    if (skip.has(index)) return;
    const parsed = parse(body);
    if (!parsed.ok) return;
    const draft = notificationOf(parsed.event);
    if (draft) candidates.push({ userId: parsed.event.user_id, draft, index });
  });
  const byUser = new Map<string, { drafts: NotificationDraft[]; indexes: number[] }>();
  for (const { userId, draft, index } of await withoutOwnTransfers(env.DB, candidates)) {
    const entry = byUser.get(userId) ?? { drafts: [], indexes: [] };
    entry.drafts.push(draft);
    entry.indexes.push(index);
    byUser.set(userId, entry);
  }
  const failed = new Set<number>();
  await Promise.all(
    [...byUser].map(async ([userId, { drafts, indexes }]) => {
      try {
        const { emails } = await userObject(env, userId).deliverNotifications(drafts);
        await enqueueNotices(env, userId, emails);
      } catch (err) {
        console.error(JSON.stringify({ level: "error", msg: "inbox or email delivery failed", user: userId, error: String(err) }));
        for (const i of indexes) failed.add(i);
      }
    }),
  );
  return failed;
}
