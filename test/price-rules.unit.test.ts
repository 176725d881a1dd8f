/**
 * Price alert rules, pure (src/domain/alerts/price-rules.ts): crossing
 * semantics against the previous trade, strict levels, percent change on the
 * previous close (exact, in integers), once vs every_time with its re-arm and
 * throttle, and the value each condition accepts.
 */
import { describe, expect, it } from "vitest";
import {
  EVERY_TIME_THROTTLE_MS,
  evaluateRule,
  type Frequency,
  type PriceCondition,
  parseRuleValue,
  type RuleState,
} from "../src/domain/alerts/price-rules";

const P = (dollars: number) => Math.round(dollars * 100) * 1_000_000; // PRICE_SCALE 10^8
const rule = (condition: PriceCondition, threshold: number, frequency: Frequency = "once"): RuleState => ({
  condition,
  threshold,
  frequency,
  armed: true,
  last_fired_t: null,
});

/** Runs a rule over a price path; returns the indexes of the trades that fired. */
function run(r: RuleState, prices: number[], opts: { close?: number | null; start?: number | null; stepMs?: number } = {}): number[] {
  const fired: number[] = [];
  let previous = opts.start === undefined ? null : opts.start;
  let state = { ...r };
  prices.forEach((price, i) => {
    const t = 1_000_000 + i * (opts.stepMs ?? 1_000);
    const v = evaluateRule(state, { price, t, previous, previous_close: opts.close ?? null });
    if (v.fires) {
      fired.push(i);
      state = { ...state, last_fired_t: t };
    }
    state = { ...state, armed: v.armed };
    if (state.frequency === "once" && v.fires) state = { ...state, armed: false, threshold: Number.NaN }; // triggered: never again
    previous = price;
  });
  return fired;
}

describe("crossings against the previous trade", () => {
  it("crossing_up fires when a trade reaches the value from below, not on the first trade or when already above", () => {
    expect(run(rule("crossing_up", P(150)), [P(149), P(150)])).toEqual([1]); // reaching it counts
    expect(run(rule("crossing_up", P(150)), [P(151)])).toEqual([]); // no previous trade: no crossing
    expect(run(rule("crossing_up", P(150)), [P(151), P(152)])).toEqual([]); // already above
    expect(run(rule("crossing_up", P(150)), [P(151)], { start: P(149.99) })).toEqual([0]);
    expect(run(rule("crossing_up", P(150)), [P(149.99), P(149.98)])).toEqual([]);
    expect(run(rule("crossing_up", P(150)), [P(160), P(140)])).toEqual([]); // a fall is not a crossing up
  });

  it("crossing_down mirrors it", () => {
    expect(run(rule("crossing_down", P(100)), [P(101), P(100)])).toEqual([1]);
    expect(run(rule("crossing_down", P(100)), [P(99), P(98)])).toEqual([]);
    expect(run(rule("crossing_down", P(100)), [P(100.01), P(120), P(99.5)])).toEqual([2]);
  });

  it("a once rule fires a single time however often the price crosses", () => {
    expect(run(rule("crossing_up", P(150)), [P(149), P(151), P(149), P(151)])).toEqual([1]);
  });
});

describe("levels", () => {
  it("greater_than and less_than are strict and need no previous trade", () => {
    expect(run(rule("greater_than", P(150)), [P(150), P(150.01)])).toEqual([1]);
    expect(run(rule("greater_than", P(150)), [P(151)])).toEqual([0]);
    expect(run(rule("less_than", P(20)), [P(20), P(19.99)])).toEqual([1]);
  });
});

describe("percent change on the previous close", () => {
  it("fires at the threshold exactly, in integers", () => {
    // 5 % of 100.00 is 5.00: 105.00 fires, 104.99 does not.
    expect(run(rule("percent_change_up", 500), [P(104.99), P(105)], { close: P(100) })).toEqual([1]);
    expect(run(rule("percent_change_down", 250), [P(97.51), P(97.5)], { close: P(100) })).toEqual([1]);
    // No previous close: never.
    expect(run(rule("percent_change_up", 100), [P(500)], { close: null })).toEqual([]);
    // A 1000 % move on a 10^7 price stays exact (BigInt).
    expect(run(rule("percent_change_up", 100_000), [10_000_000 * 10 ** 8], { close: 900_000 * 10 ** 8 })).toEqual([0]);
  });
});

describe("every_time: re-armed after the price goes back, throttled", () => {
  it("fires on each crossing when they are at least a minute apart", () => {
    const step = EVERY_TIME_THROTTLE_MS;
    expect(run(rule("crossing_up", P(150), "every_time"), [P(149), P(151), P(149), P(151), P(152)], { stepMs: step })).toEqual([1, 3]);
  });

  it("a level fires once while it holds, again only after the price went back", () => {
    const step = EVERY_TIME_THROTTLE_MS;
    expect(run(rule("greater_than", P(150), "every_time"), [P(151), P(152), P(153), P(149), P(151)], { stepMs: step })).toEqual([0, 4]);
  });

  it("at most once per minute of trade time", () => {
    // Crossings 1 s apart: the second and third fall inside the minute.
    expect(run(rule("crossing_up", P(150), "every_time"), [P(149), P(151), P(149), P(151), P(149), P(151)], { stepMs: 1_000 })).toEqual([
      1,
    ]);
    // A level back above inside the minute is held back, and fires once the minute has passed if it still holds.
    expect(
      run(rule("greater_than", P(150), "every_time"), [P(151), P(149), P(151), P(151)], { stepMs: EVERY_TIME_THROTTLE_MS / 3 }),
    ).toEqual([0, 3]);
  });
});

describe("values", () => {
  it("a price at the symbol's precision, a percent with 2 decimals; anything else refused", () => {
    expect(parseRuleValue("crossing_up", "150.25", 2)).toEqual({ ok: true, threshold: 15_025_000_000, value: "150.25" });
    expect(parseRuleValue("crossing_up", "150.00", 2)).toMatchObject({ ok: true, value: "150" });
    expect(parseRuleValue("percent_change_up", "2.5", 2)).toEqual({ ok: true, threshold: 250, value: "2.5" });
    for (const bad of ["150.255", "-1", "0", "1e3", " 1", "abc", "", "10000000.01", "99999999999999999999"])
      expect(parseRuleValue("greater_than", bad, 2).ok, bad).toBe(false);
    for (const bad of ["0", "0.001", "1000.01", "-5", "5%"]) expect(parseRuleValue("percent_change_down", bad, 2).ok, bad).toBe(false);
    expect(parseRuleValue("percent_change_down", "1000", 2).ok).toBe(true);
  });
});
