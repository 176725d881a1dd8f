/** Liveness: answers without touching storage, so it also measures the platform floor. */
import { createRoute, z } from "@hono/zod-openapi";
import { createRouter, jsonResponse, publicSecurity, unlimitedErrorResponses } from "../lib/router";

const route = createRoute({
  method: "get",
  path: "/health",
  tags: ["meta"],
  operationId: "getHealth",
  description: "Answers without touching storage; 503 when the deployment is misconfigured. Not rate-limited (load balancers poll it).",
  summary: "Liveness check",
  security: publicSecurity,
  responses: { 200: jsonResponse(z.object({ status: z.literal("ok"), time: z.string() }), "Service is up"), ...unlimitedErrorResponses() },
});

export const healthRouter = createRouter().openapi(route, (c) => c.json({ status: "ok" as const, time: new Date().toISOString() }, 200));
