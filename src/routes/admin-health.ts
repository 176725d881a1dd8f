/**
 * GET /v1/admin/health: every binding checked, with latencies (src/lib/health-checks.ts).
 * The public /health stays a liveness probe that touches nothing.
 */
import { createRoute, z } from "@hono/zod-openapi";
import { overallStatus, runHealthChecks } from "../lib/health-checks";
import { bearerSecurity, createRouter, errorResponses, jsonResponse } from "../lib/router";
import { requireAdmin, requireAuth } from "../middleware/auth";

const Check = z
  .object({
    name: z.string().openapi({ description: "The binding", example: "EVENTS" }),
    kind: z.enum(["d1", "r2", "queue", "durable_object"]),
    status: z.enum(["ok", "error"]),
    latency_ms: z.number(),
    detail: z
      .record(z.string(), z.number())
      .nullable()
      .openapi({ description: "Queues: backlog_messages and backlog_bytes; MARKET: the probe symbol's seq" }),
    error: z.string().nullable(),
  })
  .openapi("HealthCheck");

const Report = z
  .object({
    status: z.enum(["ok", "degraded", "down"]).openapi({
      description: "ok: every check passed; down: D1 failed or no Durable Object answered; degraded: any other failure",
    }),
    checked_at: z.string(),
    checks: z.array(Check),
  })
  .openapi("HealthReport");

const route = createRoute({
  method: "get",
  path: "/admin/health",
  tags: ["admin"],
  operationId: "getDeepHealth",
  summary: "Check every binding: D1, R2, each queue producer, Durable Object round trips",
  security: bearerSecurity,
  middleware: [requireAuth(), requireAdmin()],
  description:
    "Runs one harmless probe per binding in parallel, each with a 2 s deadline: D1 `SELECT 1`, an R2 HEAD, each queue producer's backlog metrics (nothing is sent), and one read-only RPC round trip per Durable Object class (AccountDO, UserDO, MarketDO, StreamHubDO, MetricsDO), each to one fixed probe object. Always 200; `status` is `ok`, `degraded` or `down` (D1 failed or no Durable Object answered) and a failing check carries its error.",
  responses: { 200: jsonResponse(Report, "The checks"), ...errorResponses(401, 403) },
});

export const adminHealthRouter = createRouter().openapi(route, async (c) => {
  const checks = await runHealthChecks(c.env);
  return c.json({ status: overallStatus(checks), checked_at: new Date().toISOString(), checks }, 200);
});
