/** Liveness: answers without touching storage, so it also measures the platform floor. */
import { createRoute, z } from "@hono/zod-openapi";
import { createRouter, jsonResponse } from "../lib/router";

const route = createRoute({
  method: "get",
  path: "/health",
  tags: ["meta"],
  summary: "Liveness check",
  responses: { 200: jsonResponse(z.object({ status: z.literal("ok"), time: z.string() }), "Service is up") },
});

export const healthRouter = createRouter().openapi(route, (c) => c.json({ status: "ok" as const, time: new Date().toISOString() }, 200));
