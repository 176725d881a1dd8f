/**
 * MetricsDO: one object (named "global") that adds up the request, latency,
 * pipeline-lag and consumer counters every isolate buffers and flushes
 * (src/lib/metrics/recorder.ts), for GET /v1/admin/metrics. A thin shell:
 * its public members are exactly its RPC API.
 */
import { DurableObject } from "cloudflare:workers";
import type { SeriesDelta } from "../src/domain/metrics/series";
import { MetricStore } from "./metrics/store";

export class MetricsDO extends DurableObject<Env> {
  readonly #store: MetricStore;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.#store = new MetricStore(ctx.storage.sql);
  }

  /** Merges one isolate's deltas. */
  add(deltas: SeriesDelta[]) {
    this.#store.add(deltas);
  }

  /** Every series' totals. */
  snapshot() {
    return this.#store.snapshot();
  }

  /** The health check's round trip: answers without touching storage. */
  ping() {
    return Date.now();
  }
}
