/**
 * The weekly digest, run by the cron trigger (wrangler.toml [triggers],
 * Mondays 07:00 UTC): for every user with a transaction in the last two full
 * weeks, their spending of the last week against the week before
 * (src/domain/notifications/digest.ts) goes to their inbox and, as their
 * preferences say, to email and webhooks — the same path as every other
 * notification. Sourced `digest:<week start>`, so a re-run (or a retried
 * invocation) adds nothing; one user's failure is logged and the rest go on.
 * The same pass raises each user's `recurring_price_changed` alerts
 * (src/lib/intel/price-alerts.ts; once per change, as on GET /v1/recurring).
 * Limits: users are taken 100 at a time in one invocation; at a scale where
 * that outgrows a cron invocation's time, the pages belong on the JOBS queue.
 */
import { userObject } from "../src/auth/sessions";
import { digestUsers, weekSpending } from "../src/db/pipeline/digest-reads";
import { lastFullWeek, weeklyDigest } from "../src/domain/notifications/digest";
import { enqueueNotices } from "../src/lib/email/enqueue";
import { loadContext, today } from "../src/lib/intel/context";
import { raisePriceChanges } from "../src/lib/intel/price-alerts";

const PAGE = 100;

export async function sendWeeklyDigests(env: Env, at: number): Promise<{ users: number; sent: number; failed: number }> {
  const window = lastFullWeek(at);
  let after = "";
  let users = 0;
  let sent = 0;
  let failed = 0;
  for (;;) {
    const page = await digestUsers(env.DB, window.previousStart, window.end, after, PAGE);
    if (page.length === 0) break;
    for (const userId of page) {
      try {
        const ctx = await loadContext(env, userId, today(at));
        await raisePriceChanges(env, userId, ctx.streams, ctx.asOf);
        const draft = weeklyDigest(window.start, await weekSpending(env.DB, userId, window));
        if (!draft) continue;
        const { added, emails } = await userObject(env, userId).deliverNotifications([draft]);
        await enqueueNotices(env, userId, emails);
        if (added > 0) sent++;
      } catch (err) {
        failed++;
        console.error(JSON.stringify({ level: "error", msg: "weekly digest failed", user: userId, error: String(err) }));
      }
    }
    users += page.length;
    after = page[page.length - 1]!;
  }
  console.log(JSON.stringify({ level: "info", msg: "weekly digests", week: window.start, users, sent, failed }));
  return { users, sent, failed };
}
