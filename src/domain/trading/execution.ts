/**
 * When an order fills and what each fill costs, exactly.
 *
 * Rounding rule: an order's cash is its exact running notional (Σ qty × price)
 * rounded once to minor units — up for a buy, down for a sell — and each
 * fill moves the difference between the rounded totals before and after it.
 * So many partial fills never charge more than one rounding, and a buy never
 * pays, nor a sell receives, a fraction of a cent the trade did not earn.
 *
 * A resting buy reserves cash as a hold; after k fills the hold is
 *   ceil(N_k + remainingQty × limit) − ceil(N_k)
 * (N_k the running notional), which never exceeds what was reserved at the
 * start and always covers the next fill at or below the limit.
 */
import { divRound, PRICE_SCALE, QTY_SCALE } from "../market/decimal";
import type { Order, OrderDraft, OrderSide } from "./orders";

const NOTIONAL_SCALE = BigInt(QTY_SCALE) * BigInt(PRICE_SCALE);

/** An exact notional at QTY_SCALE × PRICE_SCALE in minor units, rounded for `side`. */
export function notionalToMinor(notional: bigint, side: OrderSide, minorUnits: number): number {
  return Number(divRound(notional * 10n ** BigInt(minorUnits), NOTIONAL_SCALE, side === "buy" ? "up" : "down"));
}

/** Whether a fill at `price` is allowed now: always for a market order, across the limit for a limit order. */
export function crosses(draft: Pick<OrderDraft, "type" | "side" | "limitPrice">, price: number): boolean {
  if (draft.type === "market" || draft.limitPrice === null) return true;
  return draft.side === "buy" ? price <= draft.limitPrice : price >= draft.limitPrice;
}

/** The whole shares (at QTY_SCALE) a cash amount buys at `price`, rounded down to the quantity precision. */
export function qtyForNotional(notionalMinor: number, price: number, minorUnits: number): number {
  const num = BigInt(notionalMinor) * NOTIONAL_SCALE;
  const den = BigInt(price) * 10n ** BigInt(minorUnits);
  return Number(num / den);
}

/** The cash a buy reserves while it rests: its whole quantity at its limit, rounded up. */
export function initialHold(draft: OrderDraft, minorUnits: number): number {
  if (draft.side !== "buy" || draft.qty === null || draft.limitPrice === null) return 0;
  return notionalToMinor(BigInt(draft.qty) * BigInt(draft.limitPrice), "buy", minorUnits);
}

export interface Fill {
  /** At QTY_SCALE, > 0. */
  qty: number;
  /** At PRICE_SCALE. */
  price: number;
  /** Minor units paid (buy) or received (sell) for this fill. */
  cash: number;
  /** Hold released by this fill, minor units (buys; 0 for sells). */
  holdReleased: number;
}

export interface FillOutcome {
  order: Order;
  fill: Fill;
}

/** The order's quantity still open. A notional order's quantity is fixed at its (only) fill. */
export function remainingQty(order: Order): number {
  return order.qty === null ? 0 : order.qty - order.filledQty;
}

/**
 * Fills up to `qty` of `order` at `price`, or null when nothing may fill
 * (done, not crossed, nothing left). The caller checks cash and shares.
 */
export function fillOrder(order: Order, qty: number, price: number, minorUnits: number, at: string): FillOutcome | null {
  if (order.status !== "new" && order.status !== "partially_filled") return null;
  if (!crosses(order, price)) return null;
  const take = Math.min(qty, remainingQty(order));
  if (take <= 0) return null;
  const before = BigInt(order.filledNotional);
  const after = before + BigInt(take) * BigInt(price);
  const cash = notionalToMinor(after, order.side, minorUnits) - notionalToMinor(before, order.side, minorUnits);
  const filledQty = order.filledQty + take;
  const done = filledQty === order.qty;
  let hold = 0;
  if (!done && order.side === "buy" && order.limitPrice !== null) {
    const rest = BigInt(order.qty! - filledQty) * BigInt(order.limitPrice);
    hold = notionalToMinor(after + rest, "buy", minorUnits) - notionalToMinor(after, "buy", minorUnits);
  }
  return {
    order: {
      ...order,
      status: done ? "filled" : "partially_filled",
      filledQty,
      filledNotional: after.toString(),
      filledCash: order.filledCash + cash,
      hold,
      updatedAt: at,
    },
    fill: { qty: take, price, cash, holdReleased: order.hold - hold },
  };
}

/** Average fill price at PRICE_SCALE (half-even), or null before the first fill. */
export function avgFillPrice(order: Order): number | null {
  if (order.filledQty === 0) return null;
  return Number(divRound(BigInt(order.filledNotional), BigInt(order.filledQty), "half_even"));
}
