/** Zod schemas of the paper-trading routes, Alpaca's field names; quantities, prices and money as exact decimal strings. */
import { z } from "@hono/zod-openapi";
import { ORDER_SIDES, ORDER_STATUSES, ORDER_TYPES, TIMES_IN_FORCE } from "../domain/trading/orders";
import { AccountId, pageLimit } from "./schemas";

const Decimal = (description: string) =>
  z
    .string()
    .max(32)
    .regex(/^(0|[1-9][0-9]*)(\.[0-9]+)?$/, "must be a plain decimal string")
    .openapi({ description, example: "1.5" });

export const OrderId = z.string().regex(/^ord_[0-9a-z]{20}$/, "must be an order id");

export const CreateOrderBody = z
  .object({
    symbol: z
      .string()
      .regex(/^[A-Z0-9][A-Z0-9.-]{0,11}$/, "must be a symbol")
      .openapi({ example: "AAPL" }),
    side: z.enum(ORDER_SIDES),
    type: z.enum(ORDER_TYPES),
    time_in_force: z.enum(TIMES_IN_FORCE),
    qty: Decimal("Shares (up to 9 decimals for fractionable symbols); give qty or notional, not both").optional(),
    notional: Decimal("Cash amount in the account's currency (market orders, fractionable symbols, day)").optional(),
    limit_price: Decimal("Limit orders only, at most the symbol's price precision").optional(),
    client_order_id: z
      .string()
      .regex(/^[\x21-\x7e]{1,48}$/, "must be 1 to 48 printable ASCII characters")
      .optional()
      .openapi({ description: "Idempotent: the same body again returns the original order (200); another body is a 422" }),
  })
  .strict()
  .refine((b) => (b.qty === undefined) !== (b.notional === undefined), { message: "give exactly one of qty and notional", path: ["qty"] })
  .openapi("CreateOrder");

export const Order = z
  .object({
    id: z.string(),
    object: z.literal("order"),
    client_order_id: z.string(),
    symbol: z.string(),
    asset_class: z.enum(["us_equity", "crypto"]),
    side: z.enum(ORDER_SIDES),
    type: z.enum(ORDER_TYPES),
    time_in_force: z.enum(TIMES_IN_FORCE),
    qty: z.string().nullable(),
    notional: z.string().nullable(),
    limit_price: z.string().nullable(),
    status: z.enum(ORDER_STATUSES),
    filled_qty: z.string(),
    filled_avg_price: z.string().nullable(),
    filled_cash: z.number().int().openapi({ description: "Minor units the fills moved (paid for buys, received for sells)" }),
    hold: z.number().int().openapi({ description: "Minor units a resting buy still reserves" }),
    expires_at: z.string().nullable(),
    reason: z.string().nullable(),
    created_at: z.string(),
    updated_at: z.string(),
  })
  .openapi("Order");

export const Position = z
  .object({
    symbol: z.string(),
    object: z.literal("position"),
    asset_class: z.enum(["us_equity", "crypto"]),
    qty: z.string(),
    avg_entry_price: z.string().nullable(),
    cost_basis: z.string(),
    current_price: z.string().nullable(),
    market_value: z.string().nullable(),
    unrealized_pl: z.string().nullable(),
    unrealized_plpc: z.string().nullable().openapi({ description: "A fraction (0.05 = 5 %), 6 decimals" }),
    realized_pl: z.string(),
  })
  .openapi("Position");

export const OrderFilters = z.object({
  status: z.enum(["open", "closed", "all"]).default("open"),
  symbol: z
    .string()
    .regex(/^[A-Z0-9][A-Z0-9.-]{0,11}$/)
    .optional(),
  limit: pageLimit(200, 50),
  cursor: OrderId.optional().openapi({ description: "next_cursor from the previous page" }),
});

export const AccountParam = z.object({ id: AccountId });
export const OrderParam = z.object({ id: AccountId, order_id: OrderId });
