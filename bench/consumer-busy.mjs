/**
 * A queue consumer's busy time from the Worker's own metrics (GET
 * /v1/admin/metrics, Prometheus text): queues/dispatch.ts times every batch
 * around the whole consumer call — for the EVENTS queue that is Bronze,
 * Silver/Gold, cashback, the inbox, risk alerts AND anomaly scoring — into
 * `finedge_queue_batch_duration_seconds{queue}`. (pipeline_runs.duration_ms
 * ends at the D1 commit, before scoring, so it cannot see scoring's cost.)
 * Two snapshots around a burst give Σ batch durations for that burst; events
 * per second of busy time is the consumer's capacity whatever the producer's
 * pace. Pure: no I/O here.
 */

/** The events-queue counters in one scrape: { messages, batches, busy_s } (0 when the series is absent). */
export function queueCounters(text, queue) {
  const out = { messages: 0, batches: 0, busy_s: 0 };
  const want = `queue="${queue}"`;
  for (const line of String(text).split("\n")) {
    const m =
      /^(finedge_queue_messages_total|finedge_queue_batch_duration_seconds_sum|finedge_queue_batch_duration_seconds_count)\{([^}]*)\} (\S+)$/.exec(
        line.trim(),
      );
    if (!m?.[2].split(",").includes(want)) continue;
    const v = Number(m[3]);
    if (!Number.isFinite(v)) continue;
    if (m[1] === "finedge_queue_messages_total") out.messages = v;
    else if (m[1].endsWith("_sum")) out.busy_s = v;
    else out.batches = v;
  }
  return out;
}

/**
 * What the consumer did between two scrapes, and `events` (the purchases the
 * burst posted) per second of its busy time. Follow-on messages (alerts that
 * scoring sends back to the queue) are in `messages` and their batches in the
 * busy time: they are part of the cost per posted event.
 */
export function busyBetween(before, after, events) {
  const busy = after.busy_s - before.busy_s;
  return {
    batches: after.batches - before.batches,
    messages: after.messages - before.messages,
    busy_s: Math.round(busy * 1000) / 1000,
    events_per_busy_s: busy > 0 ? Math.round((events / busy) * 10) / 10 : null,
  };
}
