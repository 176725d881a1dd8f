/**
 * Exact decimal strings as scaled integers (BigInt) for the web: parse "12.5"
 * at n places, print back the shortest form, and divide with half-even
 * rounding — the same rules as the API's src/domain/market/decimal.ts, so a
 * figure computed here equals the one the API would send. Never floats.
 */

/** A plain decimal string ("-12.5", "3") as an integer at `places` (extra places are cut, never rounded up). */
export function parseDecimal(s: string, places: number): bigint {
  const neg = s.startsWith("-");
  const [whole = "0", frac = ""] = (neg ? s.slice(1) : s).split(".");
  const v = BigInt((whole || "0") + frac.padEnd(places, "0").slice(0, places));
  return neg ? -v : v;
}

/** An integer at `places` as the shortest decimal string ("12.5", "3", "-0.25"). */
export function formatDecimal(v: bigint, places: number): string {
  const neg = v < 0n;
  const digits = (neg ? -v : v).toString().padStart(places + 1, "0");
  const whole = digits.slice(0, digits.length - places);
  const frac = digits.slice(digits.length - places).replace(/0+$/, "");
  return `${neg ? "-" : ""}${whole}${frac ? `.${frac}` : ""}`;
}

/** a / b rounded half to even, for any signs (b ≠ 0): the magnitude is rounded, the sign kept. */
export function divHalfEven(a: bigint, b: bigint): bigint {
  const neg = a < 0n !== b < 0n;
  const x = a < 0n ? -a : a;
  const y = b < 0n ? -b : b;
  let q = x / y;
  const twice = 2n * (x % y);
  if (twice > y || (twice === y && q % 2n === 1n)) q += 1n;
  return neg ? -q : q;
}
