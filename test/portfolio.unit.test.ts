/**
 * Positions at average cost and the portfolio metrics, each against a case
 * computed by hand.
 */
import { describe, expect, it } from "vitest";
import { PRICE_SCALE, QTY_SCALE } from "../src/domain/market/decimal";
import {
  type DailyPoint,
  maxDrawdown,
  moneyWeightedReturn,
  portfolioMetrics,
  sharpe,
  simpleReturn,
  timeWeightedReturn,
  volatility,
} from "../src/domain/portfolio/metrics";
import { applyBuy, applySell, avgEntryPrice, emptyPosition, valuePosition } from "../src/domain/portfolio/positions";
import { portfolioHistory } from "../src/domain/portfolio/report";
import { allocation, apportion, marketValue, valueSeries, WEIGHT_UNITS } from "../src/domain/portfolio/valuation";
import { externalFlow, PortfolioAccumulator } from "../src/pipeline/portfolio-deltas";

const shares = (n: number) => Math.round(n * QTY_SCALE);

describe("positions at average cost", () => {
  it("averages buys, realizes sells at average cost, and empties exactly", () => {
    // Buy 10 @ 100.00 and 10 @ 110.00: 20 shares, cost 2,100.00, average 105.00.
    let p = applyBuy(applyBuy(emptyPosition("AAPL"), shares(10), 100_000), shares(10), 110_000);
    expect(p).toEqual({ symbol: "AAPL", qty: shares(20), costBasis: 210_000 });
    expect(avgEntryPrice(p, 2)).toBe(105 * PRICE_SCALE);
    // Sell 5 for 600.00: cost of sold 525.00, realized +75.00.
    const sold = applySell(p, shares(5), 60_000);
    expect(sold).toMatchObject({ ok: true, costOfSold: 52_500, realizedPl: 7_500 });
    if (!sold.ok) throw new Error("unreachable");
    p = sold.position;
    expect(p).toEqual({ symbol: "AAPL", qty: shares(15), costBasis: 157_500 });
    // Valued at 120.00: market value 1,800.00, unrealized +225.00 (+14.2857 %).
    const v = valuePosition(p, 120 * PRICE_SCALE, 2);
    expect(v.marketValue).toBe(180_000);
    expect(v.unrealizedPl).toBe(22_500);
    expect(v.unrealizedPlpc).toBeCloseTo(22_500 / 157_500, 12);
    // A third of a share at a cost that does not divide: the last sale takes the rest.
    let q = applyBuy(emptyPosition("X"), shares(3), 1_000);
    const a = applySell(q, shares(1), 400);
    expect(a).toMatchObject({ ok: true, costOfSold: 333, realizedPl: 67 });
    if (!a.ok) throw new Error("unreachable");
    q = a.position;
    const b = applySell(q, shares(2), 500);
    expect(b).toMatchObject({ ok: true, costOfSold: 667, realizedPl: -167, position: { qty: 0, costBasis: 0 } });
  });

  it("refuses to sell more than is held (no shorts)", () => {
    const p = applyBuy(emptyPosition("AAPL"), shares(1), 100);
    expect(applySell(p, shares(1) + 1, 100)).toEqual({ ok: false, code: "insufficient_qty" });
    expect(applySell(emptyPosition("AAPL"), 1, 1)).toEqual({ ok: false, code: "insufficient_qty" });
  });
});

const pts = (rows: [string, number, number?][]): DailyPoint[] => rows.map(([day, value, flow = 0]) => ({ day, value, flow }));

