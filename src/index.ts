/**
 * Worker entry: HTTP through Hono, queue batches to the pipeline consumers,
 * the cron triggers to the weekly digest and the retention job, and the Durable Object classes
 * re-exported for the runtime.
 */
import { createApp } from "./app";
import { handleQueueBatch } from "../queues/dispatch";
import { RETENTION_CRON, runRetention } from "../queues/retention";
import { sendWeeklyDigests } from "../queues/weekly-digest";

const app = createApp();

export default {
  fetch: app.fetch,
  queue: handleQueueBatch,
  scheduled(controller, env, ctx) {
    // Two triggers: the daily retention job, and the weekly digest.
    if (controller.cron === RETENTION_CRON) ctx.waitUntil(runRetention(env, controller.scheduledTime));
    else ctx.waitUntil(sendWeeklyDigests(env, controller.scheduledTime));
  },
} satisfies ExportedHandler<Env>;

export { AccountDO } from "../durable/account-do";
export { UserDO } from "../durable/user-do";
export { MarketDO } from "../durable/market-do";
export { StreamHubDO } from "../durable/stream-hub-do";
export { MetricsDO } from "../durable/metrics-do";
