/**
 * /v1/merchants: the caller's merchant entities from the typed Silver
 * transactions (spend, visits, first/last seen, category), keyset-paged by
 * merchant key, and the top merchants by spend in a month or all time.
 */
import { createRoute, z } from "@hono/zod-openapi";
import { checkInstantRange } from "../domain/calendar";
import { type MerchantRow, merchantsPage, topMerchants } from "../db/intel/merchants";
import { decodeCursor, encodeCursor } from "../lib/cursor";
import { bearerSecurity, createRouter, errorResponses, jsonResponse } from "../lib/router";
import { requireAuth } from "../middleware/auth";
import { addDays, lastDayOfMonth, toUtcIso } from "../pipeline/time";
import { MerchantList, MerchantQuery, TopMerchantList, TopMerchantQuery } from "./merchant-schemas";

const tags = ["intelligence"];

const listMerchants = createRoute({
  method: "get",
  path: "/merchants",
  tags,
  operationId: "listMerchants",
  summary: "The caller's merchants with spend, visits, first and last seen and category",
  security: bearerSecurity,
  middleware: [requireAuth()] as const,
  description:
    "One item per merchant entity and currency, ordered by merchant key; purchases and refunds only (reversals folded in). Reflects an entry as soon as the pipeline applied it.",
  request: { query: MerchantQuery },
  responses: { 200: jsonResponse(MerchantList, "A page of merchants"), ...errorResponses(400, 401) },
});

const listTopMerchants = createRoute({
  method: "get",
  path: "/merchants/top",
  tags,
  operationId: "listTopMerchants",
  summary: "The caller's merchants with the largest spend, largest first",
  security: bearerSecurity,
  middleware: [requireAuth()] as const,
  description: "Only merchants with a positive spend in the month (all time when omitted).",
  request: { query: TopMerchantQuery },
  responses: { 200: jsonResponse(TopMerchantList, "The top merchants"), ...errorResponses(400, 401) },
});

function view(r: MerchantRow) {
  return {
    object: "merchant" as const,
    merchant_key: r.merchant_key,
    name: r.name,
    currency: r.currency,
    spend: r.spend,
    visits: r.visits,
    refunds: r.refunds,
    first_seen: r.first_seen,
    last_seen: r.last_seen,
    category: { key: r.category, primary: r.category_primary, detailed: r.category_detailed },
  };
}

export const merchantsRouter = createRouter()
  .openapi(listMerchants, async (c) => {
    const q = c.req.valid("query");
    checkInstantRange(q.from, q.to);
    const after = decodeCursor(q.cursor, z.tuple([z.string().max(300), z.string().max(3)]));
    const rows = await merchantsPage(c.env.DB, c.get("principal").userId, {
      from: q.from === undefined ? undefined : (toUtcIso(q.from) ?? undefined),
      to: q.to === undefined ? undefined : (toUtcIso(q.to) ?? undefined),
      after,
      limit: q.limit + 1,
    });
    const page = rows.slice(0, q.limit);
    const last = page[page.length - 1];
    const hasMore = rows.length > q.limit;
    return c.json(
      {
        object: "list" as const,
        data: page.map(view),
        has_more: hasMore,
        next_cursor: hasMore && last ? encodeCursor([last.merchant_key, last.currency]) : null,
      },
      200,
    );
  })
  .openapi(listTopMerchants, async (c) => {
    const { month, limit } = c.req.valid("query");
    const range = month ? { from: `${month}-01`, to: addDays(lastDayOfMonth(`${month}-01`), 1) } : {};
    const rows = await topMerchants(c.env.DB, c.get("principal").userId, { ...range, limit });
    return c.json({ object: "list" as const, month: month ?? null, data: rows.map(view) }, 200);
  });
