/**
 * Positions at average cost. Quantities at QTY_SCALE, cash in the account's
 * minor units. A buy adds its cash to the cost basis; a sell takes out the
 * sold share of the cost basis (exactly, in BigInt, half-even to a minor unit;
 * the last share sold takes what is left) and realizes proceeds − that cost.
 * Nothing here goes short: selling more than is held is refused.
 */
import { divRound, notionalMinor, PRICE_SCALE, QTY_SCALE } from "../market/decimal";

export interface Position {
  symbol: string;
  /** At QTY_SCALE, never negative. */
  qty: number;
  /** Minor units paid for what is held. */
  costBasis: number;
}

export type SellOutcome =
  | { ok: true; position: Position; realizedPl: number; costOfSold: number }
  | { ok: false; code: "insufficient_qty" };

export function emptyPosition(symbol: string): Position {
  return { symbol, qty: 0, costBasis: 0 };
}

export function applyBuy(p: Position, qty: number, cash: number): Position {
  return { symbol: p.symbol, qty: p.qty + qty, costBasis: p.costBasis + cash };
}

export function applySell(p: Position, qty: number, proceeds: number): SellOutcome {
  if (qty <= 0 || qty > p.qty) return { ok: false, code: "insufficient_qty" };
  const costOfSold = qty === p.qty ? p.costBasis : Number(divRound(BigInt(p.costBasis) * BigInt(qty), BigInt(p.qty), "half_even"));
  return {
    ok: true,
    position: { symbol: p.symbol, qty: p.qty - qty, costBasis: p.costBasis - costOfSold },
    realizedPl: proceeds - costOfSold,
    costOfSold,
  };
}

/** Average entry price at PRICE_SCALE (cost basis per share), half-even; null for an empty position. */
export function avgEntryPrice(p: Position, minorUnits: number): number | null {
  if (p.qty === 0) return null;
  const num = BigInt(p.costBasis) * BigInt(PRICE_SCALE) * BigInt(QTY_SCALE);
  const den = BigInt(p.qty) * 10n ** BigInt(minorUnits);
  return Number(divRound(num, den, "half_even"));
}

export interface Valuation {
  marketValue: number;
  unrealizedPl: number;
  /** unrealized / cost basis as a fraction (0.1 = 10 %); null when the basis is 0. */
  unrealizedPlpc: number | null;
}

/** The position at `price` (PRICE_SCALE), in minor units, half-even. */
export function valuePosition(p: Position, price: number, minorUnits: number): Valuation {
  const marketValue = notionalMinor(p.qty, price, minorUnits, "half_even");
  const unrealizedPl = marketValue - p.costBasis;
  return { marketValue, unrealizedPl, unrealizedPlpc: p.costBasis === 0 ? null : unrealizedPl / p.costBasis };
}
