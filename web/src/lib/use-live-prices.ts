/**
 * The latest trade price of some symbols, live from the market socket (one
 * connection for all of them, lib/market-socket.ts: snapshot on subscribe,
 * then each trade; a gap resyncs). Each price carries when it arrived, so a
 * page can tell whether it is newer than an API read it started earlier.
 */
import { useEffect, useState } from "preact/hooks";
import { openMarketSocket } from "./market-socket";

export interface LivePrice {
  p: string;
  /** Date.now() when it arrived. */
  at: number;
}

export function useLivePrices(symbols: readonly string[]): Map<string, LivePrice> {
  const [prices, setPrices] = useState<Map<string, LivePrice>>(() => new Map());
  const key = [...new Set(symbols)].sort().join(",");
  useEffect(() => {
    if (!key) return;
    const set = (symbol: string, p: string) => setPrices((m) => new Map(m).set(symbol, { p, at: Date.now() }));
    return openMarketSocket({
      symbols: key.split(","),
      onSnapshot: (s) => s.latest_trade && set(s.symbol, s.latest_trade.p),
      onTrade: (t) => set(t.S, t.p),
    });
  }, [key]);
  return prices;
}
