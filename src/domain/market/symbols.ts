/**
 * The symbol registry: what can be quoted and traded. The demo set is a few
 * US equities and ETFs and two crypto pairs, each with the parameters its
 * simulated price path uses (start price, annual drift and volatility); the
 * rest of the registry (symbol-list.ts) is quoted on demand.
 */
import { CRYPTO_ROWS, EQUITY_ROWS } from "./symbol-list";

export type AssetClass = "us_equity" | "crypto";

export interface SymbolSpec {
  symbol: string;
  name: string;
  asset_class: AssetClass;
  currency: "USD";
  /** Decimal places a price may have (the tick size is 10^-precision). */
  price_precision: number;
  /** Whether fractional quantities (up to 9 places) may be ordered. */
  fractionable: boolean;
  /** The simulator's price on its origin day, annual drift and annual volatility. */
  sim: { s0: number; mu: number; sigma: number };
  /** A demo symbol: `npm run dev` warms it (a year of daily bars) and its demo trades run its simulator. */
  demo: boolean;
}

const DEMO_SYMBOLS: readonly SymbolSpec[] = [
  {
    symbol: "AAPL",
    name: "Apple Inc.",
    asset_class: "us_equity",
    currency: "USD",
    price_precision: 2,
    fractionable: true,
    sim: { s0: 75, mu: 0.12, sigma: 0.28 },
    demo: true,
  },
  {
    symbol: "MSFT",
    name: "Microsoft Corporation",
    asset_class: "us_equity",
    currency: "USD",
    price_precision: 2,
    fractionable: true,
    sim: { s0: 160, mu: 0.12, sigma: 0.26 },
    demo: true,
  },
  {
    symbol: "NVDA",
    name: "NVIDIA Corporation",
    asset_class: "us_equity",
    currency: "USD",
    price_precision: 2,
    fractionable: true,
    sim: { s0: 6, mu: 0.3, sigma: 0.5 },
    demo: true,
  },
  {
    symbol: "AMZN",
    name: "Amazon.com, Inc.",
    asset_class: "us_equity",
    currency: "USD",
    price_precision: 2,
    fractionable: true,
    sim: { s0: 95, mu: 0.1, sigma: 0.32 },
    demo: true,
  },
  {
    symbol: "TSLA",
    name: "Tesla, Inc.",
    asset_class: "us_equity",
    currency: "USD",
    price_precision: 2,
    fractionable: true,
    sim: { s0: 28, mu: 0.15, sigma: 0.6 },
    demo: true,
  },
  {
    symbol: "SPY",
    name: "SPDR S&P 500 ETF Trust",
    asset_class: "us_equity",
    currency: "USD",
    price_precision: 2,
    fractionable: true,
    sim: { s0: 320, mu: 0.08, sigma: 0.18 },
    demo: true,
  },
  {
    symbol: "VTI",
    name: "Vanguard Total Stock Market ETF",
    asset_class: "us_equity",
    currency: "USD",
    price_precision: 2,
    fractionable: true,
    sim: { s0: 160, mu: 0.08, sigma: 0.19 },
    demo: true,
  },
  {
    symbol: "BRK.B",
    name: "Berkshire Hathaway Inc. Class B",
    asset_class: "us_equity",
    currency: "USD",
    price_precision: 2,
    fractionable: false,
    sim: { s0: 225, mu: 0.09, sigma: 0.2 },
    demo: true,
  },
  {
    symbol: "BTC-USD",
    name: "Bitcoin",
    asset_class: "crypto",
    currency: "USD",
    price_precision: 2,
    fractionable: true,
    sim: { s0: 7_200, mu: 0.35, sigma: 0.7 },
    demo: true,
  },
  {
    symbol: "ETH-USD",
    name: "Ethereum",
    asset_class: "crypto",
    currency: "USD",
    price_precision: 2,
    fractionable: true,
    sim: { s0: 130, mu: 0.35, sigma: 0.85 },
    demo: true,
  },
];

/** Every registered symbol: the demo set first, then the on-demand rest. */
export const SYMBOLS: readonly SymbolSpec[] = [
  ...DEMO_SYMBOLS,
  ...EQUITY_ROWS.map(([symbol, name, s0, mu, sigma, fractionable]) => ({
    symbol,
    name,
    asset_class: "us_equity" as const,
    currency: "USD" as const,
    price_precision: 2,
    fractionable,
    sim: { s0, mu, sigma },
    demo: false,
  })),
  ...CRYPTO_ROWS.map(([symbol, name, s0, mu, sigma, price_precision]) => ({
    symbol,
    name,
    asset_class: "crypto" as const,
    currency: "USD" as const,
    price_precision,
    fractionable: true,
    sim: { s0, mu, sigma },
    demo: false,
  })),
];

const BY_SYMBOL = new Map(SYMBOLS.map((s) => [s.symbol, s]));

/** The registered symbol, or undefined. Symbols are matched exactly (upper case). */
export function symbolSpec(symbol: string): SymbolSpec | undefined {
  return BY_SYMBOL.get(symbol);
}

/** The registry filtered by asset class and a search text (symbol or name, case-insensitive), best matches first. */
export function searchSymbols(assetClass: SymbolSpec["asset_class"] | undefined, q: string | undefined): SymbolSpec[] {
  const inClass = assetClass ? SYMBOLS.filter((s) => s.asset_class === assetClass) : [...SYMBOLS];
  if (q === undefined) return inClass;
  const needle = q.toUpperCase();
  const rank = (s: SymbolSpec) => (s.symbol === needle ? 0 : s.symbol.startsWith(needle) ? 1 : 2);
  return inClass
    .filter((s) => s.symbol.includes(needle) || s.name.toUpperCase().includes(needle))
    .map((s, i) => ({ s, i, r: rank(s) }))
    .sort((a, b) => a.r - b.r || a.i - b.i)
    .map((x) => x.s);
}

/** The pattern a symbol has on the wire: 1–12 of A-Z, 0-9, '.', '-'. */
export const SYMBOL_PATTERN = /^[A-Z0-9][A-Z0-9.-]{0,11}$/;
