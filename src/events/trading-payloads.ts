/** Payloads of paper trading (orders and fills, issue 10) and payments out of the platform (issue 13). */
import { z } from "zod";
import { amount, currency, decimal, nullableText, signed, symbol } from "./payload-fields";

/**
 * Paper trading (issue 10): an order as the account holds it. Quantities and
 * prices as exact decimal strings, cash in minor units. Gold ignores these for
 * now; the cash leg of each fill is also a `transaction_posted` entry
 * (kind trade_buy / trade_sell), so balances and reconcile see it.
 */
export const orderPlacedV1 = z.object({
  order_id: z.string(),
  client_order_id: z.string(),
  symbol,
  side: z.enum(["buy", "sell"]),
  type: z.enum(["market", "limit"]),
  time_in_force: z.enum(["day", "gtc", "ioc"]),
  qty: decimal.nullable(),
  notional: amount.nullable(),
  limit_price: decimal.nullable(),
  hold: amount,
  currency,
});

/** One fill: its cash leg's entry, the position after it and the P/L a sell realized at average cost. */
export const portfolioTradeExecutedV1 = z.object({
  order_id: z.string(),
  fill_id: z.string(),
  entry_id: z.string(),
  symbol,
  side: z.enum(["buy", "sell"]),
  qty: decimal,
  price: decimal,
  cash: amount,
  realized_pl: signed,
  position_qty: decimal,
  cost_basis: amount,
  order_status: z.enum(["partially_filled", "filled"]),
  currency,
});

const orderClosed = z.object({ order_id: z.string(), symbol, hold_released: amount, reason: z.string().max(200), currency });
export const orderCanceledV1 = orderClosed;
export const orderExpiredV1 = orderClosed;
export const orderRejectedV1 = orderClosed;

/**
 * A payment out of the platform changed status (issue 13): placed (previous
 * null, the hold taken), processing, success (its withdrawal entry posted the
 * hold), failed (the hold released, with the reason) or canceled.
 */
export const paymentStatusChangedV1 = z.object({
  payment_id: z.string(),
  payee_id: z.string(),
  amount,
  currency,
  status: z.enum(["pending", "processing", "success", "failed", "canceled"]),
  previous_status: z.enum(["pending", "processing", "success", "failed", "canceled"]).nullable(),
  reason: nullableText,
  entry_id: z.string().nullable(),
});
