/**
 * What the MarketDO publishes, in the stream's wire form (short fields as
 * Alpaca's, prices and sizes as decimal strings, times as RFC 3339), and the
 * snapshot a subscriber starts from.
 */
import { formatScaled, formatScaledBig, PRICE_DECIMALS, QTY_DECIMALS } from "../../src/domain/market/decimal";
import type { StoredBar } from "./store";

export interface TradeFrame {
  T: "t";
  S: string;
  p: string;
  s: string;
  t: string;
  /** The trade's place in the symbol's gap-free sequence. */
  q: number;
}
export interface BarFrame {
  T: "b";
  S: string;
  o: string;
  h: string;
  l: string;
  c: string;
  v: string;
  n: number;
  t: string;
  /** The symbol's sequence when the bar was published (the trade that closed it). */
  q: number;
}
export interface StatusFrame {
  T: "s";
  S: string;
  sc: "open" | "closed" | "halted";
  t: string;
  q: number;
}
export type DataFrame = TradeFrame | BarFrame | StatusFrame;

/** A published batch: `b` orders the symbol's batches (a subscriber skips those its snapshot already covers). */
export interface Batch {
  b: number;
  frames: DataFrame[];
}

export const price = (scaled: number) => formatScaled(scaled, PRICE_DECIMALS);
export const qty = (scaled: number) => formatScaled(scaled, QTY_DECIMALS);
export const iso = (t: number) => new Date(t).toISOString();

export function tradeFrame(symbol: string, q: number, trade: { t: number; price: number; size: number }): TradeFrame {
  return { T: "t", S: symbol, p: price(trade.price), s: qty(trade.size), t: iso(trade.t), q };
}

export interface BarView {
  t: string;
  o: string;
  h: string;
  l: string;
  c: string;
  v: string;
  n: number;
}

export function barView(b: StoredBar): BarView {
  return { t: iso(b.t), o: price(b.o), h: price(b.h), l: price(b.l), c: price(b.c), v: formatScaledBig(b.v, QTY_DECIMALS), n: b.n };
}

export function barFrame(symbol: string, q: number, b: StoredBar): BarFrame {
  return { T: "b", S: symbol, ...barView(b), q };
}

export interface Snapshot {
  symbol: string;
  /** The latest trade's q: the next trade a subscriber sees is seq + 1. */
  seq: number;
  status: "open" | "closed" | "halted";
  latest_trade: { p: string; s: string; t: string; q: number } | null;
  minute_bar: BarView | null;
  daily_bar: BarView | null;
  prev_close: string | null;
}
