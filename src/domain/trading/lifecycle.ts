/**
 * The order's states: new → partially_filled → filled, or canceled, expired
 * (a `day` order at the close, the rest of an `ioc` order at once) and
 * rejected. Leaving an open state releases whatever the order still holds.
 */
import { initialHold } from "./execution";
import { isOpen, type Order, type OrderDraft, type OrderStatus } from "./orders";

export function newOrder(id: string, draft: OrderDraft, minorUnits: number, at: string): Order {
  return {
    ...draft,
    id,
    status: "new",
    filledQty: 0,
    filledNotional: "0",
    filledCash: 0,
    hold: initialHold(draft, minorUnits),
    createdAt: at,
    updatedAt: at,
  };
}

export type CloseOutcome = { ok: true; order: Order; holdReleased: number } | { ok: false; status: OrderStatus };

function close(order: Order, status: "canceled" | "expired" | "rejected", at: string): CloseOutcome {
  if (!isOpen(order.status)) return { ok: false, status: order.status };
  return { ok: true, order: { ...order, status, hold: 0, updatedAt: at }, holdReleased: order.hold };
}

/** The owner cancels what is still open. A filled or closed order cannot be canceled. */
export function cancelOrder(order: Order, at: string): CloseOutcome {
  return close(order, "canceled", at);
}

/** A `day` order still open at the close, or the unfilled rest of an `ioc` order. */
export function expireOrder(order: Order, at: string): CloseOutcome {
  return close(order, order.timeInForce === "ioc" ? "canceled" : "expired", at);
}

/** An order that cannot be executed as asked (no price for a market order, a notional too small for one unit). */
export function rejectOrder(order: Order, at: string): CloseOutcome {
  return close(order, "rejected", at);
}
