/**
 * The account's events as the catalog publishes them (src/events/catalog.ts):
 * type, payload and event time. Saga bookkeeping is not published.
 */
import type { EventType, PayloadOf } from "../../events/catalog";
import { transactionPostedPayload } from "../../events/journal-entry";
import { formatScaled, PRICE_DECIMALS, QTY_DECIMALS } from "../market/decimal";
import type { AccountEvent } from "./events";
import type { Account } from "./rules";

export type Published = { [T in EventType]: { type: T; payload: PayloadOf<T>; occurredAt: string } }[EventType];

export function published(e: AccountEvent, a: Account, now: string): Published | null {
  switch (e.type) {
    case "account_opened":
      return {
        type: "account_opened",
        occurredAt: now,
        payload: { account_type: a.type, currency: a.currency, name: a.name, credit_limit: a.creditLimit },
      };
    case "account_closed":
      return { type: "account_closed", occurredAt: now, payload: { currency: a.currency } };
    case "transaction_posted": {
      const p = e.entry;
      return {
        type: "transaction_posted",
        occurredAt: p.occurredAt,
        payload: transactionPostedPayload({
          entry_id: p.entryId,
          kind: p.kind,
          direction: p.direction,
          amount: p.amount,
          currency: a.currency,
          balance_after: p.balanceAfter,
          description: p.description,
          merchant: p.merchant,
          category: p.category,
          transfer_id: p.transferId,
          counterparty: p.counterparty,
          reverses_entry_id: p.reversesEntryId,
          reverses_kind: p.reversesKind,
        }),
      };
    }
    case "transaction_annotated":
      return {
        type: "transaction_annotated",
        occurredAt: now,
        payload: {
          entry_id: e.entryId,
          kind: e.kind,
          direction: e.direction,
          amount: e.amount,
          currency: a.currency,
          entry_occurred_at: e.entryOccurredAt,
          previous: { description: e.previous.description, merchant: e.previous.merchant, category: e.previous.category },
          description: e.current.description,
          merchant: e.current.merchant,
          category: e.current.category,
          tags: e.current.tags,
          notes: e.current.notes,
        },
      };
    case "transfer_pending": {
      const t = e.transfer;
      return {
        type: "transfer_pending",
        occurredAt: now,
        payload: {
          transfer_id: t.id,
          from_account_id: a.id,
          to_account_id: t.toAccountId,
          amount: t.amount,
          currency: t.currency,
          expires_at: t.expiresAt,
        },
      };
    }
    case "transfer_posted":
      return {
        type: "transfer_posted",
        occurredAt: now,
        payload: { transfer_id: e.transferId, amount: e.amount, released: e.released, currency: a.currency },
      };
    case "transfer_voided":
      return {
        type: "transfer_voided",
        occurredAt: now,
        payload: { transfer_id: e.transferId, amount: e.amount, currency: a.currency, reason: e.reason },
      };
    case "budget_set": {
      const b = e.budget;
      return {
        type: "budget_set",
        occurredAt: now,
        payload: { category: b.category, limit: b.limit, period: b.period, alert_at: b.alertAt, currency: a.currency },
      };
    }
    case "budget_deleted":
      return { type: "budget_deleted", occurredAt: now, payload: { category: e.category } };
    case "budget_threshold_crossed":
      return {
        type: "budget_threshold_crossed",
        occurredAt: now,
        payload: {
          category: e.category,
          period: e.period,
          period_start: e.periodStart,
          threshold: e.thresholdBp / 10_000,
          spent: e.spent,
          limit: e.limit,
          currency: a.currency,
        },
      };
    case "order_placed": {
      const o = e.order;
      return {
        type: "order_placed",
        occurredAt: now,
        payload: {
          order_id: o.id,
          client_order_id: o.clientOrderId,
          symbol: o.symbol,
          side: o.side,
          type: o.type,
          time_in_force: o.timeInForce,
          qty: o.qty === null ? null : formatScaled(o.qty, QTY_DECIMALS),
          notional: o.notional,
          limit_price: o.limitPrice === null ? null : formatScaled(o.limitPrice, PRICE_DECIMALS),
          hold: o.hold,
          currency: a.currency,
        },
      };
    }
    case "portfolio_trade_executed":
      return {
        type: "portfolio_trade_executed",
        occurredAt: now,
        payload: {
          order_id: e.order.id,
          fill_id: e.fillId,
          entry_id: e.entryId ?? "",
          symbol: e.order.symbol,
          side: e.order.side,
          qty: formatScaled(e.fill.qty, QTY_DECIMALS),
          price: formatScaled(e.fill.price, PRICE_DECIMALS),
          cash: e.fill.cash,
          realized_pl: e.realizedPl,
          position_qty: formatScaled(e.position.qty, QTY_DECIMALS),
          cost_basis: e.position.costBasis,
          order_status: e.order.status === "filled" ? "filled" : "partially_filled",
          currency: a.currency,
        },
      };
    case "order_canceled":
    case "order_expired":
    case "order_rejected":
      return {
        type: e.type,
        occurredAt: now,
        payload: { order_id: e.order.id, symbol: e.order.symbol, hold_released: e.holdReleased, reason: e.reason, currency: a.currency },
      };
    case "payment_status_changed": {
      const p = e.payment;
      return {
        type: "payment_status_changed",
        occurredAt: now,
        payload: {
          payment_id: p.id,
          payee_id: p.payeeId,
          amount: p.amount,
          currency: p.currency,
          status: p.status,
          previous_status: e.previous,
          reason: p.reason,
          entry_id: p.entryId,
        },
      };
    }
    case "transfer_crediting":
    case "transfer_received":
      return null;
  }
}
