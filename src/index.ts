/**
 * Worker entry: HTTP through Hono, queue batches to the pipeline consumers,
 * the cron triggers (by `controller.cron`) to the weekly and monthly digests and the retention job, and the Durable Object classes
 * re-exported for the runtime.
 */
import { createApp } from "./app";
import { handleQueueBatch } from "../queues/dispatch";
import { RETENTION_CRON, runRetention } from "../queues/retention";
import { MONTHLY_DIGEST_CRON, sendMonthlyDigests, sendWeeklyDigests, WEEKLY_DIGEST_CRON } from "../queues/digests";

const app = createApp();

export default {
  fetch: app.fetch,
  queue: handleQueueBatch,
  scheduled(controller, env, ctx) {
    // Three triggers: the daily retention job, the weekly and the monthly digest.
    const at = controller.scheduledTime;
    if (controller.cron === RETENTION_CRON) ctx.waitUntil(runRetention(env, at));
    else if (controller.cron === WEEKLY_DIGEST_CRON) ctx.waitUntil(sendWeeklyDigests(env, at));
    else if (controller.cron === MONTHLY_DIGEST_CRON) ctx.waitUntil(sendMonthlyDigests(env, at));
    else console.error(JSON.stringify({ level: "error", msg: "unknown cron trigger", cron: controller.cron }));
  },
} satisfies ExportedHandler<Env>;

export { AccountDO } from "../durable/account-do";
export { UserDO } from "../durable/user-do";
export { MarketDO } from "../durable/market-do";
export { StreamHubDO } from "../durable/stream-hub-do";
export { MetricsDO } from "../durable/metrics-do";
