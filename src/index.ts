/**
 * Worker entry: HTTP through Hono, queue batches to the pipeline consumers,
 * and the Durable Object classes re-exported for the runtime.
 */
import { createApp } from "./app";
import { handleQueueBatch } from "../queues/dispatch";

const app = createApp();

export default {
  fetch: app.fetch,
  queue: handleQueueBatch,
} satisfies ExportedHandler<Env>;

export { AccountDO } from "../durable/account-do";
export { UserDO } from "../durable/user-do";
export { MarketDO } from "../durable/market-do";
export { StreamHubDO } from "../durable/stream-hub-do";