describe("portfolio metrics", () => {
  it("links daily returns for TWR and excludes flows", () => {
    // 1000 → 1100 (+10 %), then 500 paid in and the day ends at 1600 (0 %), then 1760 (+10 %).
    const s = pts([
      ["2026-01-01", 1000],
      ["2026-01-02", 1100],
      ["2026-01-03", 1600, 500],
      ["2026-01-04", 1760],
    ]);
    expect(timeWeightedReturn(s)).toBeCloseTo(1.1 * 1.0 * 1.1 - 1, 12);
    // Simple: gain 1760 − 1000 − 500 = 260 over 1500 put in.
    expect(simpleReturn(s)).toBeCloseTo(260 / 1500, 12);
    expect(maxDrawdown(s)).toBe(0);
  });

  it("measures the deepest fall below a running peak", () => {
    const s = pts([
      ["2026-01-01", 100],
      ["2026-01-02", 120],
      ["2026-01-03", 90],
      ["2026-01-04", 130],
      ["2026-01-05", 117],
    ]);
    expect(maxDrawdown(s)).toBeCloseTo(30 / 120, 12);
  });

  it("gives XIRR annual over a year and the period's own return under one", () => {
    // One deposit, doubled in exactly 365 days: 100 % a year.
    expect(
      moneyWeightedReturn(
        pts([
          ["2025-01-01", 1000],
          ["2026-01-01", 2000],
        ]),
      ),
    ).toBeCloseTo(1, 6);
    // +10 % over half a year stays +10 %, not annualized to 21 %.
    const half = pts([
      ["2026-01-01", 1000],
      ["2026-07-02", 1100],
    ]);
    expect(moneyWeightedReturn(half)).toBeCloseTo(0.1, 4);
    const figures = portfolioMetrics(half);
    expect(figures.find((f) => f.method === "mwr")).toMatchObject({ annualized: false });
  });

  it("needs enough days for volatility and Sharpe and computes them from daily returns", () => {
    expect(
      volatility(
        pts([
          ["2026-01-01", 100],
          ["2026-01-02", 101],
        ]),
      ),
    ).toBeNull();
    // Alternating +1 % / −1 % for 40 days: sample sd of the returns × √252.
    const rows: [string, number][] = [["2026-01-01", 10_000]];
    const r: number[] = [];
    let v = 10_000;
    for (let i = 1; i <= 40; i++) {
      const x = i % 2 ? 0.01 : -0.01;
      v *= 1 + x;
      r.push(x);
      rows.push([new Date(Date.UTC(2026, 0, 1 + i)).toISOString().slice(0, 10), v]);
    }
    const m = r.reduce((s, x) => s + x, 0) / r.length;
    const sd = Math.sqrt(r.reduce((s, x) => s + (x - m) ** 2, 0) / (r.length - 1));
    expect(volatility(pts(rows))).toBeCloseTo(sd * Math.sqrt(252), 12);
    expect(sharpe(pts(rows))).toBeCloseTo((m / sd) * Math.sqrt(252), 9);
  });

  it("answers null, not a guess, for series too short to say anything", () => {
    for (const f of portfolioMetrics(pts([["2026-01-01", 1000]]))) expect(f.value, f.method).toBeNull();
  });
});

