/**
 * The symbol's resting limit orders and the fills it owes accounts, in the
 * MarketDO's SQLite. On each accepted trade the book is evaluated in the same
 * transaction as the trade: a crossing order's fill intent (fill id, price,
 * qty) is recorded durably before any account is called, and stays until the
 * account acknowledges it (applied, duplicate or refused), so a crash between
 * the two neither loses nor doubles a fill (the account dedupes by fill id).
 */
export interface BookedOrder {
  account_id: string;
  order_id: string;
  side: "buy" | "sell";
  limit_price: number;
  remaining: number;
}

export interface PendingFill {
  fill_id: string;
  account_id: string;
  order_id: string;
  qty: number;
  price: number;
}

export class OrderBook {
  constructor(private readonly sql: SqlStorage) {}

  add(o: BookedOrder): void {
    if (o.remaining <= 0) return;
    this.sql.exec(
      "INSERT OR IGNORE INTO resting_orders (order_id, account_id, side, limit_price, remaining) VALUES (?, ?, ?, ?, ?)",
      o.order_id,
      o.account_id,
      o.side,
      o.limit_price,
      o.remaining,
    );
  }

  remove(orderId: string): void {
    this.sql.exec("DELETE FROM resting_orders WHERE order_id = ?", orderId);
  }

  size(): number {
    return this.sql.exec<{ n: number }>("SELECT COUNT(*) AS n FROM resting_orders").one().n;
  }

  /** Record the fills a trade at `price` of `size` (QTY_SCALE; 0 = unknown, fills all) gives the crossing orders. */
  evaluate(trade: { q: number; price: number; size: number }, now: number): number {
    const crossing = this.sql
      .exec<BookedOrder & Record<string, SqlStorageValue>>(
        `SELECT * FROM resting_orders WHERE (side = 'buy' AND limit_price >= ?1) OR (side = 'sell' AND limit_price <= ?1)
         ORDER BY rowid`,
        trade.price,
      )
      .toArray();
    let left = trade.size > 0 ? trade.size : Number.MAX_SAFE_INTEGER;
    let n = 0;
    for (const o of crossing) {
      if (left <= 0) break;
      const qty = Math.min(o.remaining, left);
      left -= qty;
      this.sql.exec(
        "INSERT INTO pending_fills (fill_id, account_id, order_id, qty, price, created_at) VALUES (?, ?, ?, ?, ?, ?)",
        `fil_${o.order_id.slice(4)}_${trade.q}`,
        o.account_id,
        o.order_id,
        qty,
        trade.price,
        now,
      );
      if (qty === o.remaining) this.remove(o.order_id);
      else this.sql.exec("UPDATE resting_orders SET remaining = remaining - ? WHERE order_id = ?", qty, o.order_id);
      n++;
    }
    return n;
  }

  pending(limit: number): PendingFill[] {
    return this.sql.exec("SELECT * FROM pending_fills ORDER BY created_at, fill_id LIMIT ?", limit).toArray() as unknown as PendingFill[];
  }

  acknowledged(fillId: string): void {
    this.sql.exec("DELETE FROM pending_fills WHERE fill_id = ?", fillId);
  }
}
