/**
 * Paper trading as the AccountDO shell runs it: ask the symbol's MarketDO for
 * its price (outside any transaction), decide and commit the order's events
 * in one transaction, then settle the order's place on the symbol's book
 * (booked when it rests, removed when it closes). A book call that fails is
 * retried by the alarm (`settleBook`): the `book` column says what is owed.
 * Fills come back from the MarketDO by `applyFill`, idempotent by fill id.
 */
import { DomainError } from "../../src/domain/errors";
import { fingerprint } from "../../src/domain/idempotency";
import { randomToken } from "../../src/domain/ids";
import { type CalendarMode, clockAt, isOpen } from "../../src/domain/market/clock";
import { symbolSpec } from "../../src/domain/market/symbols";
import { CURRENCIES } from "../../src/domain/money";
import { draftOrder, type OrderRequest } from "../../src/domain/trading/order-draft";
import { type Caller, ok, type Result } from "./api";
import type { AccountExecutor } from "./executor";
import type { OrderFilter } from "./order-rows";
import { type OrderView, orderView, positionView } from "./order-views";
import type { AccountStore } from "./store";

export interface Quote {
  /** At PRICE_SCALE, or null before the symbol's first trade. */
  price: number | null;
}

export interface RestingOrder {
  accountId: string;
  orderId: string;
  side: "buy" | "sell";
  limitPrice: number;
  remaining: number;
}

/** The symbol's object, as the account needs it (account-do.ts binds it to the MARKET namespace). */
export interface OrderBookPort {
  quote(symbol: string): Promise<Quote>;
  book(symbol: string, order: RestingOrder): Promise<void>;
  unbook(symbol: string, orderId: string): Promise<void>;
}

export interface TradingDeps {
  store: AccountStore;
  exec: AccountExecutor;
  market: OrderBookPort;
  calendar: () => CalendarMode;
  /** Relay committed events and make sure the alarm comes back for a book still owed. */
  committed(): Promise<void>;
}

export type FillAck = { status: "applied" | "duplicate" | "refused"; reason?: string };
export type OrderInput = Omit<OrderRequest, "client_order_id"> & { client_order_id?: string };

export class Trading {
  constructor(private readonly d: TradingDeps) {}

