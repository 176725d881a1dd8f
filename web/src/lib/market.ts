/**
 * Prices, quantities and changes for the market pages. The API sends prices,
 * quantities and position money as exact decimal strings; they are formatted
 * by Intl.NumberFormat from the strings themselves (never through a float),
 * prices at the symbol's precision. A day's change is computed exactly in
 * scaled integers (BigInt); only its percentage, a display ratio, is a float.
 */
import { api } from "../api/client";
import { unwrap } from "../api/errors";
import type { MarketSymbol, Snapshot } from "../api/market-types";
import { formatDecimal, parseDecimal } from "./decimal";

const cache = new Map<string, Intl.NumberFormat>();
function nf(key: string, make: () => Intl.NumberFormat): Intl.NumberFormat {
  let f = cache.get(key);
  if (!f) {
    f = make();
    cache.set(key, f);
  }
  return f;
}

const lit = (s: string) => s as Intl.StringNumericLiteral;

/** A price ("187.2") in its currency at the symbol's precision: "$187.20". */
export function formatPrice(price: string, currency: string, precision: number): string {
  return nf(
    `p:${currency}:${precision}`,
    () =>
      new Intl.NumberFormat(undefined, { style: "currency", currency, minimumFractionDigits: precision, maximumFractionDigits: precision }),
  ).format(lit(price));
}

/** A signed price change: "+$1.25", "-$0.40". */
export function formatPriceChange(change: string, currency: string, precision: number): string {
  return nf(
    `c:${currency}:${precision}`,
    () =>
      new Intl.NumberFormat(undefined, {
        style: "currency",
        currency,
        minimumFractionDigits: precision,
        maximumFractionDigits: precision,
        signDisplay: "exceptZero",
      }),
  ).format(lit(change));
}

/** Money as a decimal string in major units ("1234.5") in the currency's own minor digits: "$1,234.50". */
export function formatMajor(amount: string, currency: string, signed = false): string {
  return nf(
    `m:${currency}:${signed}`,
    () => new Intl.NumberFormat(undefined, { style: "currency", currency, signDisplay: signed ? "exceptZero" : "auto" }),
  ).format(lit(amount));
}

/** A quantity ("1.5", up to 9 decimals) as typed: "1.5". */
export function formatQty(qty: string): string {
  return nf("q", () => new Intl.NumberFormat(undefined, { maximumFractionDigits: 9 })).format(lit(qty));
}

/** A fraction as a decimal string ("0.0523") or number as a signed percentage: "+5.23%". */
export function formatSignedPercent(fraction: string | number): string {
  return nf(
    "pct",
    () =>
      new Intl.NumberFormat(undefined, { style: "percent", minimumFractionDigits: 2, maximumFractionDigits: 2, signDisplay: "exceptZero" }),
  ).format(typeof fraction === "number" ? fraction : lit(fraction));
}

const SCALE = 9;
const scaled = (s: string) => parseDecimal(s, SCALE);
const unscaled = (v: bigint) => formatDecimal(v, SCALE);

export interface DayChange {
  /** last − previous close, exact decimal string. */
  change: string;
  /** change / previous close, for display. */
  fraction: number;
}

/** The change from the previous close to the last price, or null when either is missing. */
export function dayChange(last: string | null | undefined, prevClose: string | null | undefined): DayChange | null {
  if (!last || !prevClose) return null;
  const prev = scaled(prevClose);
  if (prev === 0n) return null;
  const diff = scaled(last) - prev;
  // Six significant places of the ratio, from integers.
  const ratio = Number((diff * 1_000_000n) / prev) / 1_000_000;
  return { change: unscaled(diff), fraction: ratio };
}

/**
 * The close a trade at `tradeT` is compared with: the snapshot's previous
 * close, unless the trade opened a day after the snapshot's daily bar (the
 * first trade of a new day), when that bar's close is the previous close.
 */
export function referenceClose(snap: Snapshot | null | undefined, tradeT: string | null | undefined): string | null {
  if (!snap) return null;
  const bar = snap.daily_bar;
  if (bar && tradeT && tradeT.slice(0, 10) > bar.t.slice(0, 10)) return bar.c;
  return snap.prev_close;
}

/** The class for a signed amount: up, down or flat. */
export function trendClass(value: string | number): string {
  const n = typeof value === "number" ? value : value.startsWith("-") ? -1 : /[1-9]/.test(value) ? 1 : 0;
  return n > 0 ? "up" : n < 0 ? "down" : "flat";
}

/** The registry (it does not change while the app runs, so it is loaded once). */
let symbols: Promise<MarketSymbol[]> | null = null;
export function loadSymbols(): Promise<MarketSymbol[]> {
  symbols ??= api.GET("/v1/market/symbols").then((r) => unwrap(r).data);
  symbols.catch(() => {
    symbols = null;
  });
  return symbols;
}

export async function loadSnapshot(symbol: string): Promise<Snapshot> {
  return unwrap(await api.GET("/v1/market/{symbol}/snapshot", { params: { path: { symbol } } }));
}
