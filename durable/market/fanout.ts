/**
 * Delivery from a symbol to the stream hubs listening to it: one ordered
 * chain per hub. While a delivery is in flight the next frames queue and go
 * as one batch, so a slow hub gets fewer, larger calls and never reordered
 * ones; a hub that answers it no longer listens is dropped.
 */
import type { Batch, DataFrame } from "./frames";

export interface HubPort {
  /** Delivers batches in order; resolves false when the hub has no subscriber for the symbol any more. */
  deliver(hub: string, symbol: string, batches: Batch[]): Promise<boolean>;
  /** The hub stopped listening (answered false, or failed every retry). */
  dropped(hub: string): void;
}

const RETRIES = 3;

export class Fanout {
  readonly #queues = new Map<string, Batch[]>();
  readonly #sending = new Set<string>();
  /** Batch numbers start above any earlier incarnation's (ms × 1000), so they only grow across restarts. */
  #b = Date.now() * 1000;

  constructor(
    readonly symbol: string,
    readonly port: HubPort,
  ) {}

  /** The latest batch number: a snapshot taken now covers every batch up to it. */
  get batch(): number {
    return this.#b;
  }

  publish(hubs: Iterable<string>, frames: DataFrame[]): void {
    if (frames.length === 0) return;
    const batch: Batch = { b: ++this.#b, frames };
    for (const hub of hubs) {
      let q = this.#queues.get(hub);
      if (!q) {
        q = [];
        this.#queues.set(hub, q);
      }
      q.push(batch);
      if (!this.#sending.has(hub)) void this.#drain(hub);
    }
  }

  /** Resolves once every queued batch has been delivered (tests, shutdown). */
  async idle(): Promise<void> {
    while (this.#sending.size > 0) await new Promise((r) => setTimeout(r, 1));
  }

  async #drain(hub: string): Promise<void> {
    this.#sending.add(hub);
    try {
      for (;;) {
        const q = this.#queues.get(hub);
        if (!q || q.length === 0) return;
        const batches = q.splice(0, q.length);
        // A hub that cannot be reached keeps its place: its clients see the q gap and resync from a snapshot.
        let listening = true;
        for (let attempt = 1; ; attempt++) {
          try {
            listening = await this.port.deliver(hub, this.symbol, batches);
            break;
          } catch (err) {
            if (attempt >= RETRIES) {
              console.error(JSON.stringify({ level: "error", msg: "hub delivery failed", hub, symbol: this.symbol, error: String(err) }));
              break;
            }
          }
        }
        if (!listening) {
          this.#queues.delete(hub);
          this.port.dropped(hub);
          return;
        }
      }
    } finally {
      this.#sending.delete(hub);
    }
  }
}
