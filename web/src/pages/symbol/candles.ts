/**
 * The symbol chart's timeframes and candles: each timeframe's bucket size and
 * default window (1Min: the last 2 hours, 1Hour: the last 10 days, 1Day: the
 * last year), the bars API's bars as candles, and a live trade folded into the
 * candle of its bucket (UTC, as the server buckets them). Floats here are for
 * drawing only; prices on screen come from the exact strings.
 */
import type { Bar } from "../../api/market-types";
import type { Candle } from "../../components/price-chart";
import type { MinuteBar } from "../../lib/market-socket";

export type Timeframe = "1Min" | "1Hour" | "1Day";

export interface TimeframeSpec {
  value: Timeframe;
  /** The control's text. */
  label: string;
  /** How the chart's label names a candle ("Hourly candles…, 240 hours"). */
  adjective: string;
  unit: string;
  /** Bucket size, seconds. */
  seconds: number;
  /** How far back the chart loads, ms. */
  windowMs: number;
}

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

export const TIMEFRAMES: readonly TimeframeSpec[] = [
  { value: "1Min", label: "1 min", adjective: "Minute", unit: "minutes", seconds: 60, windowMs: 2 * HOUR_MS },
  { value: "1Hour", label: "1 hour", adjective: "Hourly", unit: "hours", seconds: 3_600, windowMs: 10 * DAY_MS },
  { value: "1Day", label: "1 day", adjective: "Daily", unit: "days", seconds: 86_400, windowMs: 366 * DAY_MS },
];

export const timeframeSpec = (tf: Timeframe): TimeframeSpec => TIMEFRAMES.find((x) => x.value === tf)!;

/** The bars query of a timeframe's default window ending now. */
export function barsWindow(tf: Timeframe, now = Date.now()): { from: string; to: string } {
  return { from: new Date(now - timeframeSpec(tf).windowMs).toISOString(), to: new Date(now + 60_000).toISOString() };
}

export function toCandle(b: Bar | MinuteBar): Candle {
  return { time: Math.floor(Date.parse(b.t) / 1000), open: Number(b.o), high: Number(b.h), low: Number(b.l), close: Number(b.c) };
}

/** The candles with `price` at `t` folded into its bucket: the current candle moves, a new bucket opens one. */
export function withTrade(candles: Candle[], price: number, t: string, tf: Timeframe): Candle[] {
  const size = timeframeSpec(tf).seconds;
  const bucket = Math.floor(Date.parse(t) / 1000 / size) * size;
  const last = candles[candles.length - 1];
  if (!last || bucket > last.time) return [...candles, { time: bucket, open: price, high: price, low: price, close: price }];
  if (bucket < last.time) return candles;
  const next = { ...last, high: Math.max(last.high, price), low: Math.min(last.low, price), close: price };
  return [...candles.slice(0, -1), next];
}

/** A streamed minute bar as the server has it: it replaces (or appends) its minute's candle on the 1Min chart. */
export function withMinuteBar(candles: Candle[], bar: MinuteBar): Candle[] {
  const c = toCandle(bar);
  const last = candles[candles.length - 1];
  if (!last || c.time > last.time) return [...candles, c];
  if (c.time < last.time) return candles;
  return [...candles.slice(0, -1), c];
}

/** The API's bars oldest first, as candles. */
export function historyCandles(bars: (Bar | null)[]): Candle[] {
  return bars
    .filter((b): b is Bar => b !== null)
    .map(toCandle)
    .sort((a, b) => a.time - b.time);
}
