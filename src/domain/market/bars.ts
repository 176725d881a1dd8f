/**
 * OHLCV bars from trades: the bucket a trade falls in for a timeframe, and a
 * bar updated by one more trade. Prices at PRICE_SCALE, volumes at QTY_SCALE.
 */

export const TIMEFRAMES = ["1Min", "1Hour", "1Day"] as const;
export type Timeframe = (typeof TIMEFRAMES)[number];

const BUCKET_MS: Record<Timeframe, number> = { "1Min": 60_000, "1Hour": 3_600_000, "1Day": 86_400_000 };

export interface Bar {
  /** Bucket start, epoch ms (UTC). */
  t: number;
  o: number;
  h: number;
  l: number;
  c: number;
  v: number;
  /** Trades in the bar. */
  n: number;
}

export function bucketStart(t: number, timeframe: Timeframe): number {
  const size = BUCKET_MS[timeframe];
  return Math.floor(t / size) * size;
}

/**
 * The bar after one more trade. A trade older than the bar's last one (ticks
 * may arrive slightly out of order) updates high, low and volume but not the
 * close, which belongs to the latest trade.
 */
export function addTrade(
  bar: Bar | null,
  trade: { t: number; price: number; size: number },
  timeframe: Timeframe,
  lastTradeT: number,
): Bar {
  const t = bucketStart(trade.t, timeframe);
  if (!bar || bar.t !== t) return { t, o: trade.price, h: trade.price, l: trade.price, c: trade.price, v: trade.size, n: 1 };
  return {
    t,
    o: bar.o,
    h: Math.max(bar.h, trade.price),
    l: Math.min(bar.l, trade.price),
    c: trade.t >= lastTradeT ? trade.price : bar.c,
    v: bar.v + trade.size,
    n: bar.n + 1,
  };
}
