/**
 * The symbol registry: what can be quoted and traded. The demo set is a few
 * US equities and ETFs and two crypto pairs, each with the parameters its
 * simulated price path uses (start price, annual drift and volatility).
 */

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
}

export const SYMBOLS: readonly SymbolSpec[] = [
  {
    symbol: "AAPL",
    name: "Apple Inc.",
    asset_class: "us_equity",
    currency: "USD",
    price_precision: 2,
    fractionable: true,
    sim: { s0: 75, mu: 0.12, sigma: 0.28 },
  },
  {
    symbol: "MSFT",
    name: "Microsoft Corporation",
    asset_class: "us_equity",
    currency: "USD",
    price_precision: 2,
    fractionable: true,
    sim: { s0: 160, mu: 0.12, sigma: 0.26 },
  },
  {
    symbol: "NVDA",
    name: "NVIDIA Corporation",
    asset_class: "us_equity",
    currency: "USD",
    price_precision: 2,
    fractionable: true,
    sim: { s0: 6, mu: 0.3, sigma: 0.5 },
  },
  {
    symbol: "AMZN",
    name: "Amazon.com, Inc.",
    asset_class: "us_equity",
    currency: "USD",
    price_precision: 2,
    fractionable: true,
    sim: { s0: 95, mu: 0.1, sigma: 0.32 },
  },
  {
    symbol: "TSLA",
    name: "Tesla, Inc.",
    asset_class: "us_equity",
    currency: "USD",
    price_precision: 2,
    fractionable: true,
    sim: { s0: 28, mu: 0.15, sigma: 0.6 },
  },
  {
    symbol: "SPY",
    name: "SPDR S&P 500 ETF Trust",
    asset_class: "us_equity",
    currency: "USD",
    price_precision: 2,
    fractionable: true,
    sim: { s0: 320, mu: 0.08, sigma: 0.18 },
  },
  {
    symbol: "VTI",
    name: "Vanguard Total Stock Market ETF",
    asset_class: "us_equity",
    currency: "USD",
    price_precision: 2,
    fractionable: true,
    sim: { s0: 160, mu: 0.08, sigma: 0.19 },
  },
  {
    symbol: "BRK.B",
    name: "Berkshire Hathaway Inc. Class B",
    asset_class: "us_equity",
    currency: "USD",
    price_precision: 2,
    fractionable: false,
    sim: { s0: 225, mu: 0.09, sigma: 0.2 },
  },
  {
    symbol: "BTC-USD",
    name: "Bitcoin",
    asset_class: "crypto",
    currency: "USD",
    price_precision: 2,
    fractionable: true,
    sim: { s0: 7_200, mu: 0.35, sigma: 0.7 },
  },
  {
    symbol: "ETH-USD",
    name: "Ethereum",
    asset_class: "crypto",
    currency: "USD",
    price_precision: 2,
    fractionable: true,
    sim: { s0: 130, mu: 0.35, sigma: 0.85 },
  },
];

const BY_SYMBOL = new Map(SYMBOLS.map((s) => [s.symbol, s]));

/** The registered symbol, or undefined. Symbols are matched exactly (upper case). */
export function symbolSpec(symbol: string): SymbolSpec | undefined {
  return BY_SYMBOL.get(symbol);
}

/** The pattern a symbol has on the wire: 1–12 of A-Z, 0-9, '.', '-'. */
export const SYMBOL_PATTERN = /^[A-Z0-9][A-Z0-9.-]{0,11}$/;
