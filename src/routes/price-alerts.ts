/**
 * /v1/alerts/price: the caller's price alert rules. A rule lives in its
 * symbol's MarketDO, which evaluates it on every accepted trade; the caller's
 * UserDO indexes their rules (id → symbol, at most MAX_PRICE_ALERTS), so a
 * list, get or delete asks only the symbols that hold the caller's rules.
 * A firing is an `alert_created` event, an open alert in the caller's inbox.
 */
import { createRoute, z } from "@hono/zod-openapi";
import { userObject } from "../auth/sessions";
import { parseRuleValue } from "../domain/alerts/price-rules";
import { DomainError } from "../domain/errors";
import { randomToken } from "../domain/ids";
import { formatScaled, PRICE_DECIMALS } from "../domain/market/decimal";
import { symbolSpec } from "../domain/market/symbols";
import { decodeCursor, encodeCursor } from "../lib/cursor";
import { bearerSecurity, bodyErrors, createRouter, errorResponses, jsonBody, jsonResponse, noContent } from "../lib/router";
import { requireAuth } from "../middleware/auth";
import type { StoredPriceAlert } from "../../durable/market/price-alerts";
import { MAX_PRICE_ALERTS, type PriceAlertEntry } from "../../durable/user/price-alert-index";
import { marketStub } from "../lib/market-rpc";
import {
  CreatePriceAlertBody,
  EditPriceAlertBody,
  PriceAlert,
  PriceAlertList,
  PriceAlertParam,
  PriceAlertQuery,
} from "./price-alert-schemas";

const tags = ["notifications"];
const MAX_EXPIRY_MS = 366 * 86_400_000;

const createPriceAlert = createRoute({
  method: "post",
  path: "/alerts/price",
  tags,
  operationId: "createPriceAlert",
  summary: "Create a price alert rule",
  security: bearerSecurity,
  middleware: [requireAuth()] as const,
  description: `Evaluated inside the symbol's market object on each accepted trade. A firing becomes an open alert (GET /v1/alerts) and an inbox notification. At most ${MAX_PRICE_ALERTS} rules per user (422 unprocessable beyond).`,
  request: { body: jsonBody(CreatePriceAlertBody) },
  responses: { 201: jsonResponse(PriceAlert, "The rule"), ...errorResponses(...bodyErrors, 401, 422) },
});

const listPriceAlerts = createRoute({
  method: "get",
  path: "/alerts/price",
  tags,
  operationId: "listPriceAlerts",
  summary: "List price alert rules, newest first",
  security: bearerSecurity,
  middleware: [requireAuth()] as const,
  description: "Every status (active, triggered, expired); at most `limit` per page, then `next_cursor`.",
  request: { query: PriceAlertQuery },
  responses: { 200: jsonResponse(PriceAlertList, "A page of rules"), ...errorResponses(400, 401) },
});

const getPriceAlert = createRoute({
  method: "get",
  path: "/alerts/price/{id}",
  tags,
  operationId: "getPriceAlert",
  summary: "Get one price alert rule",
  security: bearerSecurity,
  middleware: [requireAuth()] as const,
  description: "With its status, latest trigger and trigger count. Another user's rule is a 404.",
  request: { params: PriceAlertParam },
  responses: { 200: jsonResponse(PriceAlert, "The rule"), ...errorResponses(400, 401, 404) },
});

const editPriceAlert = createRoute({
  method: "patch",
  path: "/alerts/price/{id}",
  tags,
  operationId: "editPriceAlert",
  summary: "Edit a price alert rule",
  security: bearerSecurity,
  middleware: [requireAuth()] as const,
  description:
    "Changes condition, value, frequency or expires_at (null: never) and re-arms the rule (active again, even if it had triggered or expired; its trigger count stays). A changed condition re-reads the value under it. Another user's rule is a 404; bad input changes nothing.",
  request: { params: PriceAlertParam, body: jsonBody(EditPriceAlertBody) },
  responses: { 200: jsonResponse(PriceAlert, "The edited rule"), ...errorResponses(...bodyErrors, 401, 404) },
});

const deletePriceAlert = createRoute({
  method: "delete",
  path: "/alerts/price/{id}",
  tags,
  operationId: "deletePriceAlert",
  summary: "Delete a price alert rule",
  security: bearerSecurity,
  middleware: [requireAuth()] as const,
  description: "It stops being evaluated; the alerts it already raised stay in the inbox. Another user's rule is a 404.",
  request: { params: PriceAlertParam },
  responses: { 204: noContent("Deleted"), ...errorResponses(400, 401, 404) },
});

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

function view(r: StoredPriceAlert, symbol: string): z.infer<typeof PriceAlert> {
  return {
    id: r.id,
    object: "price_alert",
    symbol,
    condition: r.condition,
    value: r.value,
    frequency: r.frequency,
    status: r.status,
    expires_at: iso(r.expires_at),
    created_at: iso(r.created_at)!,
    triggered_at: iso(r.triggered_at),
    trigger_count: r.trigger_count,
    last_triggered_price: r.last_price === null ? null : formatScaled(r.last_price, PRICE_DECIMALS),
  };
}

/** An expiry in the future and at most 366 days ahead, or null (never). */
function parseExpiry(text: string | null | undefined, now: number): number | null {
  if (text === undefined || text === null) return null;
  const expiresAt = Date.parse(text);
  if (!(expiresAt > now)) throw invalid("expires_at", "must be in the future");
  if (expiresAt > now + MAX_EXPIRY_MS) throw invalid("expires_at", "must be at most 366 days ahead");
  return expiresAt;
}