describe("portfolio valuation", () => {
  const price = (n: number) => Math.round(n * PRICE_SCALE);

  it("values qty × price exactly and rounds half-even to a minor unit once per symbol", () => {
    // 0.5 share × 0.01 = 0.005 → 0 cents (half to even); 1.5 × 0.01 = 0.015 → 2 cents.
    expect(marketValue(BigInt(shares(0.5)), price(0.01), 2)).toBe(0n);
    expect(marketValue(BigInt(shares(1.5)), price(0.01), 2)).toBe(2n);
    // 123.456789012 shares × 98,765.43210987 = 12,193,263.11248… USD → 1,219,326,311 cents.
    expect(marketValue(123_456_789_012n, 9_876_543_210_987, 2)).toBe(1_219_326_311n);
    // JPY has no minor digits: 3 × 1,234.5 = 3,703.5 → 3,704 (half to even).
    expect(marketValue(BigInt(shares(3)), price(1234.5), 0)).toBe(3_704n);
  });

  it("builds the daily series with cash, positions at the latest close carried forward, and flows", () => {
    const series = valueSeries(
      {
        cash: [
          { account_id: "a", day: "2026-03-01", cash: 100_000, contributions: 100_000, withdrawals: 0 },
          { account_id: "a", day: "2026-03-02", cash: 50_000, contributions: 0, withdrawals: 0 },
          { account_id: "b", day: "2026-03-04", cash: 20_000, contributions: 25_000, withdrawals: 5_000 },
        ],
        positions: [
          { account_id: "a", symbol: "AAPL", day: "2026-03-02", qty: shares(5) },
          { account_id: "b", symbol: "AAPL", day: "2026-03-04", qty: shares(1) },
        ],
        closes: [
          { symbol: "AAPL", day: "2026-02-27", price: price(95) },
          { symbol: "AAPL", day: "2026-03-02", price: price(100) },
          { symbol: "AAPL", day: "2026-03-03", price: price(110) },
        ],
      },
      { from: "2026-03-01", to: "2026-03-05" },
      2,
    );
    expect(series.map((p) => [p.day, p.cash, p.positions_value, p.value, p.contributions, p.withdrawals])).toEqual([
      ["2026-03-01", 100_000n, 0n, 100_000n, 100_000n, 0n],
      ["2026-03-02", 50_000n, 50_000n, 100_000n, 0n, 0n],
      ["2026-03-03", 50_000n, 55_000n, 105_000n, 0n, 0n],
      // b opens: 6 shares at the 03-03 close (carried), cash 50,000 + 20,000.
      ["2026-03-04", 70_000n, 66_000n, 136_000n, 25_000n, 5_000n],
    ]);
    // A period starting later opens with the state before it (carried into its first day).
    const later = valueSeries(
      {
        cash: [{ account_id: "a", day: "2026-03-01", cash: 1_000, contributions: 1_000, withdrawals: 0 }],
        positions: [],
        closes: [],
      },
      { from: "2026-03-10", to: "2026-03-12" },
      2,
    );
    expect(later).toEqual([{ day: "2026-03-10", cash: 1_000n, positions_value: 0n, value: 1_000n, contributions: 0n, withdrawals: 0n }]);
  });

  it("apportions weights in millionths by the largest remainder so they sum to exactly 1", () => {
    const thirds = apportion([
      { key: "a", market_value: 1n },
      { key: "b", market_value: 1n },
      { key: "c", market_value: 1n },
    ]);
    expect(thirds.map((b) => b.weight_units)).toEqual([333_334n, 333_333n, 333_333n]);
    const skewed = apportion([
      { key: "x", market_value: 2n },
      { key: "y", market_value: 3n },
      { key: "z", market_value: 6n },
    ]);
    // 2/11 = 181818.18…, 3/11 = 272727.27…, 6/11 = 545454.54…: the one missing unit goes to z (largest remainder .54).
    expect(skewed.map((b) => b.weight_units)).toEqual([181_818n, 272_727n, 545_455n]);
    expect(skewed.reduce((s, b) => s + b.weight_units, 0n)).toBe(WEIGHT_UNITS);
    expect(apportion([{ key: "cash", market_value: 0n }])).toEqual([]);
  });

  it("allocates by symbol and asset class with a cash bucket", () => {
    const a = allocation(
      [
        { symbol: "AAPL", asset_class: "us_equity", qty: 1n, price: 1, market_value: 30_000n },
        { symbol: "MSFT", asset_class: "us_equity", qty: 1n, price: 1, market_value: 20_000n },
        { symbol: "BTC-USD", asset_class: "crypto", qty: 1n, price: 1, market_value: 25_000n },
      ],
      25_000n,
    );
    expect(a.by_symbol.map((b) => [b.key, b.weight_units])).toEqual([
      ["AAPL", 300_000n],
      ["BTC-USD", 250_000n],
      ["cash", 250_000n],
      ["MSFT", 200_000n],
    ]);
    expect(a.by_asset_class.map((b) => [b.key, b.market_value, b.weight_units])).toEqual([
      ["us_equity", 50_000n, 500_000n],
      // Equal values: by key.
      ["cash", 25_000n, 250_000n],
      ["crypto", 25_000n, 250_000n],
    ]);
  });

  it("counts deposits and transfers as external flows, trades and fees not, and reversals take theirs back", () => {
    const entry = (kind: string, amount: number, reverses_kind: string | null = null) =>
      ({ kind, amount, reverses_kind, direction: "credit" }) as never;
    expect(externalFlow(entry("deposit", 500))).toEqual({ contributions: 500, withdrawals: 0 });
    expect(externalFlow(entry("transfer_out", 200))).toEqual({ contributions: 0, withdrawals: 200 });
    expect(externalFlow(entry("trade_buy", 900))).toEqual({ contributions: 0, withdrawals: 0 });
    expect(externalFlow(entry("fee", 9))).toEqual({ contributions: 0, withdrawals: 0 });
    expect(externalFlow(entry("reversal", 500, "deposit"))).toEqual({ contributions: -500, withdrawals: 0 });
  });

  it("folds buys and sells of a day into one signed quantity per account and symbol", () => {
    const fill = (side: "buy" | "sell", qty: string, day = "2026-03-02") =>
      ({
        type: "portfolio_trade_executed",
        account_id: "acc_1",
        user_id: "usr_1",
        occurred_at: `${day}T15:00:00.000Z`,
        event_date: day,
        payload: { symbol: "AAPL", side, qty },
      }) as never;
    const acc = new PortfolioAccumulator();
    for (const e of [fill("buy", "5"), fill("sell", "1.25"), fill("buy", "0.000000001"), fill("sell", "2", "2026-03-03")]) acc.add(e);
    expect(acc.deltas().positions).toEqual([
      { account_id: "acc_1", day: "2026-03-02", symbol: "AAPL", user_id: "usr_1", qty_delta: shares(3.75) + 1, fills: 3 },
      { account_id: "acc_1", day: "2026-03-03", symbol: "AAPL", user_id: "usr_1", qty_delta: -shares(2), fills: 1 },
    ]);
  });

  it("keeps the latest price of a day as its close, whatever the order the events come in", () => {
    const ev = (occurred_at: string, price: string, q: number) =>
      ({
        type: "market_price_updated",
        account_id: "market:AAPL",
        user_id: "market",
        occurred_at,
        event_date: occurred_at.slice(0, 10),
        payload: { symbol: "AAPL", asset_class: "us_equity", currency: "USD", price, reason: "minute", q },
      }) as never;
    const events = [
      ev("2026-03-02T15:00:00.000Z", "101", 5),
      ev("2026-03-02T21:00:00.000Z", "103.5", 9),
      ev("2026-03-02T18:00:00.000Z", "99", 7),
    ];
    for (const order of [events, [...events].reverse()]) {
      const acc = new PortfolioAccumulator();
      for (const e of order) acc.add(e);
      expect(acc.deltas().closes).toEqual([
        {
          symbol: "AAPL",
          day: "2026-03-02",
          asset_class: "us_equity",
          currency: "USD",
          price: 103.5 * PRICE_SCALE,
          occurred_at: "2026-03-02T21:00:00.000Z",
          q: 9,
        },
      ]);
    }
  });
});

