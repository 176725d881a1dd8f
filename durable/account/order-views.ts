/** JSON views of orders and positions, Alpaca's field names: quantities, prices and money as exact decimal strings. */
import { divRound, formatScaled, PRICE_DECIMALS, QTY_DECIMALS } from "../../src/domain/market/decimal";
import { symbolSpec } from "../../src/domain/market/symbols";
import { avgEntryPrice, valuePosition } from "../../src/domain/portfolio/positions";
import { avgFillPrice } from "../../src/domain/trading/execution";
import { type OrderRow, type PositionRow, toOrder, toPosition } from "./order-rows";

const qty = (n: number) => formatScaled(n, QTY_DECIMALS);
const price = (n: number) => formatScaled(n, PRICE_DECIMALS);
const money = (minor: number, units: number) => formatScaled(minor, units);

/** A fraction as a decimal string with 6 places, half-even (0.052300 = 5.23 %). */
function fraction(num: number, den: number): string | null {
  if (den === 0) return null;
  const neg = num < 0 !== den < 0;
  const q = divRound(BigInt(Math.abs(num)) * 1_000_000n, BigInt(Math.abs(den)), "half_even");
  return formatScaled(Number(q) * (neg ? -1 : 1), 6);
}

export function orderView(r: OrderRow, minorUnits: number) {
  const avg = avgFillPrice(toOrder(r));
  return {
    id: r.id,
    object: "order" as const,
    client_order_id: r.client_order_id,
    symbol: r.symbol,
    asset_class: symbolSpec(r.symbol)?.asset_class ?? "us_equity",
    side: r.side,
    type: r.type,
    time_in_force: r.time_in_force,
    qty: r.qty === null ? null : qty(r.qty),
    notional: r.notional === null ? null : money(r.notional, minorUnits),
    limit_price: r.limit_price === null ? null : price(r.limit_price),
    status: r.status,
    filled_qty: qty(r.filled_qty),
    filled_avg_price: avg === null ? null : price(avg),
    /** Cash the fills moved so far, minor units (paid for buys, received for sells). */
    filled_cash: r.filled_cash,
    /** Cash a resting buy still reserves, minor units. */
    hold: r.hold,
    expires_at: r.expires_at,
    reason: r.reason,
    created_at: r.created_at,
    updated_at: r.updated_at,
  };
}
export type OrderView = ReturnType<typeof orderView>;

/** A position at `current` (PRICE_SCALE), or without a valuation when the symbol has no price yet. */
export function positionView(r: PositionRow, current: number | null, minorUnits: number) {
  const p = toPosition(r);
  const avg = avgEntryPrice(p, minorUnits);
  const v = current === null ? null : valuePosition(p, current, minorUnits);
  return {
    symbol: r.symbol,
    object: "position" as const,
    asset_class: symbolSpec(r.symbol)?.asset_class ?? "us_equity",
    qty: qty(r.qty),
    avg_entry_price: avg === null ? null : price(avg),
    cost_basis: money(r.cost_basis, minorUnits),
    current_price: current === null ? null : price(current),
    market_value: v === null ? null : money(v.marketValue, minorUnits),
    unrealized_pl: v === null ? null : money(v.unrealizedPl, minorUnits),
    unrealized_plpc: v === null ? null : fraction(v.unrealizedPl, r.cost_basis),
    realized_pl: money(r.realized_pl, minorUnits),
  };
}
export type PositionView = ReturnType<typeof positionView>;
