/**
 * What the portfolio routes answer, from the Gold rows: the current portfolio
 * (cash, holdings at their latest close, allocation) and the value history of
 * a period with its returns. Money as exact decimal integer strings (sums over
 * accounts may pass 2^53), quantities and prices as decimal strings.
 */
import { formatScaled, PRICE_DECIMALS, QTY_DECIMALS } from "../market/decimal";
import { portfolioMetrics, type ReturnFigure } from "./metrics";
import { allocation, type Bucket, type CashDay, type CloseDay, holdings, type PositionDay, valueSeries, WEIGHT_UNITS } from "./valuation";

export type Period = "1M" | "3M" | "1Y" | "all";
/** Days back from today that each period starts (its first point is that day's close). */
export const PERIOD_DAYS: Record<Exclude<Period, "all">, number> = { "1M": 30, "3M": 91, "1Y": 365 };
/** `all` reaches back at most this many days (about ten years). */
export const MAX_HISTORY_DAYS = 3_660;

export interface PortfolioInput {
  cash: readonly CashDay[];
  positions: readonly PositionDay[];
  closes: readonly (CloseDay & { asset_class: string })[];
}

function lastBy<T extends { day: string }>(rows: readonly T[], key: (r: T) => string): Map<string, T> {
  const out = new Map<string, T>();
  for (const r of rows) {
    const had = out.get(key(r));
    if (!had || r.day > had.day) out.set(key(r), r);
  }
  return out;
}

const bucketView = (b: Bucket) => ({
  key: b.key,
  market_value: String(b.market_value),
  weight: Number(b.weight_units) / Number(WEIGHT_UNITS),
});

export function currentPortfolio(input: PortfolioInput, minorUnits: number, assetClassOf: (symbol: string) => string) {
  const cashByAccount = lastBy(input.cash, (r) => r.account_id);
  const cash = [...cashByAccount.values()].reduce((s, r) => s + BigInt(r.cash), 0n);
  const positions = [...lastBy(input.positions, (r) => `${r.account_id}|${r.symbol}`).values()];
  const closes = lastBy(input.closes, (r) => r.symbol);
  const held = holdings(positions, closes, assetClassOf, minorUnits);
  const positionsValue = held.reduce((s, h) => s + h.market_value, 0n);
  const alloc = allocation(held, cash);
  return {
    total_value: String(cash + positionsValue),
    cash: String(cash),
    positions_value: String(positionsValue),
    cash_by_account: new Map([...cashByAccount].map(([id, r]) => [id, r.cash])),
    positions: held.map((h) => ({
      symbol: h.symbol,
      asset_class: h.asset_class,
      qty: formatScaled(Number(h.qty), QTY_DECIMALS),
      close_price: h.price === null ? null : formatScaled(h.price, PRICE_DECIMALS),
      close_day: closes.get(h.symbol)?.day ?? null,
      market_value: String(h.market_value),
    })),
    unpriced: held.filter((h) => h.price === null).map((h) => h.symbol),
    allocation: { by_symbol: alloc.by_symbol.map(bucketView), by_asset_class: alloc.by_asset_class.map(bucketView) },
  };
}

export function portfolioHistory(
  input: PortfolioInput,
  range: { from: string; to: string },
  minorUnits: number,
): {
  points: { day: string; value: string; cash: string; positions_value: string; contributions: string; withdrawals: string }[];
  flows: { contributions: string; withdrawals: string };
  returns: ReturnFigure[];
} {
  const series = valueSeries(input, range, minorUnits);
  // Ratios only: the metrics take numbers; every stored figure above stays exact.
  const metrics = portfolioMetrics(
    series.map((p) => ({ day: p.day, value: Number(p.value), flow: Number(p.contributions - p.withdrawals) })),
  );
  const after = series.slice(1);
  return {
    points: series.map((p) => ({
      day: p.day,
      value: String(p.value),
      cash: String(p.cash),
      positions_value: String(p.positions_value),
      contributions: String(p.contributions),
      withdrawals: String(p.withdrawals),
    })),
    flows: {
      contributions: String(after.reduce((s, p) => s + p.contributions, 0n)),
      withdrawals: String(after.reduce((s, p) => s + p.withdrawals, 0n)),
    },
    returns: metrics,
  };
}
