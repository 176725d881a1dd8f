/**
 * /v1/insights: the caller's health score (src/domain/intel/health.ts) and
 * risk score (src/domain/intel/risk.ts), each with its drivers as they are,
 * computed on read from their transactions, streams and Gold balances.
 */
import { createRoute } from "@hono/zod-openapi";
import { loadContext, resolveAsOf, resolveCurrency } from "../lib/intel/context";
import { digestOf, healthOf, riskOf } from "../lib/intel/scores";
import { bearerSecurity, createRouter, errorResponses, jsonResponse } from "../lib/router";
import { requireAuth } from "../middleware/auth";
import { Digest, DigestQuery, HealthScore, InsightQuery, RiskScore } from "./insights-schemas";

const tags = ["intelligence"];

const getHealth = createRoute({
  method: "get",
  path: "/insights/health",
  tags,
  operationId: "getHealthScore",
  summary: "The financial health score and its drivers",
  security: bearerSecurity,
  middleware: [requireAuth()] as const,
  description:
    "Versioned; four pillars 0–100 over the last 90 days: spend versus income, the liquid buffer in months of essential spending, negative-balance days, recurring bills on time.",
  request: { query: InsightQuery },
  responses: { 200: jsonResponse(HealthScore, "The score"), ...errorResponses(400, 401) },
});

const getRisk = createRoute({
  method: "get",
  path: "/insights/risk",
  tags,
  operationId: "getRiskScore",
  summary: "The risk score and its drivers",
  security: bearerSecurity,
  middleware: [requireAuth()] as const,
  description: "Versioned; additive points from the balance buffer, transaction velocity, recent anomalies and negative-balance days.",
  request: { query: InsightQuery },
  responses: { 200: jsonResponse(RiskScore, "The score"), ...errorResponses(400, 401) },
});

const getDigest = createRoute({
  method: "get",
  path: "/insights/digests",
  tags,
  operationId: "getDigest",
  summary: "The weekly or monthly digest",
  security: bearerSecurity,
  middleware: [requireAuth()] as const,
  description:
    "The last full week or month before as_of: totals with the change from the period before and the savings rate, top categories, the five largest expenses, new merchants, new, cancelled and price-changed subscriptions, bills due in 7 days, the forecast's low point and budget suggestions.",
  request: { query: DigestQuery },
  responses: { 200: jsonResponse(Digest, "The digest"), ...errorResponses(400, 401) },
});

export const insightsRouter = createRouter()
  .openapi(getHealth, async (c) => {
    const q = c.req.valid("query");
    const ctx = await loadContext(c.env, c.get("principal").userId, resolveAsOf(q.as_of));
    const health = await healthOf(c.env, ctx, await resolveCurrency(c.env, ctx, q.currency));
    return c.json({ object: "health_score" as const, ...health }, 200);
  })
  .openapi(getRisk, async (c) => {
    const q = c.req.valid("query");
    const ctx = await loadContext(c.env, c.get("principal").userId, resolveAsOf(q.as_of));
    const risk = await riskOf(c.env, ctx, await resolveCurrency(c.env, ctx, q.currency));
    return c.json({ object: "risk_score" as const, ...risk }, 200);
  })
  .openapi(getDigest, async (c) => {
    const q = c.req.valid("query");
    const ctx = await loadContext(c.env, c.get("principal").userId, resolveAsOf(q.as_of));
    const digest = await digestOf(c.env, ctx, await resolveCurrency(c.env, ctx, q.currency), q.period);
    return c.json({ object: "digest" as const, ...digest }, 200);
  });
