/**
 * The market's pure core: fixed-precision decimals and notional rounding, the
 * simulator's reproducibility and statistics, bars, and tick validation.
 */
import { mean, sampleStandardDeviation } from "simple-statistics";
import { describe, expect, it } from "vitest";
import { addTrade, type Bar } from "../src/domain/market/bars";
import { decimalsOf, formatScaled, notionalMinor, PRICE_SCALE, parseScaled, QTY_SCALE } from "../src/domain/market/decimal";
import {
  DAY_MS,
  DayPath,
  dayIndex,
  logClose,
  ORIGIN_MS,
  STEP_MS,
  STEPS_PER_DAY,
  simulatedDailyBar,
  simulatedPrice,
  toScaledPrice,
} from "../src/domain/market/simulator";
import { SYMBOLS, symbolSpec } from "../src/domain/market/symbols";
import { MAX_REORDER_MS, validateTick } from "../src/domain/market/ticks";

const AAPL = symbolSpec("AAPL")!;

describe("fixed-precision decimals", () => {
  it("parses plain decimals exactly and refuses everything else", () => {
    expect(parseScaled("12.5", 9)).toBe(12_500_000_000);
    expect(parseScaled("0.000000001", 9)).toBe(1);
    expect(parseScaled("3", 2)).toBe(300);
    for (const bad of ["", "-1", "+1", "1e3", "01", "1.", ".5", " 1", "1,5", "0.0000000001", "99999999999"]) {
      expect(parseScaled(bad, 9), bad).toBeNull();
    }
    expect(formatScaled(12_500_000_000, 9)).toBe("12.5");
    expect(formatScaled(1, 9)).toBe("0.000000001");
    expect(formatScaled(-25, 2)).toBe("-0.25");
    expect(formatScaled(300, 2)).toBe("3");
  });

  it("counts a JSON number's decimals in its shortest form", () => {
    expect(decimalsOf(1.25)).toBe(2);
    expect(decimalsOf(3)).toBe(0);
    expect(decimalsOf(1e-7)).toBe(7);
    expect(decimalsOf(1.5e21)).toBe(0);
    expect(decimalsOf(0.1 + 0.2)).toBe(17);
    expect(decimalsOf(Number.NaN)).toBeNull();
  });

  it("rounds a notional to minor units by the rule asked, exactly", () => {
    const third = Math.round(QTY_SCALE / 3); // 0.333333333 shares
    const hundred = 100 * PRICE_SCALE;
    expect(notionalMinor(third, hundred, 2, "up")).toBe(3334);
    expect(notionalMinor(third, hundred, 2, "down")).toBe(3333);
    // 0.5 cent exactly: half-even goes to the even cent.
    expect(notionalMinor(QTY_SCALE / 2, PRICE_SCALE / 100, 2, "half_even")).toBe(0);
    expect(notionalMinor((3 * QTY_SCALE) / 2, PRICE_SCALE / 100, 2, "half_even")).toBe(2);
    // Large values stay exact where floats would not: 10^6 shares at 12345.6789.
    expect(notionalMinor(1_000_000 * QTY_SCALE, 1_234_567_890_000, 2, "down")).toBe(1_234_567_890_000);
  });
});

