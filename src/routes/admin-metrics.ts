/**
 * GET /v1/admin/metrics: Prometheus text. Counters and histograms come from
 * the MetricsDO (every isolate's flushed deltas; this isolate flushes first);
 * gauges are read at scrape time: open dead letters from D1 and each queue's
 * backlog from its producer.
 */
import { createRoute } from "@hono/zod-openapi";
import { openDeadLetterCounts } from "../db/pipeline/dead-letters";
import { type Gauge, prometheusText } from "../domain/metrics/prometheus";
import { QUEUE_BINDINGS, queueBacklog } from "../lib/health-checks";
import { flushMetrics, metricsObject } from "../lib/metrics/recorder";
import { bearerSecurity, createRouter, errorResponses } from "../lib/router";
import { requireAdmin, requireAuth } from "../middleware/auth";

const HELP: Record<string, string> = {
  finedge_http_requests_total: "HTTP requests by method, matched route pattern and status",
  finedge_http_request_duration_seconds: "HTTP request latency in the Worker by method and route",
  finedge_pipeline_lag_seconds: "Time from an event's commit in its account (recorded_at) to its Gold rows",
  finedge_queue_messages_total: "Messages delivered to each queue consumer",
  finedge_queue_batch_duration_seconds: "Time a consumer spent on one batch",
  finedge_dead_letters_open: "Dead letters waiting for an operator, by source queue",
  finedge_queue_backlog_messages: "Messages not consumed yet, by queue producer binding",
  finedge_metrics_series_dropped: "Series the aggregate refused past its cap (5000)",
};

const route = createRoute({
  method: "get",
  path: "/admin/metrics",
  tags: ["admin"],
  operationId: "getMetrics",
  summary: "Request, latency, pipeline and queue metrics as Prometheus text",
  security: bearerSecurity,
  middleware: [requireAuth(), requireAdmin()],
  description:
    "Prometheus text exposition (0.0.4): request counts per method, route pattern and status; latency histograms per route; pipeline lag (event commit → Gold); messages and batch time per queue consumer; open dead letters; queue backlogs. Counters are totals since the metrics object was created; isolates flush about once a second, so the newest second of other isolates' traffic may be missing.",
  responses: {
    200: {
      description: "The metrics",
      headers: { "X-Request-Id": { $ref: "#/components/headers/X-Request-Id" } },
      content: {
        "text/plain": { schema: { type: "string" }, example: 'finedge_http_requests_total{method="GET",route="/v1/me",status="200"} 3' },
      },
    },
    ...errorResponses(401, 403),
  },
});

export const adminMetricsRouter = createRouter().openapi(route, async (c) => {
  await flushMetrics(c.env);
  const [{ series, dropped }, dead, backlogs] = await Promise.all([
    metricsObject(c.env).snapshot(),
    openDeadLetterCounts(c.env.DB),
    Promise.all(
      QUEUE_BINDINGS.map((b) =>
        queueBacklog(c.env[b]).then(
          (m) => ({ b, m }),
          () => null,
        ),
      ),
    ),
  ]);
  const gauges: Gauge[] = [
    ...dead.map((d) => ({ name: "finedge_dead_letters_open", labels: { source_queue: d.source_queue }, value: d.n })),
    ...backlogs.flatMap((x) =>
      x ? [{ name: "finedge_queue_backlog_messages", labels: { binding: x.b }, value: x.m.backlog_messages }] : [],
    ),
    { name: "finedge_metrics_series_dropped", labels: {}, value: dropped },
  ];
  if (dead.length === 0) gauges.push({ name: "finedge_dead_letters_open", labels: { source_queue: "finedge-events" }, value: 0 });
  return new Response(prometheusText(series, gauges, HELP), {
    status: 200,
    headers: { "Content-Type": "text/plain; version=0.0.4; charset=utf-8" },
  }) as never;
});
