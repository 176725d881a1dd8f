/**
 * Accepting ticks into a symbol: validate each (src/domain/market/ticks.ts),
 * append the accepted ones (gap-free q, bars), and say what to publish — a
 * trade frame per trade, the minute bar each new minute closes — and which
 * `market_price_updated` events the pipeline gets (at most one per minute,
 * plus each day's close). Runs inside one storage transaction.
 */
import { bucketStart } from "../../src/domain/market/bars";
import type { SymbolSpec } from "../../src/domain/market/symbols";
import { type RawTick, validateTick } from "../../src/domain/market/ticks";
import { DAY_MS } from "../../src/domain/market/simulator";
import { barFrame, type DataFrame, iso, price, tradeFrame } from "./frames";
import type { MarketStore } from "./store";

export type TickResult = { status: "accepted"; q: number } | { status: "refused"; reason: string };

export interface Accepted {
  results: TickResult[];
  frames: DataFrame[];
  /** The trades accepted, for whatever evaluates each tick (orders, alerts). */
  trades: { q: number; t: number; price: number; size: number }[];
}

export function acceptTicks(store: MarketStore, spec: SymbolSpec, ticks: readonly RawTick[], now: number): Accepted {
  const out: Accepted = { results: [], frames: [], trades: [] };
  for (const raw of ticks) {
    const verdict =
      raw.symbol === spec.symbol ? validateTick(raw, store.state.last_t, now) : ({ ok: false, reason: "another symbol's tick" } as const);
    if (!verdict.ok) {
      out.results.push({ status: "refused", reason: verdict.reason });
      continue;
    }
    const tick = verdict.tick;
    const before = store.state.last_t;
    const q = store.appendTrade(tick);
    out.results.push({ status: "accepted", q });
    out.trades.push({ q, t: tick.t, price: tick.price, size: tick.size });
    out.frames.push(tradeFrame(spec.symbol, q, tick));
    // A trade in a later minute closes the previous minute's bar.
    if (before !== null && bucketStart(tick.t, "1Min") > bucketStart(before, "1Min")) {
      const closed = store.bar("1Min", bucketStart(before, "1Min"));
      if (closed) out.frames.push(barFrame(spec.symbol, q, closed));
    }
    priceEvents(store, spec, tick.t, now);
  }
  return out;
}

/** The pipeline's events for a trade at `t`: the day's close when the day rolled over, the minute's price when it is new. */
function priceEvents(store: MarketStore, spec: SymbolSpec, t: number, now: number): void {
  const s = store.state;
  const day = Math.floor(t / DAY_MS);
  if (s.close_day !== 0 && day > s.close_day) {
    const closed = store.bar("1Day", s.close_day * DAY_MS);
    if (closed) enqueue(store, spec, "daily_close", closed.t + DAY_MS - 1, closed.c, now);
  }
  if (day > s.close_day) store.setState({ close_day: day });
  const minute = bucketStart(t, "1Min");
  if (minute > s.event_minute && s.last_price !== null) {
    store.setState({ event_minute: minute });
    enqueue(store, spec, "minute", t, s.last_price, now);
  }
}

function enqueue(store: MarketStore, spec: SymbolSpec, reason: "minute" | "daily_close", at: number, scaled: number, now: number) {
  const seq = store.state.event_seq + 1;
  store.setState({ event_seq: seq });
  store.enqueueEvent({
    event_id: `mkt_${spec.symbol}_${reason === "minute" ? "m" : "d"}${at}`,
    type: "market_price_updated",
    version: 1,
    occurred_at: iso(at),
    recorded_at: iso(now),
    account_id: `market:${spec.symbol}`,
    user_id: "market",
    seq,
    payload: {
      symbol: spec.symbol,
      asset_class: spec.asset_class,
      currency: spec.currency,
      price: price(scaled),
      reason,
      q: store.state.seq,
    },
  });
}
