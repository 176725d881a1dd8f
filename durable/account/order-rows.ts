/**
 * The account's trading rows (orders, fills, positions) as stored, their
 * mapping to the decider's types, and the read-only queries over them.
 * `book` says where a resting order stands with its symbol's MarketDO:
 * `none` (never rests there), `add` (to be booked), `booked`, `remove` (closed
 * here, to be taken off the book). The alarm retries `add` and `remove`.
 */
import type { HeldOrder, HeldPosition } from "../../src/domain/account/index";
import type { OrderSide, OrderStatus, OrderType, TimeInForce } from "../../src/domain/trading/orders";

export type BookState = "none" | "add" | "booked" | "remove";

export interface OrderRow {
  id: string;
  client_order_id: string;
  fingerprint: string;
  symbol: string;
  side: OrderSide;
  type: OrderType;
  time_in_force: TimeInForce;
  qty: number | null;
  notional: number | null;
  limit_price: number | null;
  status: OrderStatus;
  filled_qty: number;
  filled_notional: string;
  filled_cash: number;
  hold: number;
  expires_at: string | null;
  book: BookState;
  reason: string | null;
  created_at: string;
  updated_at: string;
}

export interface PositionRow {
  symbol: string;
  qty: number;
  cost_basis: number;
  realized_pl: number;
  updated_at: string;
}

export interface FillRow {
  fill_id: string;
  order_id: string;
  qty: number;
  price: number;
  cash: number;
  realized_pl: number;
  entry_id: string | null;
  at: string;
}

export function toOrder(r: OrderRow): HeldOrder {
  return {
    id: r.id,
    clientOrderId: r.client_order_id,
    fingerprint: r.fingerprint,
    symbol: r.symbol,
    side: r.side,
    type: r.type,
    timeInForce: r.time_in_force,
    qty: r.qty,
    notional: r.notional,
    limitPrice: r.limit_price,
    status: r.status,
    filledQty: r.filled_qty,
    filledNotional: r.filled_notional,
    filledCash: r.filled_cash,
    hold: r.hold,
    expiresAt: r.expires_at,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

export function toPosition(r: PositionRow): HeldPosition {
  return { symbol: r.symbol, qty: r.qty, costBasis: r.cost_basis, realizedPl: r.realized_pl };
}

const OPEN = "status IN ('new', 'partially_filled')";

export interface OrderFilter {
  status: "open" | "closed" | "all";
  symbol?: string;
  limit: number;
  /** Orders created before this order (the cursor: newest first). */
  after?: { created_at: string; id: string };
}

export class OrderQueries {
  constructor(private readonly sql: SqlStorage) {}

  #first<T>(query: string, ...args: SqlStorageValue[]): T | null {
    return (this.sql.exec(query, ...args).toArray()[0] as T | undefined) ?? null;
  }

  orderRow(id: string): OrderRow | null {
    return this.#first<OrderRow>("SELECT * FROM orders WHERE id = ?", id);
  }

  order(id: string): HeldOrder | null {
    const r = this.orderRow(id);
    return r ? toOrder(r) : null;
  }

  orderByClientId(cid: string): HeldOrder | null {
    const r = this.#first<OrderRow>("SELECT * FROM orders WHERE client_order_id = ?", cid);
    return r ? toOrder(r) : null;
  }

  hasFill(fillId: string): boolean {
    return this.#first("SELECT 1 FROM fills WHERE fill_id = ?", fillId) !== null;
  }

  position(symbol: string): HeldPosition {
    const r = this.#first<PositionRow>("SELECT * FROM positions WHERE symbol = ?", symbol);
    return r ? toPosition(r) : { symbol, qty: 0, costBasis: 0, realizedPl: 0 };
  }

  reservedSellQty(symbol: string): number {
    return this.sql
      .exec<{ n: number }>(
        `SELECT COALESCE(SUM(qty - filled_qty), 0) AS n FROM orders WHERE symbol = ? AND side = 'sell' AND ${OPEN}`,
        symbol,
      )
      .one().n;
  }

  positions(): PositionRow[] {
    return this.sql.exec("SELECT * FROM positions WHERE qty > 0 OR realized_pl != 0 ORDER BY symbol").toArray() as unknown as PositionRow[];
  }

  list(f: OrderFilter): OrderRow[] {
    const where: string[] = [];
    const args: SqlStorageValue[] = [];
    if (f.status === "open") where.push(OPEN);
    if (f.status === "closed") where.push(`NOT ${OPEN}`);
    if (f.symbol) {
      where.push("symbol = ?");
      args.push(f.symbol);
    }
    if (f.after) {
      where.push("(created_at < ? OR (created_at = ? AND id < ?))");
      args.push(f.after.created_at, f.after.created_at, f.after.id);
    }
    const clause = where.length ? `WHERE ${where.join(" AND ")}` : "";
    return this.sql
      .exec(`SELECT * FROM orders ${clause} ORDER BY created_at DESC, id DESC LIMIT ?`, ...args, f.limit)
      .toArray() as unknown as OrderRow[];
  }

  fills(orderId: string): FillRow[] {
    return this.sql.exec("SELECT * FROM fills WHERE order_id = ? ORDER BY at, fill_id", orderId).toArray() as unknown as FillRow[];
  }

  /** Orders whose place on their symbol's book is still to be settled (booked or removed). */
  unbooked(limit: number): OrderRow[] {
    return this.sql.exec("SELECT * FROM orders WHERE book IN ('add', 'remove') LIMIT ?", limit).toArray() as unknown as OrderRow[];
  }

  /** Open day orders whose close has passed. */
  dueOrders(nowIso: string): string[] {
    return this.sql
      .exec<{ id: string }>(`SELECT id FROM orders WHERE ${OPEN} AND expires_at IS NOT NULL AND expires_at <= ?`, nowIso)
      .toArray()
      .map((r) => r.id);
  }

  nextOrderExpiry(): string | null {
    return this.sql.exec<{ at: string | null }>(`SELECT MIN(expires_at) AS at FROM orders WHERE ${OPEN}`).one().at;
  }
}
