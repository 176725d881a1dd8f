/**
 * /v1/insights: the caller's health score (src/domain/intel/health.ts) and
 * risk score (src/domain/intel/risk.ts), each with its drivers as they are,
 * computed on read from their transactions, streams and Gold balances; and
 * their digests as the cron runs stored them (queues/digests.ts), with the
 * current period computed on read while none is stored.
 */
import { createRoute, z } from "@hono/zod-openapi";
import { digestById, listDigests, type StoredDigest } from "../db/intel/digests";
import { DomainError } from "../domain/errors";
import type { DigestPeriod } from "../domain/intel/digest";
import { decodeCursor, encodeCursor } from "../lib/cursor";
import { loadContext, resolveAsOf, resolveCurrency } from "../lib/intel/context";
import { digestOf, healthOf, riskOf } from "../lib/intel/scores";
import { bearerSecurity, createRouter, errorResponses, jsonResponse } from "../lib/router";
import { requireAuth } from "../middleware/auth";
import { Digest, DigestList, DigestParam, DigestQuery, HealthScore, InsightQuery, RiskScore } from "./insights-schemas";

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

const listDigestsRoute = createRoute({
  method: "get",
  path: "/insights/digests",
  tags,
  operationId: "listDigests",
  summary: "The caller's weekly and monthly digests",
  security: bearerSecurity,
  middleware: [requireAuth()] as const,
  description:
    "The digests the cron runs stored (weekly: Mondays 07:00 UTC for the week before; monthly: the 1st for the month before), newest period first, keyset cursor; filter by kind and currency. Each: totals with the change from the period before and the savings rate (refunds lower spend, never count as income), top categories, the five largest expenses, new merchants, new, cancelled and price-changed subscriptions, anomalies with their reasons, bills due in 7 days, the forecast's low point and budget suggestions. While none is stored for the filter, the last full period before as_of is computed on read (`stored: false`, `id: null`), per kind asked (both without kind).",
  request: { query: DigestQuery },
  responses: { 200: jsonResponse(DigestList, "The digests"), ...errorResponses(400, 401) },
});

const getDigestRoute = createRoute({
  method: "get",
  path: "/insights/digests/{id}",
  tags,
  operationId: "getDigest",
  summary: "One stored digest",
  security: bearerSecurity,
  middleware: [requireAuth()] as const,
  description: "What the digest notification links to. Another user's digest is a 404.",
  request: { params: DigestParam },
  responses: { 200: jsonResponse(Digest, "The digest"), ...errorResponses(400, 401, 404) },
});

const Cursor = z.object({ s: z.string().max(10), i: z.string().max(40) });
const storedView = (s: StoredDigest) => ({ object: "digest" as const, id: s.id, stored: true, created_at: s.created_at, ...s.digest });

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
  .openapi(listDigestsRoute, async (c) => {
    const q = c.req.valid("query");
    const userId = c.get("principal").userId;
    const asOf = resolveAsOf(q.as_of);
    const after = decodeCursor(q.cursor, Cursor);
    const rows = await listDigests(c.env.DB, userId, {
      kind: q.kind,
      currency: q.currency,
      limit: q.limit + 1,
      before: after && { start: after.s, id: after.i },
    });
    if (rows.length === 0 && !after) {
      const ctx = await loadContext(c.env, userId, asOf);
      const currency = await resolveCurrency(c.env, ctx, q.currency);
      const kinds: DigestPeriod[] = q.kind ? [q.kind] : ["weekly", "monthly"];
      const data = [];
      for (const kind of kinds)
        data.push({
          object: "digest" as const,
          id: null,
          stored: false,
          created_at: null,
          ...(await digestOf(c.env, ctx, currency, kind)),
        });
      return c.json({ object: "list" as const, data, has_more: false, next_cursor: null }, 200);
    }
    const data = rows.slice(0, q.limit).map(storedView);
    const last = rows.length > q.limit ? data[data.length - 1] : undefined;
    return c.json(
      { object: "list" as const, data, has_more: !!last, next_cursor: last ? encodeCursor({ s: last.start, i: last.id }) : null },
      200,
    );
  })
  .openapi(getDigestRoute, async (c) => {
    const found = await digestById(c.env.DB, c.get("principal").userId, c.req.valid("param").id);
    if (!found) throw new DomainError("not_found", "Digest not found");
    return c.json(storedView(found), 200);
  });
