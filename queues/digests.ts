/**
 * The weekly and monthly digests, run by the cron triggers (wrangler.toml
 * [triggers]: WEEKLY_DIGEST_CRON Mondays 07:00 UTC, MONTHLY_DIGEST_CRON the
 * 1st 07:00 UTC; src/index.ts routes by `controller.cron`). For every user with
 * a transaction in the last full period or the one before, one engine
 * (src/lib/intel/scores.ts digestOf → src/domain/intel/digest.ts) builds the
 * wide digest per currency they spent or earned in, STORES it (D1 `digests`,
 * one row per user × kind × period start × currency; a re-run keeps the first)
 * and sends its headline numbers as the `weekly_digest` / `monthly_digest`
 * notification (src/domain/notifications/digest.ts) — inbox, email and
 * webhooks as the user's preferences say, the same path as every other
 * notification, sourced per period so a re-run (or a retried invocation) adds
 * nothing. One user's failure is logged and the rest go on. The weekly pass
 * also raises each user's `recurring_price_changed` alerts
 * (src/lib/intel/price-alerts.ts; once per change, as on GET /v1/recurring).
 * Limits: users are taken 100 at a time in one invocation; at a scale where
 * that outgrows a cron invocation's time, the pages belong on the JOBS queue.
 */
import { userObject } from "../src/auth/sessions";
import { storeDigest } from "../src/db/intel/digests";
import { digestUsers } from "../src/db/pipeline/digest-reads";
import { type DigestPeriod, periodWindows } from "../src/domain/intel/digest";
import { dayOf } from "../src/domain/intel/types";
import { newDigestId } from "../src/domain/ids";
import { digestNotification } from "../src/domain/notifications/digest";
import { enqueueNotices } from "../src/lib/email/enqueue";
import { loadContext, today } from "../src/lib/intel/context";
import { raisePriceChanges } from "../src/lib/intel/price-alerts";
import { digestOf } from "../src/lib/intel/scores";

export const WEEKLY_DIGEST_CRON = "0 7 * * 1";
export const MONTHLY_DIGEST_CRON = "0 7 1 * *";
const PAGE = 100;

export interface DigestRun {
  period: DigestPeriod;
  start: string;
  users: number;
  stored: number;
  sent: number;
  failed: number;
}

/** Build, store and notify one user's digests of the period; whether a notification was added. */
async function digestUser(env: Env, userId: string, period: DigestPeriod, at: number): Promise<{ stored: number; sent: boolean }> {
  const ctx = await loadContext(env, userId, today(at));
  if (period === "weekly") await raisePriceChanges(env, userId, ctx.streams, ctx.asOf);
  const { current, previous } = periodWindows(period, ctx.asOf);
  const currencies = [
    ...new Set(
      ctx.transactions.filter((t) => dayOf(t.occurred_at) >= previous.start && dayOf(t.occurred_at) < current.end).map((t) => t.currency),
    ),
  ].sort();
  const now = new Date(at).toISOString();
  const stored = [];
  for (const currency of currencies)
    stored.push(await storeDigest(env.DB, userId, newDigestId(), await digestOf(env, ctx, currency, period), now));
  const draft = digestNotification(
    period,
    stored.map((s) => ({ id: s.id, digest: s.digest })),
  );
  if (!draft) return { stored: stored.length, sent: false };
  const { added, emails } = await userObject(env, userId).deliverNotifications([draft]);
  await enqueueNotices(env, userId, emails);
  return { stored: stored.length, sent: added > 0 };
}

export async function runDigests(env: Env, period: DigestPeriod, at: number): Promise<DigestRun> {
  const { current, previous } = periodWindows(period, today(at));
  const run: DigestRun = { period, start: current.start, users: 0, stored: 0, sent: 0, failed: 0 };
  let after = "";
  for (;;) {
    const page = await digestUsers(env.DB, previous.start, current.end, after, PAGE);
    if (page.length === 0) break;
    for (const userId of page) {
      try {
        const r = await digestUser(env, userId, period, at);
        run.stored += r.stored;
        if (r.sent) run.sent++;
      } catch (err) {
        run.failed++;
        console.error(JSON.stringify({ level: "error", msg: `${period} digest failed`, user: userId, error: String(err) }));
      }
    }
    run.users += page.length;
    after = page[page.length - 1]!;
  }
  console.log(JSON.stringify({ level: "info", msg: "digests", ...run }));
  return run;
}

export const sendWeeklyDigests = (env: Env, at: number) => runDigests(env, "weekly", at);
export const sendMonthlyDigests = (env: Env, at: number) => runDigests(env, "monthly", at);
