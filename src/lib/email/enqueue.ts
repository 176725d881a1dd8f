/**
 * Puts email jobs on the NOTIFICATIONS queue. A job deferred by quiet hours
 * is sent with a delay (at most Queues' 12 hours; the consumer re-defers
 * what is still early), so it waits in the queue, not in our storage.
 */
import { drizzle } from "drizzle-orm/d1";
import { findUserById } from "../../auth/users";
import { type EmailJob, type EmailNotice, notificationJob } from "../../domain/notifications/email";

/** Queues' longest delivery delay, in seconds. */
export const MAX_DELAY_SECONDS = 43_200;
const MAX_BATCH = 100;

export function delayFor(job: EmailJob, now = Date.now()): number {
  if (!job.not_before || job.not_before <= now) return 0;
  return Math.min(MAX_DELAY_SECONDS, Math.ceil((job.not_before - now) / 1000));
}

export async function enqueueEmails(env: Env, jobs: readonly EmailJob[], now = Date.now()): Promise<void> {
  for (let i = 0; i < jobs.length; i += MAX_BATCH) {
    await env.NOTIFICATIONS.sendBatch(
      jobs.slice(i, i + MAX_BATCH).map((job) => {
        const delaySeconds = delayFor(job, now);
        return delaySeconds > 0 ? { body: job, contentType: "json" as const, delaySeconds } : { body: job, contentType: "json" as const };
      }),
    );
  }
}

/** The user's notices as jobs to their address (none when the user has no D1 record), enqueued. */
export async function enqueueNotices(env: Env, userId: string, notices: readonly EmailNotice[], to?: string): Promise<void> {
  if (notices.length === 0) return;
  const address = to ?? (await findUserById(drizzle(env.DB), userId))?.email;
  if (!address) return;
  await enqueueEmails(
    env,
    notices.map((n) => notificationJob(address, n)),
  );
}

/**
 * For routes: enqueue and never fail the request for it. A lost enqueue
 * loses that one email (logged); the inbox notice is already written.
 */
export async function enqueueQuietly(env: Env, jobs: readonly EmailJob[]): Promise<void> {
  if (jobs.length === 0) return;
  try {
    await enqueueEmails(env, jobs);
  } catch (err) {
    console.error(JSON.stringify({ level: "error", msg: "email enqueue failed", jobs: jobs.length, error: String(err) }));
  }
}
