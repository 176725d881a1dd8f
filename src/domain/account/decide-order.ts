/**
 * Paper trading as decisions of the account: place (a market order fills at
 * once at the symbol's current price; a limit order fills at once when it
 * crosses, else rests), fill (from the symbol's object, idempotent by fill id),
 * cancel and expire. A buy reserves its cash as a hold (buying power is the
 * available balance, holds counted); a sell reserves its shares; nothing goes
 * short. Each fill is a `transaction_posted` cash leg against `market:<symbol>`
 * and a `portfolio_trade_executed` with the position after it.
 */
import { DomainError } from "../errors";
import { formatScaled, PRICE_DECIMALS, QTY_DECIMALS } from "../market/decimal";
import { applyBuy, applySell } from "../portfolio/positions";
import { fillOrder, notionalToMinor, qtyForNotional } from "../trading/execution";
import { cancelOrder, expireOrder, newOrder, rejectOrder } from "../trading/lifecycle";
import type { CommandOf } from "./commands";
import type { AccountEvent, PostedEntry } from "./events";
import { assertOpen, canReceive, floorOf, type Account } from "./rules";
import type { DecideContext, HeldOrder } from "./state";

const minor = (ctx: DecideContext) => ctx.minorUnits ?? 2;

function assertBrokerage(a: Account): void {
  if (a.type !== "brokerage") throw new DomainError("not_brokerage", "Orders are only for brokerage accounts", { account_type: a.type });
  assertOpen(a);
}

function buyingPower(a: Account): number {
  return a.posted - a.pending - floorOf(a);
}

function checkShares(ctx: DecideContext, symbol: string, qty: number): void {
  const held = ctx.reads.position(symbol).qty - ctx.reads.reservedSellQty(symbol);
  if (qty > held)
    throw new DomainError("insufficient_qty", "Not enough shares to sell (no short selling)", { available: held, requested: qty });
}

export function decidePlaceOrder(c: CommandOf<"place_order">, a: Account, ctx: DecideContext): AccountEvent[] {
  assertBrokerage(a);
  const existing = ctx.reads.orderByClientId(c.draft.clientOrderId);
  if (existing) {
    if (existing.fingerprint === c.fingerprint) return [];
    throw new DomainError("idempotency_key_reused", "client_order_id was already used for another order", { order_id: existing.id });
  }
  const d = c.draft;
  if (d.type === "market" && !c.marketOpen) throw new DomainError("market_closed", `The market for ${d.symbol} is closed`);
  const base = newOrder(c.orderId, d, minor(ctx), ctx.now);
  let order: HeldOrder = { ...base, expiresAt: d.timeInForce === "day" ? c.expiresAt : null, fingerprint: c.fingerprint };
  if (d.type === "market") {
    if (c.price === null) return [{ type: "order_placed", order }, closed("order_rejected", order, ctx, "no price for the symbol yet")];
    if (order.qty === null) order = { ...order, qty: qtyForNotional(d.notional ?? 0, c.price, minor(ctx)) };
    if (order.qty === 0)
      return [{ type: "order_placed", order }, closed("order_rejected", order, ctx, "notional buys less than the smallest quantity")];
  }
  const qty = order.qty ?? 0;
  if (d.side === "buy") {
    const needed = d.type === "market" ? notionalToMinor(BigInt(qty) * BigInt(c.price ?? 0), "buy", minor(ctx)) : order.hold;
    if (needed > buyingPower(a))
      throw new DomainError("insufficient_buying_power", "Insufficient buying power for this order", {
        buying_power: buyingPower(a),
        cost: needed,
      });
  } else checkShares(ctx, d.symbol, qty);
  const placed: AccountEvent = { type: "order_placed", order };
  const afterPlace: Account = { ...a, pending: a.pending + order.hold };
  const marketable = c.price !== null && c.marketOpen && (d.type === "market" || crossesLimit(order, c.price));
  if (marketable) return [placed, ...fillEvents(order, qty, c.price!, `${c.orderId}-f1`, afterPlace, ctx)];
  if (d.timeInForce === "ioc") return [placed, closed("order_canceled", order, ctx, "ioc order not marketable")];
  return [placed];
}

function crossesLimit(o: HeldOrder, price: number): boolean {
  return o.limitPrice !== null && (o.side === "buy" ? price <= o.limitPrice : price >= o.limitPrice);
}

