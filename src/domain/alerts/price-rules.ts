/**
 * Price alert rules, pure: what a rule's value means for each condition and
 * whether a trade triggers it. Prices are integers at PRICE_SCALE; a percent
 * threshold is in hundredths of a percent (basis points: "2.5" → 250).
 *
 * - crossing_up / crossing_down: the trade is at or beyond the value and the
 *   previous trade of the symbol was not (no previous trade, no crossing).
 * - greater_than / less_than: the trade is strictly above / below the value.
 * - percent_change_up / _down: the trade is at least `value` percent above /
 *   below the previous session's close (no previous close, no trigger).
 *
 * `once` fires a single time. `every_time` fires, then disarms until a trade
 * where the condition's level no longer holds ("the price went back"), and
 * fires at most once per EVERY_TIME_THROTTLE_MS of trade time.
 */
import { formatScaled, PRICE_DECIMALS, parseScaled } from "../market/decimal";

export const PRICE_CONDITIONS = [
  "crossing_up",
  "crossing_down",
  "greater_than",
  "less_than",
  "percent_change_up",
  "percent_change_down",
] as const;
export type PriceCondition = (typeof PRICE_CONDITIONS)[number];

export const FREQUENCIES = ["once", "every_time"] as const;
export type Frequency = (typeof FREQUENCIES)[number];

/** An every_time rule fires at most once per minute (of trade time). */
export const EVERY_TIME_THROTTLE_MS = 60_000;
/** Percent thresholds: up to 2 decimals, above 0 and at most 1,000 %. */
export const PERCENT_DECIMALS = 2;
export const MAX_PERCENT_BP = 100_000;

export const isPercent = (c: PriceCondition) => c === "percent_change_up" || c === "percent_change_down";

export type ValueVerdict = { ok: true; threshold: number; value: string } | { ok: false; reason: string };

/** The rule's value as its threshold: a price at the symbol's precision, or a percent (5 = 5 %). */
export function parseRuleValue(condition: PriceCondition, text: string, pricePrecision: number): ValueVerdict {
  if (isPercent(condition)) {
    const bp = parseScaled(text, PERCENT_DECIMALS);
    if (bp === null) return { ok: false, reason: `must be a percent with at most ${PERCENT_DECIMALS} decimals (5 = 5 %)` };
    if (bp <= 0 || bp > MAX_PERCENT_BP) return { ok: false, reason: "must be above 0 and at most 1000 (percent)" };
    return { ok: true, threshold: bp, value: formatScaled(bp, PERCENT_DECIMALS) };
  }
  const places = parseScaled(text, pricePrecision);
  if (places === null) return { ok: false, reason: `must be a price with at most ${pricePrecision} decimals` };
  const scaled = places * 10 ** (PRICE_DECIMALS - pricePrecision);
  if (places <= 0 || !Number.isSafeInteger(scaled) || scaled > 10 ** 7 * 10 ** PRICE_DECIMALS)
    return { ok: false, reason: "must be above 0 and at most 10000000" };
  return { ok: true, threshold: scaled, value: formatScaled(scaled, PRICE_DECIMALS) };
}

export interface RuleState {
  condition: PriceCondition;
  threshold: number;
  frequency: Frequency;
  /** every_time: whether the next trade at the level may fire (false after a firing until the price goes back). */
  armed: boolean;
  /** Trade time of the last firing, or null. */
  last_fired_t: number | null;
}

export interface TradeContext {
  price: number;
  t: number;
  /** The symbol's previous trade price, or null for its first. */
  previous: number | null;
  /** The previous session's close, or null when there is none. */
  previous_close: number | null;
}

/** Whether the condition's level holds at `price` (for crossings: at or beyond the value). */
export function levelHolds(condition: PriceCondition, threshold: number, price: number, previousClose: number | null): boolean {
  switch (condition) {
    case "crossing_up":
      return price >= threshold;
    case "crossing_down":
      return price <= threshold;
    case "greater_than":
      return price > threshold;
    case "less_than":
      return price < threshold;
    case "percent_change_up":
    case "percent_change_down": {
      if (previousClose === null || previousClose <= 0) return false;
      const move = condition === "percent_change_up" ? BigInt(price) - BigInt(previousClose) : BigInt(previousClose) - BigInt(price);
      return move * 10_000n >= BigInt(threshold) * BigInt(previousClose);
    }
  }
}

/** The trade's verdict on a rule: whether it fires and the rule's next armed flag. */
export function evaluateRule(rule: RuleState, trade: TradeContext): { fires: boolean; armed: boolean } {
  const holds = levelHolds(rule.condition, rule.threshold, trade.price, trade.previous_close);
  const crossing = rule.condition === "crossing_up" || rule.condition === "crossing_down";
  const triggered = crossing
    ? holds && trade.previous !== null && !levelHolds(rule.condition, rule.threshold, trade.previous, trade.previous_close)
    : holds;
  if (rule.frequency === "once") return { fires: triggered, armed: !triggered };
  if (!holds) return { fires: false, armed: true };
  const throttled = rule.last_fired_t !== null && trade.t - rule.last_fired_t < EVERY_TIME_THROTTLE_MS;
  if (triggered && rule.armed && !throttled) return { fires: true, armed: false };
  return { fires: false, armed: rule.armed };
}

const WORDS: Record<PriceCondition, string> = {
  crossing_up: "crossed above",
  crossing_down: "crossed below",
  greater_than: "is above",
  less_than: "is below",
  percent_change_up: "is up at least",
  percent_change_down: "is down at least",
};

/** The rule in words: "AAPL crossed above 150.00", "AAPL is up at least 5 % on the previous close". */
export function describeTrigger(symbol: string, condition: PriceCondition, value: string): string {
  return isPercent(condition) ? `${symbol} ${WORDS[condition]} ${value} % on the previous close` : `${symbol} ${WORDS[condition]} ${value}`;
}

export const priceText = (scaled: number) => formatScaled(scaled, PRICE_DECIMALS);
