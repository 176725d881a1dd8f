/**
 * Getting webhook deliveries out of the UserDO: a notification's deliveries to
 * the endpoints whose filter takes its kind, the test message, a redelivery,
 * the consumer's attempt reports, and the WEBHOOKS queue sends. The sweep (the
 * object's alarm) is the guarantee that a pending delivery is sent even when
 * its job was lost or never enqueued: every change that leaves one pending
 * arms it.
 */
import type { NotificationDraft } from "../../src/domain/notifications/from-event";
import { disabledNotice, notificationEnvelope, testEnvelope } from "../../src/domain/webhooks/envelope";
import type { WebhookDeliveries } from "./webhook-deliveries";
import type { WebhookEndpoints } from "./webhook-endpoints";
import { type AttemptReport, type Job, newMessageId } from "./webhook-rows";

/** A WEBHOOKS queue message: one delivery of one message to one endpoint. */
export interface WebhookJob extends Job {
  user_id: string;
}

const SEND_BATCH = 100;

export class WebhookDispatch {
  constructor(
    readonly endpoints: WebhookEndpoints,
    readonly deliveries: WebhookDeliveries,
    private readonly storage: DurableObjectStorage,
    private readonly queue: Queue,
    private readonly userId: string,
  ) {}

  /** A pending delivery of this notification to every enabled endpoint whose filter takes its kind (the caller enqueues them). */
  forNotification(draft: NotificationDraft, notificationId: string | null, now: number): Job[] {
    const endpoints = this.endpoints.subscribers(draft.kind);
    if (endpoints.length === 0) return [];
    const message = notificationEnvelope(newMessageId(), draft, notificationId, now);
    return endpoints.map((endpointId) => this.deliveries.addDelivery(endpointId, message, now));
  }

  async enqueue(jobs: readonly Job[]): Promise<void> {
    if (jobs.length === 0) return;
    await this.armSweep();
    for (let i = 0; i < jobs.length; i += SEND_BATCH) {
      await this.queue.sendBatch(jobs.slice(i, i + SEND_BATCH).map((j) => ({ body: { user_id: this.userId, ...j } satisfies WebhookJob })));
    }
  }

  async armSweep(): Promise<void> {
    const at = this.deliveries.nextSweepAt();
    if (at === null) return;
    const alarm = await this.storage.getAlarm();
    if (alarm === null || alarm > at) await this.storage.setAlarm(at);
  }

  /** The alarm's share: re-queue what is overdue; returns when to look again (or null). */
  async sweep(now: number): Promise<number | null> {
    const jobs = this.deliveries.sweep(now);
    if (jobs.length > 0) await this.queue.sendBatch(jobs.map((j) => ({ body: { user_id: this.userId, ...j } satisfies WebhookJob })));
    return this.deliveries.nextSweepAt();
  }

  async update(id: string, patch: { url?: string; event_types?: string[]; description?: string | null; enabled?: boolean }) {
    const endpoint = this.endpoints.update(id, patch, Date.now());
    if (endpoint && patch.enabled) await this.armSweep(); // what waited while it was disabled goes out again
    return endpoint;
  }

  deliveryLog(id: string, limit: number) {
    return this.endpoints.get(id, Date.now()) ? this.deliveries.deliveries(id, limit) : null;
  }

  /** A `webhook.test` message to the endpoint, whatever its filter; null when not found, "disabled" when disabled. */
  async test(id: string) {
    const now = Date.now();
    const endpoint = this.endpoints.get(id, now);
    if (!endpoint) return null;
    if (endpoint.status === "disabled") return "disabled" as const;
    const job = this.deliveries.addDelivery(id, testEnvelope(newMessageId(), id, now), now);
    await this.enqueue([job]);
    return this.deliveries.delivery(id, job.delivery_id);
  }

  /** The same message again (same webhook-id and body) as a new delivery. */
  async redeliver(id: string, deliveryId: string) {
    const now = Date.now();
    const endpoint = this.endpoints.get(id, now);
    if (!endpoint) return null;
    if (endpoint.status === "disabled") return this.deliveries.delivery(id, deliveryId) ? ("disabled" as const) : null;
    const job = this.deliveries.redeliver(id, deliveryId, now);
    if (!job) return null;
    await this.enqueue([job]);
    return this.deliveries.delivery(id, job.delivery_id);
  }

  /** Logs an attempt; `notice` is the inbox notification to deliver when it disabled the endpoint. */
  async record(endpointId: string, deliveryId: string, attempt: number, report: AttemptReport) {
    const now = Date.now();
    const result = this.deliveries.record(endpointId, deliveryId, attempt, report, now);
    await this.armSweep();
    const endpoint = result?.disabled ? this.endpoints.get(endpointId, now) : null;
    const notice = endpoint && result?.disabled ? disabledNotice(endpointId, endpoint.url, result.disabled, now) : null;
    return { result, notice };
  }
}
