/**
 * MarketDO: one per symbol (named by the symbol), the source of truth for its
 * prices. A thin shell over durable/market/: ticks in (feeder or the built-in
 * simulator) → validated, appended with a gap-free `q`, bars updated, in one
 * SQLite transaction → published to the stream hubs listening, price events
 * to the pipeline's outbox, and every accepted trade to `#onTick` (where
 * order and alert evaluation hooks in). Resting limit orders and price alert
 * rules are evaluated on each trade inside its transaction. The simulator
 * runs on the object's alarm only while a hub listens, an order rests or an
 * alert rule waits: an idle symbol costs nothing.
 * Public members are exactly its RPC API.
 */
import { DurableObject } from "cloudflare:workers";
import type { Timeframe } from "../src/domain/market/bars";
import { calendarMode, isOpen } from "../src/domain/market/clock";
import type { HistoryBar } from "../src/domain/market/history-csv";
import { type SymbolSpec, symbolSpec } from "../src/domain/market/symbols";
import type { RawTick } from "../src/domain/market/ticks";
import { Fanout } from "./market/fanout";
import { acceptTicks, type TickResult } from "./market/feed";
import { type Batch, barView, type DataFrame, iso, price, qty, type Snapshot } from "./market/frames";
import { backfillBars, nextStepAt, SimulatedFeed } from "./market/simulation";
import { type BookedOrder, OrderBook } from "./market/order-book";
import { type NewPriceAlert, PriceAlerts, type RuleTerms, raiseAlerts, type StoredPriceAlert } from "./market/price-alerts";
import { RiskWatchers } from "./market/risk-watchers";
import { MarketStore } from "./market/store";

const OUTBOX_RETRY_MS = 30_000;
const FILL_RETRY_MS = 1_000;

/** Called after each committed batch of trades: the seam for order fills and price alerts. */
export type TickListener = (trades: readonly { q: number; t: number; price: number; size: number }[]) => void;

