/**
 * Drops the inbox drafts of transfers between a user's own accounts (moving
 * money from checking to savings is not news; a transfer from someone else,
 * or one that failed, is). An account or transfer the registry or Gold does
 * not know yet counts as someone else's: the notice is kept.
 */
import type { NotificationDraft } from "../src/domain/notifications/from-event";
import { destinationsOf, ownersOf } from "../src/db/pipeline/transfer-parties";

export interface UserDraft {
  userId: string;
  draft: NotificationDraft;
}

/** The other account of each draft about a completed or received transfer, when known. */
async function otherAccounts(db: D1Database, drafts: readonly UserDraft[]): Promise<Map<NotificationDraft, string>> {
  const completed = drafts.filter((d) => d.draft.kind === "transfer_completed");
  const destinations = await destinationsOf(
    db,
    completed.map((d) => String(d.draft.data.transfer_id)),
  );
  const other = new Map<NotificationDraft, string>();
  for (const d of completed) {
    const to = destinations.get(String(d.draft.data.transfer_id));
    if (to) other.set(d.draft, to);
  }
  for (const d of drafts) {
    if (d.draft.kind === "transfer_received" && typeof d.draft.data.from_account_id === "string")
      other.set(d.draft, d.draft.data.from_account_id);
  }
  return other;
}

export async function withoutOwnTransfers<T extends UserDraft>(db: D1Database, drafts: readonly T[]): Promise<T[]> {
  if (!drafts.some((d) => d.draft.kind === "transfer_completed" || d.draft.kind === "transfer_received")) return [...drafts];
  let other: Map<NotificationDraft, string>;
  let owners: Map<string, string>;
  try {
    other = await otherAccounts(db, drafts);
    owners = await ownersOf(db, [...other.values()]);
  } catch (err) {
    // A notice too many beats a notice lost: without the lookup, every transfer notice is kept.
    console.error(JSON.stringify({ level: "warn", msg: "own-transfer lookup failed; keeping transfer notices", error: String(err) }));
    return [...drafts];
  }
  return drafts.filter((d) => {
    const account = other.get(d.draft);
    return !(account && owners.get(account) === d.userId);
  });
}
