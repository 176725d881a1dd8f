/** Dispatches a queue batch to its consumer by queue name. */

export async function handleQueueBatch(batch: MessageBatch, _env: Env, _ctx: ExecutionContext): Promise<void> {
  // The pipeline (Bronze/Silver/Gold) is built in issue #3; until then events are acknowledged.
  batch.ackAll();
}
