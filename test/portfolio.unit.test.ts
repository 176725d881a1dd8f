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