const invalid = (field: string, message: string) => new DomainError("validation_error", `${field} ${message}`, { field });

/** The caller's rules of these index entries, in their order (one call per symbol). */
async function rulesOf(env: Env, userId: string, entries: readonly PriceAlertEntry[]) {
  const bySymbol = new Map<string, string[]>();
  for (const e of entries) bySymbol.set(e.symbol, [...(bySymbol.get(e.symbol) ?? []), e.id]);
  const found = new Map<string, StoredPriceAlert>();
  await Promise.all(
    [...bySymbol].map(async ([symbol, ids]) => {
      for (const r of (await marketStub(env, symbol).priceAlerts(ids, userId)) as StoredPriceAlert[]) found.set(r.id, r);
    }),
  );
  return entries.flatMap((e) => {
    const r = found.get(e.id);
    return r ? [view(r, e.symbol)] : [];
  });
}

async function ownRule(env: Env, userId: string, id: string) {
  const entry = await userObject(env, userId).priceAlertEntry(id);
  const rule = entry && (await rulesOf(env, userId, [entry]))[0];
  if (!entry || !rule) throw new DomainError("not_found", "Price alert not found");
  return { entry, rule };
}

export const priceAlertsRouter = createRouter()
  .openapi(createPriceAlert, async (c) => {
    const body = c.req.valid("json");
    const userId = c.get("principal").userId;
    const spec = symbolSpec(body.symbol);
    if (!spec) throw invalid("symbol", "is not a registered symbol");
    const value = parseRuleValue(body.condition, body.value, spec.price_precision);
    if (!value.ok) throw invalid("value", value.reason);
    const now = Date.now();
    const expiresAt = parseExpiry(body.expires_at, now);
    const id = `pal_${randomToken()}`;
    const user = userObject(c.env, userId);
    const indexed = await user.indexPriceAlert(id, spec.symbol);
    if (!indexed.ok) throw new DomainError("unprocessable", `At most ${MAX_PRICE_ALERTS} price alerts per user; delete one first`);
    const market = marketStub(c.env, spec.symbol);
    try {
      await market.addPriceAlert({
        id,
        user_id: userId,
        condition: body.condition,
        value: value.value,
        threshold: value.threshold,
        frequency: body.frequency,
        expires_at: expiresAt,
        created_at: now,
      });
    } catch (err) {
      await user.unindexPriceAlert(id);
      throw err;
    }
    const [rule] = (await market.priceAlerts([id], userId)) as StoredPriceAlert[];
    if (!rule) throw new DomainError("unavailable", "The rule was not stored; try again");
    return c.json(view(rule, spec.symbol), 201);
  })
  .openapi(listPriceAlerts, async (c) => {
    const { cursor, limit } = c.req.valid("query");
    const userId = c.get("principal").userId;
    const after = decodeCursor(cursor, z.object({ s: z.number().int().positive() }));
    const entries = (await userObject(c.env, userId).listPriceAlertEntries(after?.s ?? null, limit + 1)) as PriceAlertEntry[];
    const page = entries.slice(0, limit);
    const hasMore = entries.length > limit;
    const last = page[page.length - 1];
    const data = await rulesOf(c.env, userId, page);
    return c.json(
      { object: "list" as const, data, has_more: hasMore, next_cursor: hasMore && last ? encodeCursor({ s: last.seq }) : null },
      200,
    );
  })
  .openapi(getPriceAlert, async (c) => {
    const { rule } = await ownRule(c.env, c.get("principal").userId, c.req.valid("param").id);
    return c.json(rule, 200);
  })
  .openapi(editPriceAlert, async (c) => {
    const body = c.req.valid("json");
    const userId = c.get("principal").userId;
    const { entry, rule } = await ownRule(c.env, userId, c.req.valid("param").id);
    const spec = symbolSpec(entry.symbol);
    if (!spec) throw invalid("symbol", "is not a registered symbol");
    const condition = body.condition ?? rule.condition;
    const value = parseRuleValue(condition, body.value ?? rule.value, spec.price_precision);
    if (!value.ok) throw invalid("value", value.reason);
    const expiresAt =
      body.expires_at === undefined
        ? rule.expires_at === null
          ? null
          : Date.parse(rule.expires_at)
        : parseExpiry(body.expires_at, Date.now());
    const market = marketStub(c.env, entry.symbol);
    const edited = await market.editPriceAlert(rule.id, userId, {
      condition,
      value: value.value,
      threshold: value.threshold,
      frequency: body.frequency ?? rule.frequency,
      expires_at: expiresAt,
    });
    const [stored] = edited ? ((await market.priceAlerts([rule.id], userId)) as StoredPriceAlert[]) : [];
    if (!stored) throw new DomainError("not_found", "Price alert not found");
    return c.json(view(stored, entry.symbol), 200);
  })
  .openapi(deletePriceAlert, async (c) => {
    const userId = c.get("principal").userId;
    const id = c.req.valid("param").id;
    const entry = await userObject(c.env, userId).priceAlertEntry(id);
    if (!entry) throw new DomainError("not_found", "Price alert not found");
    await marketStub(c.env, entry.symbol).removePriceAlert(id, userId);
    await userObject(c.env, userId).unindexPriceAlert(id);
    return c.body(null, 204);
  });
