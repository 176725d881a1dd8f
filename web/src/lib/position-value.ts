/**
 * A position revalued at a streamed price, exactly as GET
 * /v1/accounts/{id}/positions values it (durable/account/order-views.ts,
 * src/domain/portfolio/positions.ts): market value = qty × price in the
 * account's minor units, half-even; unrealized P/L = market value − cost
 * basis; its fraction of the cost basis at 6 places, half-even (null on a zero
 * basis). Prices carry 8 places, quantities 9; all in BigInt.
 */
import type { Position } from "../api/market-types";
import { divHalfEven, formatDecimal, parseDecimal } from "./decimal";
import { minorDigits } from "./money";

const PRICE_PLACES = 8;
const QTY_PLACES = 9;
const FRACTION_PLACES = 6;

/** qty × price in the currency's minor units, half-even (the API's market value). */
export function marketValueMinor(qty: string, price: string, currency: string): bigint {
  const minor = minorDigits(currency);
  const q = parseDecimal(qty, QTY_PLACES);
  const px = parseDecimal(price, PRICE_PLACES);
  return divHalfEven(q * px * 10n ** BigInt(minor), 10n ** BigInt(QTY_PLACES + PRICE_PLACES));
}

export function valueAt(p: Position, price: string, currency: string): Position {
  const minor = minorDigits(currency);
  const px = parseDecimal(price, PRICE_PLACES);
  const cost = parseDecimal(p.cost_basis, minor);
  const value = marketValueMinor(p.qty, price, currency);
  const pl = value - cost;
  return {
    ...p,
    current_price: formatDecimal(px, PRICE_PLACES),
    market_value: formatDecimal(value, minor),
    unrealized_pl: formatDecimal(pl, minor),
    unrealized_plpc: cost === 0n ? null : formatDecimal(divHalfEven(pl * 10n ** BigInt(FRACTION_PLACES), cost), FRACTION_PLACES),
  };
}
