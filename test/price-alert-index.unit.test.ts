/**
 * The level index's ranges (src/domain/alerts/price-rule-ranges.ts) against
 * the rule semantics (evaluateRule): over random rules and trades, every rule
 * whose state a trade changes lies in a range, and a rule in a range that
 * does not change is an armed every_time rule whose level holds (throttled,
 * or a crossing already beyond its level).
 */
import { describe, expect, it } from "vitest";
import { changeRanges, percentBound } from "../src/domain/alerts/price-rule-ranges";
import { evaluateRule, levelHolds, PRICE_CONDITIONS, type RuleState, type TradeContext } from "../src/domain/alerts/price-rules";
import { rng } from "./helpers/random";

const D = 1_000_000; // one cent at PRICE_SCALE

describe("percentBound", () => {
  it("is the largest threshold whose level holds, exactly at the boundary", () => {
    const close = 100 * 100 * D;
    const cases: [number, number][] = [
      [105 * 100 * D, 500],
      [105 * 100 * D - D, 499],
      [95 * 100 * D, -500],
      [close, 0],
    ];
    for (const [price, bp] of cases) {
      const b = percentBound("up", price, close)!;
      expect(b).toBe(bp);
      if (b >= 1) expect(levelHolds("percent_change_up", b, price, close)).toBe(true);
      expect(levelHolds("percent_change_up", b + 1, price, close)).toBe(false);
    }
    expect(percentBound("down", 95 * 100 * D + 1, close)).toBe(499);
    expect(percentBound("up", 5, null)).toBeNull();
    expect(percentBound("up", 5, 0)).toBeNull();
  });
});

describe("changeRanges", () => {
  it("holds every rule a trade changes (200,000 random rule/trade pairs)", () => {
    const r = rng(20261204);
    const pick = <T>(xs: readonly T[]) => xs[Math.floor(r() * xs.length)]!;
    let changed = 0;
    let extra = 0;
    for (let i = 0; i < 200_000; i++) {
      const condition = pick(PRICE_CONDITIONS);
      const percent = condition.startsWith("percent");
      const rule: RuleState = {
        condition,
        threshold: percent ? 1 + Math.floor(r() * 800) : (9_500 + Math.floor(r() * 1_000)) * D,
        frequency: pick(["once", "every_time"] as const),
        armed: r() < 0.5,
        last_fired_t: r() < 0.5 ? null : 1_000_000 - Math.floor(r() * 120_000),
      };
      if (rule.frequency === "once") rule.armed = true; // stored so (schema V5)
      const trade: TradeContext = {
        price: (9_500 + Math.floor(r() * 1_000)) * D,
        t: 1_000_000,
        previous: r() < 0.1 ? null : (9_500 + Math.floor(r() * 1_000)) * D,
        previous_close: r() < 0.1 ? null : (9_700 + Math.floor(r() * 600)) * D,
      };
      const v = evaluateRule(rule, trade);
      const changes = v.fires || v.armed !== rule.armed;
      const armed = rule.armed ? 1 : 0;
      const inRange = changeRanges(trade).some(
        (g) => g.condition === rule.condition && g.armed === armed && g.lo <= rule.threshold && rule.threshold <= g.hi,
      );
      if (changes) {
        changed++;
        expect(inRange, JSON.stringify({ rule, trade, v })).toBe(true);
      } else if (inRange) {
        extra++;
        // Only an armed every_time rule at its level is read without a change.
        expect(rule.frequency, JSON.stringify({ rule, trade })).toBe("every_time");
        expect(rule.armed).toBe(true);
        expect(levelHolds(rule.condition, rule.threshold, trade.price, trade.previous_close)).toBe(true);
      }
    }
    expect(changed).toBeGreaterThan(10_000);
    expect(extra).toBeGreaterThan(0);
  });

  it("gives one disjoint range per condition and armed flag", () => {
    for (const trade of [
      { price: 100 * D, t: 0, previous: 99 * D, previous_close: 98 * D },
      { price: 100 * D, t: 0, previous: null, previous_close: null },
      { price: 100 * D, t: 0, previous: 101 * D, previous_close: 120 * D },
    ]) {
      const keys = changeRanges(trade).map((g) => `${g.condition}/${g.armed}`);
      expect(new Set(keys).size).toBe(keys.length);
    }
  });
});
