/**
 * Raises `recurring_price_changed` alerts for the price changes the detector
 * accepted: the latest change of each active stream the user did not dismiss,
 * when it took effect in the last 90 days (older history is not news). The
 * inbox de-duplicates by source, so a read and the digest cron can both call
 * this: each change arrives once.
 */
import { userObject } from "../../auth/sessions";
import { recurringPriceChanged } from "../../domain/notifications/recurring-price";
import { addDays } from "../../domain/intel/types";
import { enqueueNotices } from "../email/enqueue";
import type { UserStream } from "./context";

export const PRICE_CHANGE_NEWS_DAYS = 90;

export async function raisePriceChanges(env: Env, userId: string, streams: readonly UserStream[], asOf: string): Promise<number> {
  const since = addDays(asOf, -PRICE_CHANGE_NEWS_DAYS);
  const drafts = streams.flatMap((s) => {
    const last = s.price_changes.at(-1);
    if (!last || !s.is_active || s.user_state === "dismissed" || String(last.observed.effective_date) < since) return [];
    return [recurringPriceChanged(s, last)];
  });
  if (drafts.length === 0) return 0;
  const { added, emails } = await userObject(env, userId).deliverNotifications(drafts);
  await enqueueNotices(env, userId, emails);
  return added;
}
