/**
 * Orders as Alpaca names them. Quantities at QTY_SCALE, prices at PRICE_SCALE,
 * cash in the account's minor units; all integers. An order's fills are kept
 * as their exact running notional (Σ qty × price at QTY_SCALE × PRICE_SCALE, a
 * BigInt in a decimal string) so the cash charged over many partial fills is
 * rounded once, not once per fill (see execution.ts).
 */

export const ORDER_SIDES = ["buy", "sell"] as const;
export const ORDER_TYPES = ["market", "limit"] as const;
export const TIMES_IN_FORCE = ["day", "gtc", "ioc"] as const;
export const ORDER_STATUSES = ["new", "partially_filled", "filled", "canceled", "expired", "rejected"] as const;

export type OrderSide = (typeof ORDER_SIDES)[number];
export type OrderType = (typeof ORDER_TYPES)[number];
export type TimeInForce = (typeof TIMES_IN_FORCE)[number];
export type OrderStatus = (typeof ORDER_STATUSES)[number];

/** What a valid request asks for, before anything is filled or reserved. */
export interface OrderDraft {
  symbol: string;
  side: OrderSide;
  type: OrderType;
  timeInForce: TimeInForce;
  /** At QTY_SCALE; null for a notional order until it fills. */
  qty: number | null;
  /** Minor units; only market orders on fractionable symbols. */
  notional: number | null;
  /** At PRICE_SCALE; limit orders only. */
  limitPrice: number | null;
  clientOrderId: string;
}

export interface Order extends OrderDraft {
  id: string;
  status: OrderStatus;
  /** At QTY_SCALE. */
  filledQty: number;
  /** Σ fill qty × fill price, exact, at QTY_SCALE × PRICE_SCALE (decimal string of a BigInt). */
  filledNotional: string;
  /** Cash moved by the fills so far (paid for buys, received for sells), minor units. */
  filledCash: number;
  /** Cash still reserved by a resting buy, minor units (0 once the order is done). */
  hold: number;
  createdAt: string;
  updatedAt: string;
}

const TERMINAL: ReadonlySet<OrderStatus> = new Set(["filled", "canceled", "expired", "rejected"]);

export function isOpen(status: OrderStatus): boolean {
  return !TERMINAL.has(status);
}