describe("portfolio metrics on a valued series", () => {
  it("labels each return and never annualizes under a year", () => {
    // 1,000 → 1,100 with 100 more paid in on day 2 → 1,320: TWR (1.1)(1.1) − 1 = 21 %; simple (1320 − 1000 − 100) / 1100 = 20 %.
    const h = portfolioHistory(
      {
        cash: [
          { account_id: "a", day: "2026-01-01", cash: 1_000, contributions: 1_000, withdrawals: 0 },
          { account_id: "a", day: "2026-01-02", cash: 1_100, contributions: 0, withdrawals: 0 },
          { account_id: "a", day: "2026-01-03", cash: 1_320, contributions: 100, withdrawals: 0 },
        ],
        positions: [],
        closes: [],
      },
      { from: "2026-01-01", to: "2026-01-03" },
      2,
    );
    expect(h.points.map((p) => p.value)).toEqual(["1000", "1100", "1320"]);
    expect(h.flows).toEqual({ contributions: "100", withdrawals: "0" });
    const by = Object.fromEntries(h.returns.map((r) => [r.method, r]));
    expect(by.twr!.value).toBeCloseTo(0.21, 12);
    expect(by.simple_return!.value).toBeCloseTo(220 / 1100, 12);
    expect(by.mwr!.annualized).toBe(false);
    expect(by.volatility!.value).toBeNull();
    expect(by.sharpe!.value).toBeNull();
    expect(by.max_drawdown!.value).toBe(0);
  });
});
