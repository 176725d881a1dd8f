/**
 * A portfolio's value per day from its Gold ingredients: each account's cash
 * at the day's close, each position's quantity, and each symbol's close (the
 * latest known close on or before the day). Exact: quantities (10^-9) times
 * prices (10^-8) in BigInt, rounded half-even to minor units once per symbol
 * (its quantity summed over the accounts), so a symbol's market value is the
 * same here, in the allocation and in the history. A symbol with no close yet
 * is valued at 0 and reported as unpriced.
 */
import { divRound, PRICE_SCALE, QTY_SCALE } from "../market/decimal";

export interface CashDay {
  account_id: string;
  day: string;
  /** Cash at the day's close, minor units. */
  cash: number;
  contributions: number;
  withdrawals: number;
}

export interface PositionDay {
  account_id: string;
  symbol: string;
  day: string;
  /** Quantity at the day's close, QTY_SCALE. */
  qty: number;
}

export interface CloseDay {
  symbol: string;
  day: string;
  /** PRICE_SCALE. */
  price: number;
}

export interface ValuePoint {
  day: string;
  cash: bigint;
  positions_value: bigint;
  value: bigint;
  contributions: bigint;
  withdrawals: bigint;
}

/** qty × price in minor units, half-even. */
export function marketValue(qty: bigint, price: number, minorUnits: number): bigint {
  const num = qty * BigInt(price) * 10n ** BigInt(minorUnits);
  const den = BigInt(QTY_SCALE) * BigInt(PRICE_SCALE);
  return num < 0n ? -divRound(-num, den, "half_even") : divRound(num, den, "half_even");
}

/**
 * One point per day in [from, to] on which anything is known (a cash row, a
 * position row or a close of a symbol held), plus `from` itself when the
 * state before it (rows dated earlier, passed in too) already holds something.
 * Rows may come in any order.
 */
export function valueSeries(
  input: { cash: readonly CashDay[]; positions: readonly PositionDay[]; closes: readonly CloseDay[] },
  range: { from: string; to: string },
  minorUnits: number,
): ValuePoint[] {
  const byDay = <T extends { day: string }>(rows: readonly T[]) => [...rows].sort((a, b) => (a.day < b.day ? -1 : a.day > b.day ? 1 : 0));
  const cashRows = byDay(input.cash);
  const posRows = byDay(input.positions);
  const closeRows = byDay(input.closes);
  const cash = new Map<string, number>();
  const qty = new Map<string, Map<string, number>>();
  const price = new Map<string, number>();
  let ci = 0;
  let pi = 0;
  let ki = 0;
  const applyUpTo = (day: string, inclusive: boolean, flows?: { contributions: bigint; withdrawals: bigint }) => {
    const before = (d: string) => (inclusive ? d <= day : d < day);
    for (; ci < cashRows.length && before(cashRows[ci]!.day); ci++) {
      const r = cashRows[ci]!;
      cash.set(r.account_id, r.cash);
      if (flows && r.day === day) {
        flows.contributions += BigInt(r.contributions);
        flows.withdrawals += BigInt(r.withdrawals);
      }
    }
    for (; pi < posRows.length && before(posRows[pi]!.day); pi++) {
      const r = posRows[pi]!;
      const m = qty.get(r.symbol) ?? new Map<string, number>();
      qty.set(r.symbol, m);
      m.set(r.account_id, r.qty);
    }
    for (; ki < closeRows.length && before(closeRows[ki]!.day); ki++) price.set(closeRows[ki]!.symbol, closeRows[ki]!.price);
  };
  const point = (day: string, flows: { contributions: bigint; withdrawals: bigint }): ValuePoint => {
    let c = 0n;
    for (const v of cash.values()) c += BigInt(v);
    let pv = 0n;
    for (const [symbol, m] of qty) {
      let q = 0n;
      for (const v of m.values()) q += BigInt(v);
      const p = price.get(symbol);
      if (q !== 0n && p !== undefined) pv += marketValue(q, p, minorUnits);
    }
    return { day, cash: c, positions_value: pv, value: c + pv, ...flows };
  };

  applyUpTo(range.from, false);
  const days = new Set<string>();
  for (const rows of [cashRows, posRows, closeRows]) for (const r of rows) if (r.day >= range.from && r.day <= range.to) days.add(r.day);
  const out: ValuePoint[] = [];
  if ((cash.size > 0 || qty.size > 0) && !days.has(range.from)) out.push(point(range.from, { contributions: 0n, withdrawals: 0n }));
  for (const day of [...days].sort()) {
    const flows = { contributions: 0n, withdrawals: 0n };
    applyUpTo(day, true, flows);
    if (cash.size === 0 && qty.size === 0) continue; // a close before the portfolio had anything
    out.push(point(day, flows));
  }
  return out;
}

