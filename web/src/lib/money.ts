/**
 * Amounts are integers in minor units of the account's ISO 4217 currency (or,
 * for totals, decimal integer strings that may pass 2^53). Formatting goes
 * through Intl.NumberFormat with the currency's own number of minor digits,
 * on the exact decimal string, so no total is rounded through a float.
 */
const formats = new Map<string, Intl.NumberFormat>();

function format(currency: string): Intl.NumberFormat {
  let f = formats.get(currency);
  if (!f) {
    f = new Intl.NumberFormat(undefined, { style: "currency", currency });
    formats.set(currency, f);
  }
  return f;
}

/** Minor digits of a currency: 2 for USD, 0 for JPY, 3 for KWD. */
export function minorDigits(currency: string): number {
  return format(currency).resolvedOptions().maximumFractionDigits ?? 2;
}

/** Minor units as a decimal string in major units: (-1234, "USD") → "-12.34". */
export function toMajorString(amount: number | string, currency: string): string {
  const digits = minorDigits(currency);
  let s = String(amount);
  const negative = s.startsWith("-");
  if (negative) s = s.slice(1);
  s = s.padStart(digits + 1, "0");
  const major = digits ? `${s.slice(0, -digits)}.${s.slice(-digits)}` : s;
  return negative ? `-${major}` : major;
}

export function formatMoney(amount: number | string, currency: string): string {
  return format(currency).format(toMajorString(amount, currency) as Intl.StringNumericLiteral);
}

/** Minor units as a float of major units, for charts only (never for display of exact totals). */
export function toMajorNumber(amount: number | string, currency: string): number {
  return Number(toMajorString(amount, currency));
}

/**
 * "12.34" typed by a person → 1234 minor units, or null if it is not a positive
 * amount with at most the currency's digits. Exact: the digits are joined as a
 * string, never multiplied as a float.
 */
export function parseAmount(input: string, currency: string): number | null {
  const digits = minorDigits(currency);
  const m = /^\s*(\d{1,13})(?:[.,](\d*))?\s*$/.exec(input);
  if (!m) return null;
  const frac = m[2] ?? "";
  if (frac.length > digits) return null;
  const minor = Number(`${m[1]}${frac.padEnd(digits, "0")}`);
  return Number.isSafeInteger(minor) && minor > 0 ? minor : null;
}

/** A fraction as a percentage, e.g. 0.1234 → "12.3%". */
export function formatPercent(fraction: number): string {
  return new Intl.NumberFormat(undefined, { style: "percent", maximumFractionDigits: 1 }).format(fraction);
}

/** A chart axis value in major units, short: 12,345.67 USD → "$12K". */
export function formatAxis(major: number, currency: string): string {
  return new Intl.NumberFormat(undefined, { style: "currency", currency, notation: "compact", maximumFractionDigits: 1 }).format(major);
}
