/**
 * Gets committed outbox events to the queue soon after their transaction. A
 * short in-memory timer gathers the events of nearby writes into one
 * sendBatch; the durable alarm, armed whenever events may be unsent, is the
 * guarantee: after a crash, an eviction or a failed send it drains them (with
 * backoff). Either way the send happens outside any money transaction and
 * rows count as sent only once the queue accepted them (`drainOutbox`).
 *
 * Why not the alarm alone: arming, firing and re-arming an alarm is a storage
 * write and a scheduled event each time; for an account written a few times a
 * second that cost more than the drain itself. The alarm now fires about once
 * per OUTBOX_SAFETY_MS while the account is busy, and the timer does the rest.
 */
import type { AccountDO } from "../account-do";
import { drainOutbox, type DrainOutcome } from "./alarm";

/** Events wait this long for company before the timer sends them (freshness pays it; its target is 1 s). */
export const OUTBOX_FLUSH_MS = 25;
/** The alarm is armed at most this far out whenever events are committed: the bound on delivery after a crash. */
export const OUTBOX_SAFETY_MS = 5_000;

export class OutboxRelay {
  private timer: ReturnType<typeof setTimeout> | null = null;
  private running: Promise<DrainOutcome> | null = null;
  private again = false;

  constructor(private readonly d: AccountDO) {}

  /** Arm the durable guarantee only (before awaiting another account, when more events will follow). */
  guarantee(): Promise<void> {
    return this.d.scheduleAlarm(Date.now() + OUTBOX_SAFETY_MS);
  }

  /** After a commit that wrote events: the guarantee, then a flush soon unless the queue is failing (the alarm's backoff owns retries then). */
  async committed(): Promise<void> {
    await this.guarantee();
    if (this.timer || this.d.outboxFailures > 0) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      // A failure is already counted and logged by the drain; the armed alarm retries.
      this.drain().catch(() => undefined);
    }, OUTBOX_FLUSH_MS);
  }

  /** One drain at a time; a call while one runs joins it and makes it go round once more. */
  drain(): Promise<DrainOutcome> {
    if (this.running) {
      this.again = true;
      return this.running;
    }
    const run = async (): Promise<DrainOutcome> => {
      try {
        let out: DrainOutcome;
        do {
          this.again = false;
          out = await drainOutbox(this.d);
        } while (this.again && out.ok);
        return out;
      } finally {
        this.running = null;
      }
    };
    this.running = run();
    return this.running;
  }
}
