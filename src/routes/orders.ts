/**
 * Paper trading on brokerage accounts: place (idempotent by client_order_id),
 * list, get and cancel orders, and positions valued at the symbol's current
 * price. The AccountDO applies every rule; fills of resting orders come from
 * the symbol's MarketDO.
 */
import { createRoute } from "@hono/zod-openapi";
import { accountStub, callerOf, sendReply } from "../lib/account-rpc";
import { bearerSecurity, bodyErrors, createRouter, errorResponses, jsonBody, jsonResponse } from "../lib/router";
import { requireAuth } from "../middleware/auth";
import { AccountParam, CreateOrderBody, Order, OrderFilters, OrderParam, Position } from "./order-schemas";
import { listOf } from "./schemas";

const tags = ["trading"];

const placeOrder = createRoute({
  method: "post",
  path: "/accounts/{id}/orders",
  tags,
  operationId: "placeOrder",
  summary: "Place an order",
  security: bearerSecurity,
  middleware: [requireAuth()] as const,
  description:
    "Brokerage accounts only (422 not_brokerage). A market order fills at once at the symbol's current price (422 market_closed while its market is closed); a limit order fills at once when it crosses, else rests until a trade crosses it. A buy reserves its cash as a hold; insufficient buying power or shares is a 403 (insufficient_buying_power, insufficient_qty); no short selling. The same client_order_id and body returns the original order (200); another body is a 422.",
  request: { params: AccountParam, body: jsonBody(CreateOrderBody) },
  responses: {
    200: jsonResponse(Order, "The order this client_order_id placed before"),
    201: jsonResponse(Order, "The order"),
    ...errorResponses(...bodyErrors, 401, 403, 404, 409, 422),
  },
});

const listOrders = createRoute({
  method: "get",
  path: "/accounts/{id}/orders",
  tags,
  operationId: "listOrders",
  summary: "List orders, newest first",
  security: bearerSecurity,
  middleware: [requireAuth()] as const,
  description:
    "Newest first; `status` open (default), closed or all, optionally one `symbol`; at most `limit` per page, then `next_cursor`.",
  request: { params: AccountParam, query: OrderFilters },
  responses: { 200: jsonResponse(listOf(Order), "A page of orders"), ...errorResponses(400, 401, 404) },
});

const getOrder = createRoute({
  method: "get",
  path: "/accounts/{id}/orders/{order_id}",
  tags,
  operationId: "getOrder",
  summary: "Get one order",
  security: bearerSecurity,
  middleware: [requireAuth()] as const,
  description: "One order with its fills so far (filled_qty, filled_avg_price, filled_cash) and the cash it still holds.",
  request: { params: OrderParam },
  responses: { 200: jsonResponse(Order, "The order"), ...errorResponses(400, 401, 404) },
});

const cancelOrder = createRoute({
  method: "delete",
  path: "/accounts/{id}/orders/{order_id}",
  tags,
  operationId: "cancelOrder",
  summary: "Cancel an open order",
  security: bearerSecurity,
  middleware: [requireAuth()] as const,
  description: "Releases what the order still holds and takes it off its symbol's book; a filled or closed order is a 422 invalid_state.",
  request: { params: OrderParam },
  responses: { 200: jsonResponse(Order, "The canceled order"), ...errorResponses(400, 401, 404, 422) },
});

const listPositions = createRoute({
  method: "get",
  path: "/accounts/{id}/positions",
  tags,
  operationId: "listPositions",
  summary: "Open positions at average cost, valued at the current price",
  security: bearerSecurity,
  middleware: [requireAuth()] as const,
  description:
    "Each open position: qty, average entry price and cost basis (average cost), valued at the symbol's latest trade (market_value, unrealized_pl, unrealized_plpc as a fraction); realized_pl is what its sells realized.",
  request: { params: AccountParam },
  responses: { 200: jsonResponse(listOf(Position), "Positions"), ...errorResponses(400, 401, 404) },
});

export const ordersRouter = createRouter()
  .openapi(placeOrder, async (c) =>
    sendReply(await accountStub(c.env, c.req.valid("param").id).placeOrder(callerOf(c), c.req.valid("json"))),
  )
  .openapi(listOrders, async (c) =>
    sendReply(await accountStub(c.env, c.req.valid("param").id).listOrders(callerOf(c), c.req.valid("query"))),
  )
  .openapi(getOrder, async (c) => {
    const { id, order_id } = c.req.valid("param");
    return sendReply(await accountStub(c.env, id).getOrder(callerOf(c), order_id));
  })
  .openapi(cancelOrder, async (c) => {
    const { id, order_id } = c.req.valid("param");
    return sendReply(await accountStub(c.env, id).cancelOrder(callerOf(c), order_id));
  })
  .openapi(listPositions, async (c) => sendReply(await accountStub(c.env, c.req.valid("param").id).listPositions(callerOf(c))));