export class MarketDO extends DurableObject<Env> {
  readonly #spec: SymbolSpec;
  #store!: MarketStore;
  #book!: OrderBook;
  #alerts!: PriceAlerts;
  #riskWatchers!: RiskWatchers;
  readonly #fanout: Fanout;
  readonly #feed: SimulatedFeed;
  readonly #hubs = new Set<string>();
  readonly #tickListeners: TickListener[] = [];
  #alarmAt: number | null = null;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    const spec = symbolSpec(ctx.id.name ?? "");
    if (!spec) throw new Error(`MarketDO needs a registered symbol as its name, not ${ctx.id.name}`);
    this.#spec = spec;
    this.#feed = new SimulatedFeed(spec);
    this.#fanout = new Fanout(spec.symbol, {
      deliver: (hub, symbol, batches) => this.env.STREAM_HUB.get(this.env.STREAM_HUB.idFromName(hub)).deliver(symbol, batches),
      dropped: (hub) => this.unlisten(hub),
    });
    void ctx.blockConcurrencyWhile(async () => {
      this.#store = new MarketStore(ctx.storage.sql, spec.symbol);
      this.#book = new OrderBook(ctx.storage.sql);
      this.#alerts = new PriceAlerts(ctx.storage.sql, spec.symbol);
      this.#riskWatchers = new RiskWatchers(ctx.storage.sql);
      if (this.#simulated && !this.#store.hasDailyBars()) this.#store.putDailyBars(backfillBars(spec, Date.now()));
      for (const hub of this.#store.listeners()) this.#hubs.add(hub);
      this.#alarmAt = await ctx.storage.getAlarm();
    });
  }

  get #simulated(): boolean {
    return this.env.MARKET_SIMULATOR !== "off";
  }

  /** Whether the simulator should run: someone listens, a resting order or an alert rule waits on the symbol. */
  get #wanted(): boolean {
    return this.#simulated && (this.#hubs.size > 0 || this.#book.size() > 0 || this.#alerts.waiting(Date.now()) > 0);
  }

  // ---- ingestion ----
  ingest(ticks: RawTick[]): { results: TickResult[]; seq: number } {
    const r = this.#accept(ticks, Date.now());
    return { results: r, seq: this.#store.state.seq };
  }

  importHistory(bars: HistoryBar[]): { imported: number } {
    this.ctx.storage.transactionSync(() => this.#store.putDailyBars(bars));
    return { imported: bars.length };
  }

  // ---- reads ----
  snapshot(): Snapshot {
    const s = this.#store.state;
    const minute = this.#store.latestBars("1Min", 1)[0] ?? null;
    const [daily = null, prev = null] = this.#store.latestBars("1Day", 2);
    return {
      symbol: this.#spec.symbol,
      seq: s.seq,
      status: this.#status(Date.now()),
      latest_trade: s.last_t === null ? null : { p: price(s.last_price ?? 0), s: qty(s.last_size ?? 0), t: iso(s.last_t), q: s.seq },
      minute_bar: minute && barView(minute),
      daily_bar: daily && barView(daily),
      prev_close: prev ? price(prev.c) : null,
    };
  }

  bars(timeframe: Timeframe, from: number, to: number, afterT: number | null, limit: number) {
    const rows = this.#store.listBars(timeframe, from, to, afterT, limit + 1);
    const page = rows.slice(0, limit);
    return { bars: page.map(barView), next: rows.length > limit ? page[page.length - 1]!.t : null };
  }

  // ---- paper trading ----
  /** The current price (PRICE_SCALE) for a market order, or null before the first trade. */
  quote(): { price: number | null } {
    return { price: this.#store.state.last_price };
  }

  /** An account's resting limit order (idempotent by order id); evaluated on every accepted trade. */
  async bookOrder(o: { accountId: string; orderId: string; side: "buy" | "sell"; limitPrice: number; remaining: number }): Promise<void> {
    const row: BookedOrder = {
      account_id: o.accountId,
      order_id: o.orderId,
      side: o.side,
      limit_price: o.limitPrice,
      remaining: o.remaining,
    };
    this.ctx.storage.transactionSync(() => this.#book.add(row));
    await this.#ensureAlarm();
  }

  unbookOrder(orderId: string): void {
    this.#book.remove(orderId);
  }

  /** Deliver the fills owed to accounts; an unacknowledged one stays and the alarm retries it. */
  async #deliverFills(): Promise<{ delivered: number; pending: number }> {
    let delivered = 0;
    for (const f of this.#book.pending(50)) {
      try {
        const account = this.env.ACCOUNT.get(this.env.ACCOUNT.idFromName(f.account_id));
        await account.applyFill({ orderId: f.order_id, fillId: f.fill_id, qty: f.qty, price: f.price });
        this.#book.acknowledged(f.fill_id);
        delivered++;
      } catch (err) {
        console.error(JSON.stringify({ level: "warn", msg: "fill delivery failed", fill_id: f.fill_id, error: String(err) }));
      }
    }
    const pending = this.#book.pending(1).length;
    if (pending > 0) await this.#setAlarm(Date.now() + FILL_RETRY_MS);
    return { delivered, pending };
  }

  // ---- price alerts (the user's index lives in their UserDO) ----
  /** A user's rule on this symbol (idempotent by id); evaluated on every accepted trade until it triggers or expires. */
  async addPriceAlert(rule: NewPriceAlert): Promise<void> {
    this.ctx.storage.transactionSync(() => this.#alerts.add(rule));
    await this.#ensureAlarm();
  }

  /** The user's rules among `ids`, an expired one shown as expired (others' ids are left out). */
  priceAlerts(ids: string[], userId: string): StoredPriceAlert[] {
    const now = Date.now();
    return this.#alerts
      .get(ids, userId)
      .map((r) => (r.status === "active" && r.expires_at !== null && r.expires_at <= now ? { ...r, status: "expired" as const } : r));
  }

  /** Replaces a user's rule terms and re-arms it; false when the rule is not theirs. */
  async editPriceAlert(id: string, userId: string, terms: RuleTerms): Promise<boolean> {
    const edited = this.ctx.storage.transactionSync(() => this.#alerts.edit(id, userId, terms));
    if (edited) await this.#ensureAlarm();
    return edited;
  }

  removePriceAlert(id: string, userId: string): void {
    this.#alerts.remove(id, userId);
  }

  // ---- risk alerts: whose rules a daily close of this symbol re-evaluates ----
  watchRisk(userId: string): void {
    this.#riskWatchers.add(userId, Date.now());
  }
  unwatchRisk(userId: string): void {
    this.#riskWatchers.remove(userId);
  }
  riskWatchers(limit: number): string[] {
    return this.#riskWatchers.list(limit);
  }

  // ---- stream hubs ----
  /** A hub starts (or keeps) listening; the snapshot covers every batch up to `b`. */
  async listen(hub: string): Promise<{ snapshot: Snapshot; b: number }> {
    if (!this.#hubs.has(hub)) {
      this.#hubs.add(hub);
      this.#store.addListener(hub, Date.now());
    }
    await this.#ensureAlarm();
    return { snapshot: this.snapshot(), b: this.#fanout.batch };
  }

  unlisten(hub: string): void {
    this.#hubs.delete(hub);
    this.#store.removeListener(hub);
  }

  override async alarm(): Promise<void> {
    this.#alarmAt = null;
    const now = Date.now();
    const status = this.#status(now);
    if (status !== this.#store.state.status) {
      this.#store.setState({ status });
      this.#publish([{ T: "s", S: this.#spec.symbol, sc: status, t: iso(now), q: this.#store.state.seq }]);
    }
    if (this.#wanted && status === "open") {
      const { step, tick } = this.#feed.tickAt(now);
      if (step > this.#store.state.sim_step) {
        this.#store.setState({ sim_step: step });
        this.#accept([tick], now);
      }
    }
    await this.#drainOutbox();
    await this.#deliverFills();
    await this.#ensureAlarm();
  }

  // ---- internals ----
  #status(now: number): "open" | "closed" {
    return isOpen(calendarMode(this.env.MARKET_CALENDAR), this.#spec.asset_class, now) ? "open" : "closed";
  }

  #accept(ticks: RawTick[], now: number): TickResult[] {
    let fills = 0;
    const r = this.ctx.storage.transactionSync(() => {
      const previous = this.#store.state.last_price;
      const accepted = acceptTicks(this.#store, this.#spec, ticks, now);
      // The fill intents commit with the trades that caused them, before any account is called.
      for (const t of accepted.trades) fills += this.#book.evaluate(t, now);
      // So do the alerts they trigger, as outbox events to the rules' users.
      raiseAlerts(this.#store, this.#alerts, accepted.trades, previous, now);
      return accepted;
    });
    this.#publish(r.frames);
    if (r.trades.length > 0) for (const listener of this.#tickListeners) listener(r.trades);
    this.ctx.waitUntil(this.#drainOutbox());
    if (fills > 0) this.ctx.waitUntil(this.#deliverFills());
    return r.results;
  }

  #publish(frames: DataFrame[]): void {
    this.#fanout.publish(this.#hubs, frames);
  }

  async #drainOutbox(): Promise<void> {
    const rows = this.#store.pendingEvents(100);
    if (rows.length === 0) return;
    try {
      await this.env.EVENTS.sendBatch(rows.map((r) => ({ body: JSON.parse(r.body), contentType: "json" as const })));
      this.#store.deleteEventsThrough(rows[rows.length - 1]!.id);
    } catch (err) {
      console.error(JSON.stringify({ level: "error", msg: "market events send failed", symbol: this.#spec.symbol, error: String(err) }));
      await this.#setAlarm(Date.now() + OUTBOX_RETRY_MS);
    }
  }

  async #ensureAlarm(): Promise<void> {
    if (this.#wanted) await this.#setAlarm(nextStepAt(Date.now()));
  }

  async #setAlarm(at: number): Promise<void> {
    if (this.#alarmAt !== null && this.#alarmAt <= at) return;
    this.#alarmAt = at;
    await this.ctx.storage.setAlarm(at);
  }
}

export type { Batch };
