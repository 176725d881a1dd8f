/**
 * The symbol registry: its size, every entry valid (unique wire symbols,
 * precision, finite simulator parameters, a simulated price that is a real
 * price at its precision), the demo set unchanged, and the search behind
 * GET /v1/market/symbols.
 */
import { describe, expect, it } from "vitest";
import { PRICE_SCALE } from "../src/domain/market/decimal";
import { simulatedDailyBar } from "../src/domain/market/simulator";
import { SYMBOL_PATTERN, SYMBOLS, searchSymbols, symbolSpec } from "../src/domain/market/symbols";

describe("the symbol registry", () => {
  it("holds at least 100 symbols, each valid and unique", () => {
    expect(SYMBOLS.length).toBeGreaterThanOrEqual(100);
    expect(new Set(SYMBOLS.map((s) => s.symbol)).size).toBe(SYMBOLS.length);
    expect(new Set(SYMBOLS.map((s) => s.name)).size).toBe(SYMBOLS.length);
    for (const s of SYMBOLS) {
      expect(s.symbol, s.symbol).toMatch(SYMBOL_PATTERN);
      expect(symbolSpec(s.symbol)).toBe(s);
      expect(s.name.trim().length, s.symbol).toBeGreaterThan(0);
      expect(["us_equity", "crypto"]).toContain(s.asset_class);
      expect(s.currency).toBe("USD");
      expect(Number.isInteger(s.price_precision) && s.price_precision >= 0 && s.price_precision <= 8, s.symbol).toBe(true);
      if (s.asset_class === "us_equity") expect(s.price_precision, s.symbol).toBe(2);
      if (s.asset_class === "crypto") expect(s.fractionable, s.symbol).toBe(true);
      const { s0, mu, sigma } = s.sim;
      for (const v of [s0, mu, sigma]) expect(Number.isFinite(v), s.symbol).toBe(true);
      expect(s0, s.symbol).toBeGreaterThan(0);
      expect(sigma, s.symbol).toBeGreaterThan(0);
      expect(sigma, s.symbol).toBeLessThanOrEqual(2);
      expect(Math.abs(mu), s.symbol).toBeLessThanOrEqual(1);
      // The origin price is representable at the symbol's precision (not rounded to the minimum tick).
      expect(s0 * 10 ** s.price_precision, s.symbol).toBeGreaterThanOrEqual(100);
      // A simulated bar a few years in is a positive safe integer price at the symbol's tick size.
      const bar = simulatedDailyBar(s, 2_000);
      for (const p of [bar.o, bar.h, bar.l, bar.c]) {
        expect(Number.isSafeInteger(p) && p > 0, s.symbol).toBe(true);
        expect(p % (PRICE_SCALE / 10 ** s.price_precision), s.symbol).toBe(0);
      }
    }
    expect(SYMBOLS.filter((s) => s.asset_class === "crypto").length).toBeGreaterThanOrEqual(4);
  });

  it("keeps the ten demo symbols first with their simulator parameters (demo history stays the same)", () => {
    const demo = SYMBOLS.filter((s) => s.demo);
    expect(demo.map((s) => [s.symbol, s.sim.s0, s.sim.mu, s.sim.sigma, s.fractionable])).toEqual([
      ["AAPL", 75, 0.12, 0.28, true],
      ["MSFT", 160, 0.12, 0.26, true],
      ["NVDA", 6, 0.3, 0.5, true],
      ["AMZN", 95, 0.1, 0.32, true],
      ["TSLA", 28, 0.15, 0.6, true],
      ["SPY", 320, 0.08, 0.18, true],
      ["VTI", 160, 0.08, 0.19, true],
      ["BRK.B", 225, 0.09, 0.2, false],
      ["BTC-USD", 7_200, 0.35, 0.7, true],
      ["ETH-USD", 130, 0.35, 0.85, true],
    ]);
    expect(SYMBOLS.slice(0, demo.length)).toEqual(demo);
  });
});

describe("searchSymbols", () => {
  it("filters by asset class", () => {
    const crypto = searchSymbols("crypto", undefined);
    expect(crypto.length).toBe(SYMBOLS.filter((s) => s.asset_class === "crypto").length);
    expect(crypto.every((s) => s.asset_class === "crypto")).toBe(true);
    expect(searchSymbols("us_equity", undefined).length + crypto.length).toBe(SYMBOLS.length);
    expect(searchSymbols(undefined, undefined)).toEqual(SYMBOLS);
  });

  it("matches symbol or name, case-insensitive, exact symbol then prefix then substring", () => {
    const names = (q: string, c?: "us_equity" | "crypto") => searchSymbols(c, q).map((s) => s.symbol);
    expect(names("apple")).toEqual(["AAPL"]);
    // "ma": MA exactly, then symbols starting with MA, then names or symbols containing it.
    const ma = names("ma");
    expect(ma[0]).toBe("MA");
    const firstNonPrefix = ma.findIndex((s) => !s.startsWith("MA"));
    expect(ma.slice(firstNonPrefix).every((s) => !s.startsWith("MA"))).toBe(true);
    expect(ma).toContain("AMZN"); // Amazon.com
    expect(ma).toContain("VTI"); // Vanguard Total Stock Market ETF
    for (const s of ma) {
      const spec = symbolSpec(s)!;
      expect(spec.symbol.includes("MA") || spec.name.toUpperCase().includes("MA"), s).toBe(true);
    }
    expect(names("MA").length).toBe(ma.length);
    expect(names("-usd")).toEqual(SYMBOLS.filter((s) => s.symbol.endsWith("-USD")).map((s) => s.symbol));
    expect(names("-usd", "us_equity")).toEqual([]);
    expect(names("brk")).toEqual(["BRK.B", "BRK.A"]);
    expect(names("zzzz-nothing")).toEqual([]);
  });
});
