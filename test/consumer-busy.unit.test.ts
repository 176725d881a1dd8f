/** The scoring bench's busy-time figure (bench/consumer-busy.mjs) read from the Worker's real Prometheus text. */
import { describe, expect, it } from "vitest";
import { busyBetween, queueCounters } from "../bench/consumer-busy.mjs";
import { prometheusText } from "../src/domain/metrics/prometheus";
import { MetricSet } from "../src/domain/metrics/series";

/** The exposition the metrics route serves, after these batches (ms) per queue. */
function scrape(batches: readonly [string, number, number][]): string {
  const set = new MetricSet(100);
  for (const [queue, messages, ms] of batches) {
    set.inc("finedge_queue_messages_total", { queue }, messages);
    set.observe("finedge_queue_batch_duration_seconds", { queue }, ms);
  }
  set.observe("finedge_http_request_duration_seconds", { method: "GET", route: "/health" }, 9_999);
  return prometheusText(set.drain(), [], {});
}

describe("consumer busy time", () => {
  it("reads one queue's messages, batches and Σ durations, ignoring other queues and series", () => {
    const text = scrape([
      ["finedge-events", 100, 40],
      ["finedge-events", 20, 12.5],
      ["finedge-events-dlq", 7, 500],
      ["finedge-webhooks", 3, 900],
    ]);
    expect(queueCounters(text, "finedge-events")).toEqual({ messages: 120, batches: 2, busy_s: 0.0525 });
    expect(queueCounters(text, "finedge-events-dlq")).toEqual({ messages: 7, batches: 1, busy_s: 0.5 });
    expect(queueCounters(text, "finedge-payments")).toEqual({ messages: 0, batches: 0, busy_s: 0 });
  });

  it("turns two scrapes into posted events per second of busy time", () => {
    const before = queueCounters(scrape([["finedge-events", 50, 100]]), "finedge-events");
    const after = queueCounters(
      scrape([
        ["finedge-events", 50, 100],
        ["finedge-events", 100, 150],
        ["finedge-events", 102, 50],
      ]),
      "finedge-events",
    );
    // 200 posted events (2 follow-on alert messages) in 0.2 s of batches → 1,000 per busy second.
    expect(busyBetween(before, after, 200)).toEqual({ batches: 2, messages: 202, busy_s: 0.2, events_per_busy_s: 1000 });
    expect(busyBetween(after, after, 200).events_per_busy_s).toBeNull();
  });
});