  #minor(): number {
    return CURRENCIES[this.d.store.accountRow()?.currency ?? "USD"] ?? 2;
  }

  #view(orderId: string): OrderView {
    return orderView(this.d.store.queries.orders.orderRow(orderId)!, this.#minor());
  }

  async place(caller: Caller, input: OrderInput): Promise<Result<OrderView>> {
    const pre = this.d.exec.guarded(caller, () => {
      const a = this.d.exec.owned(caller.userId);
      if (a.type !== "brokerage")
        throw new DomainError("not_brokerage", "Orders are only for brokerage accounts", { account_type: a.type });
      const spec = symbolSpec(input.symbol);
      if (!spec) throw new DomainError("validation_error", `Unknown symbol ${input.symbol}`, { field: "symbol" });
      const req: OrderRequest = { ...input, client_order_id: input.client_order_id ?? `cid_${randomToken()}` };
      const verdict = draftOrder(req, spec, this.#minor());
      if (!verdict.ok) throw new DomainError("validation_error", verdict.message, { field: verdict.field });
      const fp = fingerprint("order.create", input);
      const existing = this.d.store.queries.orders.orderByClientId(req.client_order_id);
      return { spec, draft: verdict.draft, fp, existing };
    });
    if ("ok" in pre) return pre;
    if (pre.existing && pre.existing.fingerprint === pre.fp) return ok(200, this.#view(pre.existing.id));
    const quote = pre.existing ? { price: null } : await this.d.market.quote(pre.spec.symbol);
    const nowMs = Date.now();
    const mode = this.d.calendar();
    const open = isOpen(mode, pre.spec.asset_class, nowMs);
    const close = pre.spec.asset_class === "crypto" ? null : clockAt(mode, nowMs).next_close;
    const orderId = `ord_${randomToken()}`;
    const r = this.d.exec.write(caller, (now) => {
      this.d.exec.owned(caller.userId);
      const { events } = this.d.exec.apply(
        {
          type: "place_order",
          orderId,
          draft: pre.draft,
          fingerprint: pre.fp,
          price: quote.price,
          marketOpen: open,
          expiresAt: close === null ? null : new Date(close).toISOString(),
        },
        now,
      );
      if (events.length === 0) return ok(200, this.#view(this.d.store.queries.orders.orderByClientId(pre.draft.clientOrderId)!.id));
      return ok(201, this.#view(orderId));
    });
    if (r.ok && r.status === 201) {
      await this.d.committed();
      await this.settleBook();
      return ok(201, this.#view(orderId));
    }
    return r;
  }

  get(caller: Caller, orderId: string): Result<OrderView> {
    return this.d.exec.guarded(caller, () => {
      this.d.exec.owned(caller.userId);
      const row = this.d.store.queries.orders.orderRow(orderId);
      if (!row) throw new DomainError("not_found", "Order not found");
      return ok(200, orderView(row, this.#minor()));
    });
  }

  list(caller: Caller, f: Omit<OrderFilter, "after"> & { cursor?: string }) {
    return this.d.exec.guarded(caller, () => {
      this.d.exec.owned(caller.userId);
      const q = this.d.store.queries.orders;
      const after = f.cursor ? q.orderRow(f.cursor) : null;
      if (f.cursor && !after) throw new DomainError("validation_error", "Unknown cursor", { field: "cursor" });
      const rows = q.list({ ...f, limit: f.limit + 1, after: after ? { created_at: after.created_at, id: after.id } : undefined });
      const page = rows.slice(0, f.limit);
      return ok(200, {
        object: "list" as const,
        data: page.map((r) => orderView(r, this.#minor())),
        has_more: rows.length > f.limit,
        next_cursor: rows.length > f.limit ? page[page.length - 1]!.id : null,
      });
    });
  }

  async cancel(caller: Caller, orderId: string): Promise<Result<OrderView>> {
    const r = this.d.exec.write(caller, (now) => {
      this.d.exec.owned(caller.userId);
      this.d.exec.apply({ type: "cancel_order", orderId }, now);
      return ok(200, this.#view(orderId));
    });
    if (!r.ok) return r;
    await this.d.committed();
    await this.settleBook();
    return r;
  }

  /** A fill from the symbol's object: applied once per fill id; a fill for a closed order is refused (and so acknowledged). */
  async applyFill(cmd: { orderId: string; fillId: string; qty: number; price: number }): Promise<FillAck> {
    if (!this.d.store.ready || !this.d.store.accountRow()) return { status: "refused", reason: "no such account" };
    let ack: FillAck;
    try {
      ack = this.d.store.transaction(() => {
        const { events } = this.d.exec.apply({ type: "fill_order", ...cmd }, new Date().toISOString());
        return { status: events.length === 0 ? "duplicate" : "applied" } as FillAck;
      });
    } catch (e) {
      if (!(e instanceof DomainError)) throw e;
      return { status: "refused", reason: e.message };
    }
    if (ack.status === "applied") await this.d.committed();
    return ack;
  }

  async positions(caller: Caller) {
    const pre = this.d.exec.guarded(caller, () => {
      this.d.exec.owned(caller.userId);
      return { rows: this.d.store.queries.orders.positions().filter((p) => p.qty > 0) };
    });
    if ("ok" in pre) return pre;
    const quotes = await Promise.all(pre.rows.map((p) => this.d.market.quote(p.symbol).catch(() => ({ price: null }))));
    return ok(200, { object: "list" as const, data: pre.rows.map((p, i) => positionView(p, quotes[i]!.price, this.#minor())) });
  }

  /** The alarm's share: expire day orders past their close, then settle what the book is owed. */
  async maintain(): Promise<void> {
    const now = new Date().toISOString();
    const due = this.d.store.queries.orders.dueOrders(now);
    if (due.length > 0) {
      this.d.store.transaction(() => {
        for (const id of due) this.d.exec.apply({ type: "expire_order", orderId: id }, now);
      });
      await this.d.committed();
    }
    await this.settleBook();
  }

  /** Book resting orders and unbook closed ones on their symbols' objects; what fails stays owed for the alarm. */
  async settleBook(): Promise<void> {
    const a = this.d.store.accountRow();
    if (!a) return;
    for (const o of this.d.store.queries.orders.unbooked(50)) {
      try {
        if (o.book === "add") {
          await this.d.market.book(o.symbol, {
            accountId: a.id,
            orderId: o.id,
            side: o.side,
            limitPrice: o.limit_price!,
            remaining: (o.qty ?? 0) - o.filled_qty,
          });
        } else await this.d.market.unbook(o.symbol, o.id);
        this.d.store.settleBook(o.id, o.book);
      } catch (err) {
        console.error(JSON.stringify({ level: "warn", msg: "order book call failed", order_id: o.id, error: String(err) }));
      }
    }
  }
}
