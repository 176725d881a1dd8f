/**
 * The MarketDO's storage, the only code that touches its SQLite: the state
 * row, trades, bars, listeners and the event outbox. Synchronous; callers wrap
 * a batch of writes in one `transactionSync`.
 */
import { bucketStart, type Timeframe, TIMEFRAMES } from "../../src/domain/market/bars";
import type { HistoryBar } from "../../src/domain/market/history-csv";
import type { ValidTick } from "../../src/domain/market/ticks";
import { migrate } from "./schema";

/** Trades kept for reads and resync; older ones are pruned (bars keep the history). */
export const TRADE_RETENTION = 10_000;
/** Minute bars kept (7 days); hour and day bars are kept. */
const MINUTE_RETENTION_MS = 7 * 86_400_000;

export interface MarketState {
  symbol: string;
  seq: number;
  last_t: number | null;
  last_price: number | null;
  last_size: number | null;
  status: string;
  sim_step: number;
  event_seq: number;
  event_minute: number;
  close_day: number;
}

export interface StoredBar {
  t: number;
  o: number;
  h: number;
  l: number;
  c: number;
  /** At QTY_SCALE, as decimal digits (may pass 2^53). */
  v: string;
  n: number;
}

export class MarketStore {
  #state: MarketState;

  constructor(
    readonly sql: SqlStorage,
    symbol: string,
  ) {
    migrate(sql);
    sql.exec("INSERT OR IGNORE INTO market_state (id, symbol) VALUES (1, ?)", symbol);
    this.#state = this.#readState();
  }

  #readState(): MarketState {
    return this.sql.exec<MarketState & Record<string, SqlStorageValue>>("SELECT * FROM market_state WHERE id = 1").one();
  }

  get state(): Readonly<MarketState> {
    return this.#state;
  }

  /** Appends an accepted trade: the next q, the trade row and its bar in every timeframe. */
  appendTrade(tick: ValidTick): number {
    const q = this.#state.seq + 1;
    const newest = this.#state.last_t === null || tick.t >= this.#state.last_t;
    this.sql.exec("INSERT INTO trades (q, t, price, size) VALUES (?, ?, ?, ?)", q, tick.t, tick.price, tick.size);
    for (const tf of TIMEFRAMES) {
      this.sql.exec(
        `INSERT INTO bars (tf, t, o, h, l, c, v, n, last_t) VALUES (?1, ?2, ?3, ?3, ?3, ?3, ?4, 1, ?5)
         ON CONFLICT (tf, t) DO UPDATE SET h = max(h, ?3), l = min(l, ?3),
           c = CASE WHEN ?5 >= last_t THEN ?3 ELSE c END, last_t = max(last_t, ?5), v = v + ?4, n = n + 1`,
        tf,
        bucketStart(tick.t, tf),
        tick.price,
        tick.size,
        tick.t,
      );
    }
    const s = this.#state;
    if (newest) Object.assign(s, { last_t: tick.t, last_price: tick.price, last_size: tick.size });
    s.seq = q;
    this.sql.exec(
      "UPDATE market_state SET seq = ?, last_t = ?, last_price = ?, last_size = ? WHERE id = 1",
      q,
      s.last_t,
      s.last_price,
      s.last_size,
    );
    if (q % 1000 === 0) this.#prune(tick.t);
    return q;
  }

  #prune(now: number): void {
    this.sql.exec("DELETE FROM trades WHERE q <= ?", this.#state.seq - TRADE_RETENTION);
    this.sql.exec("DELETE FROM bars WHERE tf = '1Min' AND t < ?", now - MINUTE_RETENTION_MS);
  }

  /** Updates fields of the state row that are not the trade itself (status, simulator, events). */
  setState(changes: Partial<Pick<MarketState, "status" | "sim_step" | "event_seq" | "event_minute" | "close_day">>): void {
    Object.assign(this.#state, changes);
    const s = this.#state;
    this.sql.exec(
      "UPDATE market_state SET status = ?, sim_step = ?, event_seq = ?, event_minute = ?, close_day = ? WHERE id = 1",
      s.status,
      s.sim_step,
      s.event_seq,
      s.event_minute,
      s.close_day,
    );
  }

  bar(tf: Timeframe, t: number): StoredBar | null {
    return this.#bars("SELECT t, o, h, l, c, CAST(v AS TEXT) AS v, n FROM bars WHERE tf = ? AND t = ?", tf, t)[0] ?? null;
  }

  /** The latest bar of a timeframe, and the one before it. */
  latestBars(tf: Timeframe, limit: number): StoredBar[] {
    return this.#bars("SELECT t, o, h, l, c, CAST(v AS TEXT) AS v, n FROM bars WHERE tf = ? ORDER BY t DESC LIMIT ?", tf, limit);
  }

  /** Bars with from ≤ t < to, ascending, after `afterT` (the cursor). */
  listBars(tf: Timeframe, from: number, to: number, afterT: number | null, limit: number): StoredBar[] {
    return this.#bars(
      "SELECT t, o, h, l, c, CAST(v AS TEXT) AS v, n FROM bars WHERE tf = ? AND t >= ? AND t < ? AND t > ? ORDER BY t LIMIT ?",
      tf,
      from,
      to,
      afterT ?? -1,
      limit,
    );
  }

  #bars(query: string, ...args: SqlStorageValue[]): StoredBar[] {
    return this.sql
      .exec<StoredBar & Record<string, SqlStorageValue>>(query, ...args)
      .toArray()
      .map((r) => ({ ...r }));
  }

  /** The close of the last daily bar before `dayStart` (the previous session's close), or null. */
  closeBefore(dayStart: number): number | null {
    return (
      this.sql.exec<{ c: number }>("SELECT c FROM bars WHERE tf = '1Day' AND t < ? ORDER BY t DESC LIMIT 1", dayStart).toArray()[0]?.c ??
      null
    );
  }

  hasDailyBars(): boolean {
    return this.sql.exec("SELECT 1 FROM bars WHERE tf = '1Day' LIMIT 1").toArray().length > 0;
  }

  /** Writes imported daily bars, replacing the days they name. */
  putDailyBars(bars: readonly HistoryBar[]): void {
    for (const b of bars) {
      this.sql.exec(
        "INSERT OR REPLACE INTO bars (tf, t, o, h, l, c, v, n, last_t) VALUES ('1Day', ?, ?, ?, ?, ?, ?, 0, ?)",
        b.t,
        b.o,
        b.h,
        b.l,
        b.c,
        b.v.toString(),
        b.t,
      );
    }
  }

  // ---- listeners (stream hubs) ----
  listeners(): string[] {
    return this.sql
      .exec<{ hub: string }>("SELECT hub FROM listeners ORDER BY hub")
      .toArray()
      .map((r) => r.hub);
  }
  addListener(hub: string, now: number): void {
    this.sql.exec("INSERT OR IGNORE INTO listeners (hub, since) VALUES (?, ?)", hub, now);
  }
  removeListener(hub: string): void {
    this.sql.exec("DELETE FROM listeners WHERE hub = ?", hub);
  }

  // ---- outbox ----
  enqueueEvent(body: unknown): void {
    this.sql.exec("INSERT INTO outbox (body) VALUES (?)", JSON.stringify(body));
  }
  pendingEvents(limit: number): { id: number; body: string }[] {
    return this.sql.exec<{ id: number; body: string }>("SELECT id, body FROM outbox ORDER BY id LIMIT ?", limit).toArray();
  }
  deleteEventsThrough(id: number): void {
    this.sql.exec("DELETE FROM outbox WHERE id <= ?", id);
  }
}

export { TIMEFRAMES };
