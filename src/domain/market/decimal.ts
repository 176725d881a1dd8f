/**
 * Quantities and prices at a fixed precision, never floats on the money path.
 *
 * - A price is an integer count of 10^-8 of the quote currency (PRICE_SCALE):
 *   enough for any symbol's tick size, and a 10^7 price stays below 2^53.
 * - A quantity is an integer count of 10^-9 shares or coins (QTY_SCALE), the
 *   precision Alpaca allows for fractional orders.
 *
 * Both travel as decimal strings in the API ("12.5", "0.000000001") and as safe
 * integers inside. A notional (qty × price) is computed in BigInt and rounded
 * to the currency's minor units by an explicit rule (see `notionalMinor`).
 */

export const PRICE_DECIMALS = 8;
export const QTY_DECIMALS = 9;
export const PRICE_SCALE = 10 ** PRICE_DECIMALS;
export const QTY_SCALE = 10 ** QTY_DECIMALS;

const DECIMAL = /^(0|[1-9][0-9]*)(?:\.([0-9]+))?$/;

/**
 * A non-negative decimal string as an integer at `decimals` places, or null
 * when it is not a plain decimal (sign, exponent, spaces, more places than
 * allowed) or does not fit a safe integer.
 */
export function parseScaled(text: string, decimals: number): number | null {
  const m = DECIMAL.exec(text);
  if (!m) return null;
  const whole = m[1]!;
  const frac = m[2] ?? "";
  if (frac.length > decimals) return null;
  const scaled = BigInt(whole) * 10n ** BigInt(decimals) + BigInt(frac.padEnd(decimals, "0") || "0");
  return scaled <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(scaled) : null;
}

/** The same as `parseScaled` without the safe-integer bound (volumes), below 2^63 for SQLite. */
export function parseScaledBig(text: string, decimals: number): bigint | null {
  const m = DECIMAL.exec(text);
  if (!m) return null;
  const frac = m[2] ?? "";
  if (frac.length > decimals) return null;
  const scaled = BigInt(m[1]!) * 10n ** BigInt(decimals) + BigInt(frac.padEnd(decimals, "0") || "0");
  return scaled < 2n ** 63n ? scaled : null;
}

/** A non-negative integer (as decimal digits or a bigint) at `decimals` places as the shortest decimal string. */
export function formatScaledBig(value: bigint | string, decimals: number): string {
  const digits = BigInt(value)
    .toString()
    .padStart(decimals + 1, "0");
  const whole = digits.slice(0, digits.length - decimals);
  const frac = digits.slice(digits.length - decimals).replace(/0+$/, "");
  return `${whole}${frac ? `.${frac}` : ""}`;
}

/** An integer at `decimals` places as the shortest decimal string ("12.5", "3", "-0.25"). */
export function formatScaled(value: number, decimals: number): string {
  const negative = value < 0;
  const digits = Math.abs(value)
    .toString()
    .padStart(decimals + 1, "0");
  const whole = digits.slice(0, digits.length - decimals);
  const frac = digits.slice(digits.length - decimals).replace(/0+$/, "");
  return `${negative ? "-" : ""}${whole}${frac ? `.${frac}` : ""}`;
}

/**
 * Decimal places a JSON number carries in its shortest round-trip form
 * (1.25 → 2, 3 → 0, 1e-7 → 7), or null for non-finite numbers.
 */
export function decimalsOf(value: number): number | null {
  if (!Number.isFinite(value)) return null;
  const [mantissa = "", exponent] = Math.abs(value).toString().split("e");
  const places = (mantissa.split(".")[1] ?? "").length - Number(exponent ?? 0);
  return Math.max(0, places);
}

/** A positive finite JSON number as a price at PRICE_SCALE, or null when it has more places than `maxDecimals`. */
export function priceFromNumber(value: number, maxDecimals: number): number | null {
  const places = decimalsOf(value);
  if (places === null || places > maxDecimals || value <= 0) return null;
  const scaled = Math.round(value * PRICE_SCALE);
  return Number.isSafeInteger(scaled) && scaled > 0 ? scaled : null;
}

export type Rounding = "up" | "down" | "half_even";

/**
 * qty × price in the currency's minor units, exactly, then rounded by `rounding`:
 * a buy's cash is rounded up and a sell's down, so a trade never pays out a
 * fraction of a cent it did not earn.
 */
export function notionalMinor(qty: number, price: number, minorUnits: number, rounding: Rounding): number {
  const num = BigInt(qty) * BigInt(price) * 10n ** BigInt(minorUnits);
  const den = BigInt(QTY_SCALE) * BigInt(PRICE_SCALE);
  return Number(divRound(num, den, rounding));
}

/** a / b for b > 0 and a ≥ 0, rounded as asked. */
export function divRound(a: bigint, b: bigint, rounding: Rounding): bigint {
  const q = a / b;
  const r = a % b;
  if (r === 0n) return q;
  if (rounding === "down") return q;
  if (rounding === "up") return q + 1n;
  const twice = 2n * r;
  if (twice > b) return q + 1n;
  if (twice < b) return q;
  return q % 2n === 0n ? q : q + 1n;
}
