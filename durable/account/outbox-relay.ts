/**
 * Gets committed outbox events to the queue soon after their transaction. A
 * short in-memory timer gathers the events of nearby writes into one
 * sendBatch; the durable alarm, armed whenever events may be unsent, is the
 * guarantee: after a crash, an eviction or a failed send it drains them (with
 * backoff). Either way the send happens outside any money transaction and
 * events count as sent only once the queue accepted them, so delivery is at
 * least once.
 *
 * Why not the alarm alone: arming, firing and re-arming an alarm is a storage
 * write and a scheduled event each time; for an account written a few times a
 * second that cost more than the drain itself. The alarm now fires about once
 * per OUTBOX_SAFETY_MS while the account is busy, and the timer does the rest.
 */
import type { OutboxEvent } from "./outbox-buffer";
import type { AccountStore } from "./store";

/** Events wait this long for company before the timer sends them (freshness pays it; its target is 1 s). */
export const OUTBOX_FLUSH_MS = 25;
/** The alarm is armed at most this far out whenever events are committed: the bound on delivery after a crash. */
export const OUTBOX_SAFETY_MS = 5_000;
const BATCH_MESSAGES = 100;
/** Queues cap a batch at 256 KB; stay well under. */
const BATCH_BYTES = 192 * 1024;
/** Batches per drain call before yielding (the caller comes back for the rest). */
const ROUNDS_PER_DRAIN = 20;

export type DrainOutcome = { ok: true; remaining: number } | { ok: false; failures: number };

export interface RelayParts {
  store: AccountStore;
  /** Where events go, looked up at each send (the EVENTS queue binding). */
  publisher(): Pick<Queue, "sendBatch">;
  scheduleAlarm(at: number): Promise<void>;
}

export class OutboxRelay {
  private timer: ReturnType<typeof setTimeout> | null = null;
  private running: Promise<DrainOutcome> | null = null;
  private again = false;
  /** Consecutive failed sends; shapes the alarm's retry backoff. */
  private failures = 0;

  constructor(private readonly p: RelayParts) {}

  /** Arm the durable guarantee only (before awaiting another account, when more events will follow). */
  guarantee(): Promise<void> {
    return this.p.scheduleAlarm(Date.now() + OUTBOX_SAFETY_MS);
  }

  /** After a commit that wrote events: the guarantee, then a flush soon unless the queue is failing (the alarm's backoff owns retries then). */
  async committed(): Promise<void> {
    await this.guarantee();
    if (this.timer || this.failures > 0) return;
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
    this.running = this.drainAll();
    return this.running;
  }

  private async drainAll(): Promise<DrainOutcome> {
    try {
      let out: DrainOutcome;
      do {
        this.again = false;
        out = await this.drainOnce();
      } while (this.again && out.ok);
      return out;
    } finally {
      this.running = null;
    }
  }

  private async drainOnce(): Promise<DrainOutcome> {
    const store = this.p.store;
    const a = store.accountRow();
    for (let round = 0; a && round < ROUNDS_PER_DRAIN && a.outbox_sent_seq < a.event_seq; round++) {
      const batch = store.outbox.next(a.outbox_sent_seq, BATCH_MESSAGES, BATCH_BYTES) ?? this.readUnsent(a.outbox_sent_seq);
      if (batch[0]?.seq !== a.outbox_sent_seq + 1) {
        // Unsent events are never pruned, so this is a broken invariant: never skip the gap, say so and retry later.
        this.failures++;
        console.error(
          JSON.stringify({ level: "error", msg: "outbox gap", expected_seq: a.outbox_sent_seq + 1, found: batch[0]?.seq ?? null }),
        );
        return { ok: false, failures: this.failures };
      }
      try {
        await this.p.publisher().sendBatch(batch.map((e) => ({ body: e.body, contentType: "json" as const })));
      } catch (err) {
        this.failures++;
        console.warn(JSON.stringify({ level: "warn", msg: "outbox send failed; will retry", error: String(err), streak: this.failures }));
        return { ok: false, failures: this.failures };
      }
      // The batch is the oldest unsent events in seq order, so moving the watermark marks exactly them.
      store.markSent(batch[batch.length - 1]!.seq);
    }
    this.failures = 0;
    return { ok: true, remaining: a ? a.event_seq - a.outbox_sent_seq : 0 };
  }

  private readUnsent(sentSeq: number): OutboxEvent[] {
    const out: OutboxEvent[] = [];
    let bytes = 0;
    for (const r of this.p.store.queries.unsent(sentSeq, BATCH_MESSAGES)) {
      if (out.length > 0 && bytes + r.body.length > BATCH_BYTES) break;
      bytes += r.body.length;
      out.push({ seq: r.seq, body: JSON.parse(r.body) as object, bytes: r.body.length });
    }
    return out;
  }
}
