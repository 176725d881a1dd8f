/**
 * Validation of ingested ticks. A tick is refused, with its reason, when its
 * symbol is unknown, its price is not a positive finite number with at most
 * the symbol's decimals, its size is not a non-negative amount at QTY
 * precision, or its time is not an instant near now and not far behind the
 * symbol's latest trade. Refused ticks never reach a price, a bar or a ledger.
 */
import { decimalsOf, priceFromNumber, QTY_DECIMALS, QTY_SCALE } from "./decimal";
import { symbolSpec } from "./symbols";

/** How far behind the latest accepted trade a tick may be and still count. */
export const MAX_REORDER_MS = 5_000;
/** How far ahead of the server's clock a tick may be stamped. */
export const MAX_FUTURE_MS = 5_000;

export interface RawTick {
  symbol: string;
  price: number;
  size?: number;
  /** Epoch ms. */
  t: number;
}

export interface ValidTick {
  symbol: string;
  /** At PRICE_SCALE. */
  price: number;
  /** At QTY_SCALE. */
  size: number;
  t: number;
}

export type TickVerdict = { ok: true; tick: ValidTick } | { ok: false; reason: string };

export function validateTick(raw: RawTick, latestT: number | null, now: number): TickVerdict {
  const spec = symbolSpec(raw.symbol);
  if (!spec) return { ok: false, reason: "unknown symbol" };
  if (!Number.isFinite(raw.price) || raw.price <= 0) return { ok: false, reason: "price must be a positive finite number" };
  const price = priceFromNumber(raw.price, spec.price_precision);
  if (price === null) return { ok: false, reason: `price has more than ${spec.price_precision} decimals` };
  const rawSize = raw.size ?? 0;
  const sizeDecimals = decimalsOf(rawSize);
  if (sizeDecimals === null || rawSize < 0 || sizeDecimals > QTY_DECIMALS)
    return { ok: false, reason: "size must be a non-negative number with at most 9 decimals" };
  const size = Math.round(rawSize * QTY_SCALE);
  if (!Number.isSafeInteger(size)) return { ok: false, reason: "size is too large" };
  if (!Number.isSafeInteger(raw.t) || raw.t <= 0) return { ok: false, reason: "t must be an epoch time in milliseconds" };
  if (raw.t > now + MAX_FUTURE_MS) return { ok: false, reason: "t is in the future" };
  if (latestT !== null && raw.t < latestT - MAX_REORDER_MS) return { ok: false, reason: "t is too far behind the latest trade" };
  return { ok: true, tick: { symbol: spec.symbol, price, size, t: raw.t } };
}