describe("the simulator", () => {
  it("gives the same price for the same symbol and instant, from any starting point", () => {
    const t = Date.UTC(2026, 10, 20, 14, 33, 20);
    const a = simulatedPrice(AAPL, t);
    expect(simulatedPrice(AAPL, t)).toBe(a);
    const path = new DayPath(AAPL, dayIndex(t));
    path.at(100);
    expect(toScaledPrice(AAPL, path.at(Math.floor((t % DAY_MS) / STEP_MS)))).toBe(a);
    expect(a % (PRICE_SCALE / 100)).toBe(0); // at the symbol's precision
    expect(simulatedPrice(symbolSpec("MSFT")!, t)).not.toBe(a);
  });

  it("joins days: each day opens at the previous close and ends exactly at its own", () => {
    const day = dayIndex(Date.UTC(2026, 5, 1));
    const path = new DayPath(AAPL, day);
    expect(path.at(0)).toBe(logClose(AAPL, day - 1));
    expect(path.at(STEPS_PER_DAY)).toBe(logClose(AAPL, day));
    const bar = simulatedDailyBar(AAPL, day);
    expect(bar.o).toBe(simulatedDailyBar(AAPL, day - 1).c);
    expect(bar.h).toBeGreaterThanOrEqual(Math.max(bar.o, bar.c));
    expect(bar.l).toBeLessThanOrEqual(Math.min(bar.o, bar.c));
    expect(simulatedPrice(AAPL, ORIGIN_MS + (day + 1) * DAY_MS)).toBe(bar.c);
  });

  it("has the drift and volatility of its parameters (exact GBM: log returns normal)", () => {
    for (const spec of SYMBOLS) {
      const n = 2_000;
      const r = Array.from({ length: n }, (_, d) => logClose(spec, d) - logClose(spec, d - 1));
      const dt = 1 / 365;
      const sd = spec.sim.sigma * Math.sqrt(dt);
      // Sample sd within 10% (its standard error is ~1.6% at n = 2000); mean within 4 standard errors.
      expect(Math.abs(sampleStandardDeviation(r) / sd - 1), spec.symbol).toBeLessThan(0.1);
      expect(Math.abs(mean(r) - (spec.sim.mu - spec.sim.sigma ** 2 / 2) * dt), spec.symbol).toBeLessThan((4 * sd) / Math.sqrt(n));
    }
  });
});

describe("bars", () => {
  it("opens a bar per bucket and keeps the close with the latest trade", () => {
    let bar: Bar | null = null;
    let last = 0;
    const trades = [
      { t: 60_000, price: 10, size: 1 },
      { t: 90_000, price: 12, size: 2 },
      { t: 85_000, price: 9, size: 1 }, // late: moves the low, not the close
      { t: 119_999, price: 11, size: 1 },
    ];
    for (const tr of trades) {
      bar = addTrade(bar, tr, "1Min", last);
      last = Math.max(last, tr.t);
    }
    expect(bar).toEqual({ t: 60_000, o: 10, h: 12, l: 9, c: 11, v: 5, n: 4 });
    expect(addTrade(bar, { t: 120_000, price: 13, size: 1 }, "1Min", last)).toEqual({ t: 120_000, o: 13, h: 13, l: 13, c: 13, v: 1, n: 1 });
  });
});

describe("tick validation", () => {
  const now = Date.UTC(2026, 11, 2, 12);
  const tick = (o: Partial<{ symbol: string; price: number; size: number; t: number }>) => ({
    symbol: "AAPL",
    price: 190.25,
    t: now,
    ...o,
  });

  it("accepts a good tick at fixed precision", () => {
    expect(validateTick(tick({ size: 0.5 }), now - 1_000, now)).toEqual({
      ok: true,
      tick: { symbol: "AAPL", price: 19_025_000_000, size: 500_000_000, t: now },
    });
  });

  it("refuses each kind of bad tick with its reason", () => {
    const cases: [Parameters<typeof tick>[0], RegExp, number | null][] = [
      [{ symbol: "NOPE" }, /unknown symbol/, null],
      [{ symbol: "aapl" }, /unknown symbol/, null],
      [{ price: 0 }, /positive/, null],
      [{ price: -1 }, /positive/, null],
      [{ price: Number.POSITIVE_INFINITY }, /positive finite/, null],
      [{ price: 190.255 }, /more than 2 decimals/, null],
      [{ size: -1 }, /size/, null],
      [{ size: 1e-10 }, /size/, null],
      [{ t: now + 60_000 }, /future/, null],
      [{ t: 1.5 }, /epoch/, null],
      [{ t: now - MAX_REORDER_MS - 1 }, /behind/, now],
    ];
    for (const [o, reason, latest] of cases) {
      const v = validateTick(tick(o), latest, now);
      expect(v.ok, JSON.stringify(o)).toBe(false);
      if (!v.ok) expect(v.reason).toMatch(reason);
    }
  });
});
