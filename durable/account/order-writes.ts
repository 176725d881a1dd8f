/**
 * The table writes of the trading events, for the store (store.ts) inside its
 * transaction: the order row, each fill (unique by fill id) and the position
 * after it. The fill's cash leg is the journal row of the transaction_posted
 * event just before it, so position and cash commit together.
 */
import type { AccountEvent, HeldOrder } from "../../src/domain/account/index";
import type { BookState } from "./order-rows";

type OrderEvent = Extract<
  AccountEvent,
  { type: "order_placed" | "portfolio_trade_executed" | "order_canceled" | "order_expired" | "order_rejected" }
>;

function updateOrder(sql: SqlStorage, o: HeldOrder, reason: string | null): void {
  // A closed order that may rest on its symbol's book is to be taken off it.
  const closing = o.status !== "new" && o.status !== "partially_filled";
  sql.exec(
    `UPDATE orders SET qty = ?, status = ?, filled_qty = ?, filled_notional = ?, filled_cash = ?, hold = ?, updated_at = ?,
       reason = COALESCE(?, reason), book = CASE WHEN ? AND book IN ('add', 'booked') THEN 'remove' ELSE book END WHERE id = ?`,
    o.qty,
    o.status,
    o.filledQty,
    o.filledNotional,
    o.filledCash,
    o.hold,
    o.updatedAt,
    reason,
    closing ? 1 : 0,
    o.id,
  );
}

export function applyOrderEvent(sql: SqlStorage, e: OrderEvent, now: string): void {
  switch (e.type) {
    case "order_placed": {
      const o = e.order;
      const book: BookState = o.type === "limit" ? "add" : "none";
      sql.exec(
        `INSERT INTO orders (id, client_order_id, fingerprint, symbol, side, type, time_in_force, qty, notional, limit_price, status,
           filled_qty, filled_notional, filled_cash, hold, expires_at, book, created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        o.id,
        o.clientOrderId,
        o.fingerprint,
        o.symbol,
        o.side,
        o.type,
        o.timeInForce,
        o.qty,
        o.notional,
        o.limitPrice,
        o.status,
        o.filledQty,
        o.filledNotional,
        o.filledCash,
        o.hold,
        o.expiresAt,
        book,
        o.createdAt,
        o.updatedAt,
      );
      return;
    }
    case "portfolio_trade_executed": {
      updateOrder(sql, e.order, null);
      sql.exec(
        "INSERT INTO fills (fill_id, order_id, qty, price, cash, realized_pl, entry_id, at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        e.fillId,
        e.order.id,
        e.fill.qty,
        e.fill.price,
        e.fill.cash,
        e.realizedPl,
        e.entryId,
        now,
      );
      const p = e.position;
      sql.exec(
        `INSERT INTO positions (symbol, qty, cost_basis, realized_pl, updated_at) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT (symbol) DO UPDATE SET qty = excluded.qty, cost_basis = excluded.cost_basis,
           realized_pl = excluded.realized_pl, updated_at = excluded.updated_at`,
        p.symbol,
        p.qty,
        p.costBasis,
        p.realizedPl,
        now,
      );
      return;
    }
    case "order_canceled":
    case "order_expired":
    case "order_rejected":
      updateOrder(sql, e.order, e.reason);
      return;
  }
}
