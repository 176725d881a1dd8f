/**
 * From an order request (strings, as the API takes them) to an OrderDraft, or
 * the reason it is refused. Alpaca's rules: qty xor notional; notional only
 * for market orders on fractionable symbols, with time in force `day`;
 * fractional qty only on fractionable symbols; a limit price iff the order is
 * a limit order, at most the symbol's price precision.
 */
import { PRICE_DECIMALS, parseScaled, QTY_DECIMALS, QTY_SCALE } from "../market/decimal";
import type { SymbolSpec } from "../market/symbols";
import type { OrderDraft, OrderSide, OrderType, TimeInForce } from "./orders";

export interface OrderRequest {
  symbol: string;
  side: OrderSide;
  type: OrderType;
  time_in_force: TimeInForce;
  qty?: string;
  notional?: string;
  limit_price?: string;
  client_order_id: string;
}

export type DraftVerdict = { ok: true; draft: OrderDraft } | { ok: false; field: string; message: string };

function refuse(field: string, message: string): DraftVerdict {
  return { ok: false, field, message };
}

export function draftOrder(req: OrderRequest, spec: SymbolSpec, minorUnits: number): DraftVerdict {
  if ((req.qty === undefined) === (req.notional === undefined)) return refuse("qty", "give exactly one of qty and notional");
  let qty: number | null = null;
  let notional: number | null = null;
  if (req.qty !== undefined) {
    qty = parseScaled(req.qty, spec.fractionable ? QTY_DECIMALS : 0);
    if (qty === null || qty <= 0)
      return refuse(
        "qty",
        spec.fractionable
          ? "qty must be a positive decimal with at most 9 places"
          : `${spec.symbol} is not fractionable: qty must be a whole number of shares`,
      );
    if (qty > 1_000_000 * QTY_SCALE) return refuse("qty", "qty must be at most 1000000");
  } else {
    if (!spec.fractionable) return refuse("notional", `${spec.symbol} is not fractionable: order by qty`);
    if (req.type !== "market") return refuse("notional", "notional orders must be market orders");
    if (req.time_in_force !== "day") return refuse("time_in_force", "notional orders must have time_in_force day");
    notional = parseScaled(req.notional ?? "", minorUnits);
    if (notional === null || notional <= 0)
      return refuse("notional", `notional must be a positive amount with at most ${minorUnits} decimal places`);
  }
  let limitPrice: number | null = null;
  if (req.type === "limit") {
    if (req.limit_price === undefined) return refuse("limit_price", "limit orders need a limit_price");
    const places = Math.min(spec.price_precision, PRICE_DECIMALS);
    const atPrecision = parseScaled(req.limit_price, places);
    limitPrice = atPrecision === null ? null : atPrecision * 10 ** (PRICE_DECIMALS - places);
    if (limitPrice === null || limitPrice <= 0 || !Number.isSafeInteger(limitPrice))
      return refuse("limit_price", `limit_price must be a positive price with at most ${spec.price_precision} decimal places`);
  } else if (req.limit_price !== undefined) return refuse("limit_price", "only limit orders take a limit_price");
  return {
    ok: true,
    draft: {
      symbol: spec.symbol,
      side: req.side,
      type: req.type,
      timeInForce: req.time_in_force,
      qty,
      notional,
      limitPrice,
      clientOrderId: req.client_order_id,
    },
  };
}
