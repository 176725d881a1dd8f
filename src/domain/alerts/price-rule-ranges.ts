/**
 * Which price alert rules a trade can change, as threshold ranges: the index
 * the symbol's object keeps on (condition, armed, threshold) is read only in
 * these ranges, so a trade visits the rules it fires or re-arms (and the few
 * armed every_time rules that hold but are still throttled), never every
 * rule of the symbol. Exact by construction against evaluateRule:
 *
 * - An armed rule can fire only where its level holds at the trade (for a
 *   crossing also not at the previous trade): greater_than below the price,
 *   less_than above it, crossing_up in (previous, price], crossing_down in
 *   [price, previous), a percent rule at or below the trade's move in basis
 *   points on the previous close (integer thresholds, so floor is exact).
 * - A disarmed rule (every_time after a firing) changes only by re-arming,
 *   which happens where its level does not hold at the trade: the complement.
 * - Any other rule keeps its state: evaluateRule returns fires = false and
 *   the armed flag it has. An active `once` rule is always stored armed (its
 *   verdict never reads the flag), so it is found by the armed ranges.
 *
 * Ranges are inclusive integer intervals of the stored threshold (a price at
 * PRICE_SCALE, or basis points for percent rules).
 */
import type { PriceCondition, TradeContext } from "./price-rules";

export interface ThresholdRange {
  condition: PriceCondition;
  armed: 0 | 1;
  lo: number;
  hi: number;
}

/** Below and above every threshold (prices are at most 10^15, percents at most 10^5 bp). */
export const THRESHOLD_MIN = -Number.MAX_SAFE_INTEGER;
export const THRESHOLD_MAX = Number.MAX_SAFE_INTEGER;

/** The largest percent threshold (bp) whose level holds at the trade for a move `up` or down, or null without a usable close. */
export function percentBound(direction: "up" | "down", price: number, previousClose: number | null): number | null {
  if (previousClose === null || previousClose <= 0) return null;
  const move = direction === "up" ? BigInt(price) - BigInt(previousClose) : BigInt(previousClose) - BigInt(price);
  // levelHolds: move · 10^4 ≥ threshold · close ⇔ threshold ≤ ⌊move · 10^4 / close⌋ (close > 0, thresholds are integers).
  const scaled = move * 10_000n;
  const q = scaled / BigInt(previousClose);
  const floor = scaled < 0n && q * BigInt(previousClose) !== scaled ? q - 1n : q;
  // Clamped into the safe range: thresholds are far inside it.
  if (floor > BigInt(THRESHOLD_MAX)) return THRESHOLD_MAX;
  if (floor < BigInt(THRESHOLD_MIN)) return THRESHOLD_MIN;
  return Number(floor);
}

/** The threshold ranges, per condition and armed flag, holding every rule whose state the trade may change. */
export function changeRanges(trade: TradeContext): ThresholdRange[] {
  const p = trade.price;
  const prev = trade.previous;
  const out: ThresholdRange[] = [];
  const add = (condition: PriceCondition, armed: 0 | 1, lo: number, hi: number) => {
    if (lo <= hi) out.push({ condition, armed, lo, hi });
  };
  // Armed: where the rule may fire.
  add("greater_than", 1, THRESHOLD_MIN, p - 1);
  add("less_than", 1, p + 1, THRESHOLD_MAX);
  if (prev !== null) {
    add("crossing_up", 1, prev + 1, p);
    add("crossing_down", 1, p, prev - 1);
  }
  // Disarmed: where the level no longer holds, so the rule re-arms.
  add("greater_than", 0, p, THRESHOLD_MAX);
  add("less_than", 0, THRESHOLD_MIN, p);
  add("crossing_up", 0, p + 1, THRESHOLD_MAX);
  add("crossing_down", 0, THRESHOLD_MIN, p - 1);
  for (const [condition, direction] of [
    ["percent_change_up", "up"],
    ["percent_change_down", "down"],
  ] as const) {
    const bound = percentBound(direction, p, trade.previous_close);
    if (bound === null) {
      add(condition, 0, THRESHOLD_MIN, THRESHOLD_MAX);
    } else {
      add(condition, 1, THRESHOLD_MIN, bound);
      if (bound < THRESHOLD_MAX) add(condition, 0, bound + 1, THRESHOLD_MAX);
    }
  }
  return out;
}