export interface Holding {
  symbol: string;
  asset_class: string;
  qty: bigint;
  /** null when the symbol has no close yet. */
  price: number | null;
  market_value: bigint;
}

/** Current holdings (quantity summed over accounts, non-zero only), valued at their latest close. */
export function holdings(
  positions: readonly { symbol: string; qty: number }[],
  closes: ReadonlyMap<string, { price: number; asset_class: string }>,
  assetClassOf: (symbol: string) => string,
  minorUnits: number,
): Holding[] {
  const qty = new Map<string, bigint>();
  for (const p of positions) qty.set(p.symbol, (qty.get(p.symbol) ?? 0n) + BigInt(p.qty));
  const out: Holding[] = [];
  for (const [symbol, q] of [...qty].sort(([a], [b]) => (a < b ? -1 : 1))) {
    if (q === 0n) continue;
    const c = closes.get(symbol);
    out.push({
      symbol,
      asset_class: c?.asset_class ?? assetClassOf(symbol),
      qty: q,
      price: c?.price ?? null,
      market_value: c ? marketValue(q, c.price, minorUnits) : 0n,
    });
  }
  return out;
}

export const WEIGHT_UNITS = 1_000_000n;

export interface Bucket {
  key: string;
  market_value: bigint;
  /** Millionths of the total; the buckets' weights add up to exactly WEIGHT_UNITS. */
  weight_units: bigint;
}

/**
 * Weights in millionths by the largest remainder (Hamilton): each bucket gets
 * floor(value × 10^6 / total), and the units still missing go one each to the
 * largest remainders (ties by key), so the weights sum to exactly 1. An empty
 * or zero-valued portfolio has no buckets.
 */
export function apportion(buckets: readonly { key: string; market_value: bigint }[]): Bucket[] {
  const total = buckets.reduce((s, b) => s + b.market_value, 0n);
  if (total <= 0n) return [];
  const rows = buckets.map((b) => {
    const scaled = b.market_value * WEIGHT_UNITS;
    return { ...b, weight_units: scaled / total, rem: scaled % total };
  });
  let missing = WEIGHT_UNITS - rows.reduce((s, r) => s + r.weight_units, 0n);
  const order = [...rows].sort((a, b) => (a.rem === b.rem ? (a.key < b.key ? -1 : 1) : a.rem > b.rem ? -1 : 1));
  for (const r of order) {
    if (missing === 0n) break;
    r.weight_units += 1n;
    missing -= 1n;
  }
  return rows.map(({ key, market_value, weight_units }) => ({ key, market_value, weight_units }));
}

export const CASH_BUCKET = "cash";

/** Allocation by symbol and by asset class, each with a cash bucket, largest first. */
export function allocation(items: readonly Holding[], cash: bigint): { by_symbol: Bucket[]; by_asset_class: Bucket[] } {
  const bySymbol = [...items.map((h) => ({ key: h.symbol, market_value: h.market_value })), { key: CASH_BUCKET, market_value: cash }];
  const classes = new Map<string, bigint>();
  for (const h of items) classes.set(h.asset_class, (classes.get(h.asset_class) ?? 0n) + h.market_value);
  const byClass = [...[...classes].map(([key, market_value]) => ({ key, market_value })), { key: CASH_BUCKET, market_value: cash }];
  const largest = (a: Bucket, b: Bucket) =>
    a.market_value === b.market_value ? (a.key < b.key ? -1 : 1) : a.market_value > b.market_value ? -1 : 1;
  return { by_symbol: apportion(bySymbol).sort(largest), by_asset_class: apportion(byClass).sort(largest) };
}