/** The events of one fill, or a refusal (the order cannot fill at this price or quantity). */
function fillEvents(order: HeldOrder, qty: number, price: number, fillId: string, a: Account, ctx: DecideContext): AccountEvent[] {
  const out = fillOrder(order, qty, price, minor(ctx), ctx.now);
  if (!out) throw new DomainError("invalid_state", "The order cannot fill at this price", { status: order.status });
  const { fill } = out;
  const next: HeldOrder = { ...order, ...out.order };
  const pos = ctx.reads.position(order.symbol);
  let balanceAfter: number;
  let position = pos;
  let realizedPl = 0;
  if (order.side === "buy") {
    balanceAfter = a.posted - fill.cash;
    if (balanceAfter - (a.pending - fill.holdReleased) < floorOf(a))
      throw new DomainError("insufficient_buying_power", "Insufficient buying power for this fill", {
        buying_power: buyingPower(a),
        cost: fill.cash,
      });
    position = { ...applyBuy(pos, fill.qty, fill.cash), realizedPl: pos.realizedPl };
  } else {
    const sold = applySell(pos, fill.qty, fill.cash);
    if (!sold.ok) throw new DomainError("insufficient_qty", "Not enough shares to sell (no short selling)", { available: pos.qty });
    if (!canReceive(a, fill.cash)) throw new DomainError("unprocessable", "The balance would exceed the maximum an account may hold");
    balanceAfter = a.posted + fill.cash;
    realizedPl = sold.realizedPl;
    position = { ...sold.position, realizedPl: pos.realizedPl + realizedPl };
  }
  const events: AccountEvent[] = [];
  let entryId: string | null = null;
  if (fill.cash > 0) {
    entryId = ctx.newEntryId();
    const entry: PostedEntry = {
      entryId,
      kind: order.side === "buy" ? "trade_buy" : "trade_sell",
      direction: order.side === "buy" ? "debit" : "credit",
      amount: fill.cash,
      counterparty: `market:${order.symbol}`,
      occurredAt: ctx.now,
      balanceAfter,
      description: `${order.side === "buy" ? "Buy" : "Sell"} ${order.symbol}`,
      merchant: null,
      category: null,
      metadata: {
        order_id: order.id,
        fill_id: fillId,
        symbol: order.symbol,
        qty: formatScaled(fill.qty, QTY_DECIMALS),
        price: formatScaled(fill.price, PRICE_DECIMALS),
        realized_pl: String(realizedPl),
      },
      transferId: null,
      reversesEntryId: null,
      reversesKind: null,
    };
    events.push({ type: "transaction_posted", entry });
  }
  events.push({ type: "portfolio_trade_executed", fillId, entryId, order: next, fill, position, realizedPl });
  return events;
}

export function decideFillOrder(c: CommandOf<"fill_order">, a: Account, ctx: DecideContext): AccountEvent[] {
  if (ctx.reads.hasFill(c.fillId)) return [];
  const order = ctx.reads.order(c.orderId);
  if (!order) throw new DomainError("not_found", "Order not found");
  if (!Number.isSafeInteger(c.qty) || c.qty <= 0 || !Number.isSafeInteger(c.price) || c.price <= 0)
    throw new DomainError("validation_error", "A fill needs a positive qty and price");
  return fillEvents(order, c.qty, c.price, c.fillId, a, ctx);
}

function closed(
  type: "order_canceled" | "order_expired" | "order_rejected",
  o: HeldOrder,
  ctx: DecideContext,
  reason: string,
): AccountEvent {
  const out =
    type === "order_canceled" ? cancelOrder(o, ctx.now) : type === "order_expired" ? expireOrder(o, ctx.now) : rejectOrder(o, ctx.now);
  if (!out.ok) throw new DomainError("invalid_state", `The order is already ${out.status}`, { status: out.status });
  return { type, order: { ...o, ...out.order }, holdReleased: out.holdReleased, reason };
}

export function decideCancelOrder(c: CommandOf<"cancel_order">, ctx: DecideContext): AccountEvent[] {
  const order = ctx.reads.order(c.orderId);
  if (!order) throw new DomainError("not_found", "Order not found");
  return [closed("order_canceled", order, ctx, "canceled by the owner")];
}

/** A `day` order at the close; an order already closed expires as nothing. */
export function decideExpireOrder(c: CommandOf<"expire_order">, ctx: DecideContext): AccountEvent[] {
  const order = ctx.reads.order(c.orderId);
  if (!order || (order.status !== "new" && order.status !== "partially_filled")) return [];
  return [closed("order_expired", order, ctx, "day order at the close")];
}
