/**
 * /v1/recurring: the caller's recurring charges and income, detected on read
 * from their posted transactions (src/domain/intel/recurring.ts) with the
 * verdict they gave each stream (UserDO). A read also raises the
 * `recurring_price_changed` alert of a newly accepted price, once per change.
 */
import { createRoute, type z } from "@hono/zod-openapi";
import { userObject } from "../auth/sessions";
import { DomainError } from "../domain/errors";
import { monthlyFixedCosts } from "../domain/intel/recurring";
import { kept, loadContext, resolveAsOf, type UserStream } from "../lib/intel/context";
import { raisePriceChanges } from "../lib/intel/price-alerts";
import { bearerSecurity, bodyErrors, createRouter, errorResponses, jsonBody, jsonResponse } from "../lib/router";
import { requireAuth } from "../middleware/auth";
import { AsOfQuery, PatchRecurringBody, RecurringList, RecurringStream, StreamParam } from "./recurring-schemas";

const tags = ["intelligence"];

const listRecurring = createRoute({
  method: "get",
  path: "/recurring",
  tags,
  operationId: "listRecurring",
  summary: "List recurring charges and income",
  security: bearerSecurity,
  middleware: [requireAuth()] as const,
  description:
    "Streams per merchant, direction and currency (weekly to annually; ±2 days for weekly to semi-monthly, ±3 for monthly and longer; amounts within 7.5 %), with Plaid's fields and the caller's verdict, and the monthly total of fixed costs.",
  request: { query: AsOfQuery },
  responses: { 200: jsonResponse(RecurringList, "The streams, by merchant"), ...errorResponses(400, 401) },
});

const patchRecurring = createRoute({
  method: "patch",
  path: "/recurring/{id}",
  tags,
  operationId: "updateRecurring",
  summary: "Confirm or dismiss a recurring stream",
  security: bearerSecurity,
  middleware: [requireAuth()] as const,
  description:
    "The stream must be detected as of `as_of` (default today). A dismissed stream leaves the fixed-cost total, the forecast's projections and the scores. Another user's stream is a 404.",
  request: { params: StreamParam, query: AsOfQuery, body: jsonBody(PatchRecurringBody) },
  responses: { 200: jsonResponse(RecurringStream, "The stream"), ...errorResponses(...bodyErrors, 401, 404) },
});

export function streamView(s: UserStream): z.infer<typeof RecurringStream> {
  return {
    id: s.id,
    object: "recurring_stream",
    merchant_name: s.merchant_name,
    merchant_key: s.merchant_key,
    direction: s.direction,
    currency: s.currency,
    frequency: s.frequency,
    amount_kind: s.amount_kind,
    average_amount: s.average_amount,
    last_amount: s.last_amount,
    current_amount: s.current_amount,
    first_date: s.first_date,
    last_date: s.last_date,
    predicted_next_date: s.predicted_next_date,
    status: s.status,
    is_active: s.is_active,
    transaction_ids: s.transaction_ids,
    user_state: s.user_state,
    price_changes: s.price_changes,
  };
}

export const recurringRouter = createRouter()
  .openapi(listRecurring, async (c) => {
    const userId = c.get("principal").userId;
    const ctx = await loadContext(c.env, userId, resolveAsOf(c.req.valid("query").as_of));
    await raisePriceChanges(c.env, userId, ctx.streams, ctx.asOf);
    const costs = monthlyFixedCosts(kept(ctx.streams));
    return c.json(
      {
        object: "list" as const,
        as_of: ctx.asOf,
        data: ctx.streams.map(streamView),
        monthly_fixed_costs: Object.entries(costs).map(([currency, amount]) => ({ currency, amount })),
      },
      200,
    );
  })
  .openapi(patchRecurring, async (c) => {
    const userId = c.get("principal").userId;
    const { id } = c.req.valid("param");
    const ctx = await loadContext(c.env, userId, resolveAsOf(c.req.valid("query").as_of));
    const stream = ctx.streams.find((s) => s.id === id);
    if (!stream) throw new DomainError("not_found", "Recurring stream not found");
    const { user_state } = c.req.valid("json");
    await userObject(c.env, userId).setRecurringState(id, user_state);
    return c.json(streamView({ ...stream, user_state }), 200);
  });
