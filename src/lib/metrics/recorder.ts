/**
 * This isolate's metric buffer. Requests, queue batches and the pipeline add
 * to it without any I/O; at most once a second (FLUSH_MS) the buffer is
 * drained to the MetricsDO in the background (ctx.waitUntil), which adds up
 * every isolate's deltas. GET /v1/admin/metrics flushes its own isolate first,
 * so what one isolate saw is always in the answer. Where the optional
 * Analytics Engine binding METRICS_AE exists (deployed), every request is also
 * written there as a data point. Labels are route patterns, never raw paths.
 */
import { LAG_BOUNDS_MS, MetricSet } from "../../domain/metrics/series";

export const FLUSH_MS = 1_000;
const buffer = new MetricSet(2_000);
let lastFlush = 0;

type WithAnalytics = Env & { METRICS_AE?: AnalyticsEngineDataset };

export function metricsObject(env: Env) {
  return env.METRICS.get(env.METRICS.idFromName("global"));
}

export function recordRequest(env: Env, r: { method: string; route: string; status: number; ms: number }): void {
  const labels = { method: r.method, route: r.route, status: String(r.status) };
  buffer.inc("finedge_http_requests_total", labels);
  buffer.observe("finedge_http_request_duration_seconds", { method: r.method, route: r.route }, r.ms);
  (env as WithAnalytics).METRICS_AE?.writeDataPoint({ blobs: [r.method, r.route, String(r.status)], doubles: [r.ms], indexes: [r.route] });
}

/** One event's time from its commit in the account (recorded_at) to its Gold rows. */
export function recordPipelineLag(ms: number): void {
  buffer.observe("finedge_pipeline_lag_seconds", {}, ms, LAG_BOUNDS_MS);
}

export function recordQueueBatch(queue: string, messages: number, ms: number): void {
  buffer.inc("finedge_queue_messages_total", { queue }, messages);
  buffer.observe("finedge_queue_batch_duration_seconds", { queue }, ms);
}

/** Sends the buffer to the MetricsDO now; a failed send is logged and its deltas dropped (metrics never fail a request). */
export async function flushMetrics(env: Env, now = Date.now()): Promise<void> {
  lastFlush = now;
  const deltas = buffer.drain();
  if (deltas.length === 0) return;
  try {
    await metricsObject(env).add(deltas);
  } catch (err) {
    console.error(JSON.stringify({ level: "error", msg: "metrics flush failed", series: deltas.length, error: String(err) }));
  }
}

/** Schedules a background flush when the last one is FLUSH_MS old. */
export function flushSoon(env: Env, ctx: { waitUntil(p: Promise<unknown>): void } | undefined, now = Date.now()): void {
  if (!ctx || now - lastFlush < FLUSH_MS) return;
  lastFlush = now;
  ctx.waitUntil(flushMetrics(env, now));
}
