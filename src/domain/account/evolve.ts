/**
 * `evolve(state, event)`: the account's state after an event. `evolveAccount`
 * is the part every shell keeps in memory (the counters); `evolve` folds the
 * whole aggregate, and `memoryReads` answers the decider's reads from it, so
 * a fold of events in memory is the reference for what the store keeps.
 */
import { isSpending, spendingEffect } from "../spending";
import { unreachable } from "./decide";
import type { AccountEvent } from "./events";
import { isFinal, type Payment, type PaymentStatus } from "./payment-rules";
import type { Account } from "./rules";
import type { BudgetState, Entry, HeldOrder, HeldPosition, Reads, Transfer } from "./state";

export function evolveAccount(a: Account | null, e: AccountEvent): Account | null {
  if (e.type === "account_opened") return e.account;
  if (!a) return a;
  switch (e.type) {
    case "account_closed":
      return { ...a, status: "closed", closedAt: e.closedAt };
    case "transaction_posted":
      return { ...a, posted: e.entry.balanceAfter };
    case "transfer_pending":
      return { ...a, pending: a.pending + e.transfer.amount };
    case "transfer_posted":
      return { ...a, pending: a.pending - (e.amount + e.released) };
    case "transfer_voided":
      return { ...a, pending: a.pending - e.amount };
    case "order_placed":
      return e.order.hold === 0 ? a : { ...a, pending: a.pending + e.order.hold };
    case "portfolio_trade_executed":
      return e.fill.holdReleased === 0 ? a : { ...a, pending: a.pending - e.fill.holdReleased };
    case "order_canceled":
    case "order_expired":
    case "order_rejected":
      return e.holdReleased === 0 ? a : { ...a, pending: a.pending - e.holdReleased };
    case "payment_status_changed":
      return { ...a, pending: a.pending + paymentHoldChange(e.previous, e.payment) };
    case "transaction_annotated":
    case "transfer_crediting":
    case "transfer_received":
    case "budget_set":
    case "budget_deleted":
    case "budget_threshold_crossed":
      return a;
    default:
      return unreachable(e);
  }
}

/** A payment holds its amount from placement until it is final. */
export function paymentHoldChange(previous: PaymentStatus | null, p: Payment): number {
  if (previous === null) return p.amount;
  return !isFinal(previous) && isFinal(p.status) ? -p.amount : 0;
}

export interface AccountState {
  account: Account | null;
  entries: ReadonlyMap<string, Entry>;
  transfers: ReadonlyMap<string, Transfer>;
  received: ReadonlyMap<string, string>;
  budgets: ReadonlyMap<string, BudgetState>;
  alerts: ReadonlySet<string>;
  orders: ReadonlyMap<string, HeldOrder>;
  positions: ReadonlyMap<string, HeldPosition>;
  fills: ReadonlySet<string>;
  payments: ReadonlyMap<string, Payment>;
}

export const INITIAL_STATE: AccountState = {
  account: null,
  entries: new Map(),
  transfers: new Map(),
  received: new Map(),
  budgets: new Map(),
  alerts: new Set(),
  orders: new Map(),
  positions: new Map(),
  fills: new Set(),
  payments: new Map(),
};

const alertKey = (category: string, periodStart: string, bp: number) => `${category}|${periodStart}|${bp}`;

function withEntry(s: AccountState, entry: Entry): AccountState {
  return { ...s, entries: new Map(s.entries).set(entry.entryId, entry) };
}

function withTransfer(s: AccountState, id: string, change: (t: Transfer) => Partial<Transfer>, at: string): AccountState {
  const t = s.transfers.get(id);
  if (!t) return s;
  return { ...s, transfers: new Map(s.transfers).set(id, { ...t, ...change(t), updatedAt: at }) };
}

/** `at` is the time the event was recorded (the shell's clock), for the rows that keep one. */
export function evolve(s: AccountState, e: AccountEvent, at: string): AccountState {
  const next: AccountState = { ...s, account: evolveAccount(s.account, e) };
  switch (e.type) {
    case "account_opened":
    case "account_closed":
      return next;
    case "transaction_posted": {
      const p = e.entry;
      let out = withEntry(next, {
        entryId: p.entryId,
        kind: p.kind,
        direction: p.direction,
        amount: p.amount,
        currency: next.account?.currency ?? "",
        counterparty: p.counterparty,
        occurredAt: p.occurredAt,
        transferId: p.transferId,
        reversesEntryId: p.reversesEntryId,
        reversesKind: p.reversesKind,
        reversedBy: null,
        description: p.description,
        merchant: p.merchant,
        category: p.category,
        tags: [],
        notes: null,
      });
      const original = p.reversesEntryId ? out.entries.get(p.reversesEntryId) : undefined;
      if (original) out = withEntry(out, { ...original, reversedBy: p.entryId });
      return out;
    }
    case "transaction_annotated": {
      const entry = next.entries.get(e.entryId);
      return entry ? withEntry(next, { ...entry, ...e.current }) : next;
    }
    case "transfer_pending":
      return { ...next, transfers: new Map(next.transfers).set(e.transfer.id, e.transfer) };
    case "transfer_crediting":
      return withTransfer(next, e.transferId, () => ({ phase: "crediting", creditAmount: e.creditAmount, op: e.op }), at);
    case "transfer_posted":
      return withTransfer(next, e.transferId, () => ({ status: "posted", phase: "settled", postedAmount: e.amount }), at);
    case "transfer_voided":
      return withTransfer(next, e.transferId, () => ({ status: e.reason === "rejected" ? "failed" : "voided", phase: "settled" }), at);
    case "transfer_received":
      return { ...next, received: new Map(next.received).set(e.transferId, e.entryId) };
    case "budget_set":
      return { ...next, budgets: new Map(next.budgets).set(e.budget.category, e.budget) };
    case "budget_deleted": {
      const budgets = new Map(next.budgets);
      budgets.delete(e.category);
      // The ended budget's alert memory goes with it: a budget set again later is a new one.
      const alerts = new Set([...next.alerts].filter((k) => !k.startsWith(`${e.category}|`)));
      return { ...next, budgets, alerts };
    }
    case "budget_threshold_crossed":
      return { ...next, alerts: new Set(next.alerts).add(alertKey(e.category, e.periodStart, e.thresholdBp)) };
    case "order_placed":
    case "order_canceled":
    case "order_expired":
    case "order_rejected":
      return { ...next, orders: new Map(next.orders).set(e.order.id, e.order) };
    case "portfolio_trade_executed":
      return {
        ...next,
        orders: new Map(next.orders).set(e.order.id, e.order),
        positions: new Map(next.positions).set(e.position.symbol, e.position),
        fills: new Set(next.fills).add(e.fillId),
      };
    case "payment_status_changed":
      return { ...next, payments: new Map(next.payments).set(e.payment.id, e.payment) };
    default:
      return unreachable(e);
  }
}

export function memoryReads(s: AccountState): Reads {
  return {
    entry: (id) => s.entries.get(id) ?? null,
    transfer: (id) => s.transfers.get(id) ?? null,
    received: (id) => s.received.get(id) ?? null,
    budget: (category) => s.budgets.get(category) ?? null,
    budgetCount: () => s.budgets.size,
    spent(category, start, end) {
      let sum = 0;
      for (const e of s.entries.values()) {
        if (e.category !== category || e.occurredAt < start || e.occurredAt >= end) continue;
        const facts = { kind: e.kind, reverses_kind: e.reversesKind, direction: e.direction, amount: e.amount };
        if (isSpending(facts)) sum += spendingEffect(facts)!.amount;
      }
      return sum;
    },
    alerted: (category, periodStart, bp) => s.alerts.has(alertKey(category, periodStart, bp)),
    order: (id) => s.orders.get(id) ?? null,
    orderByClientId: (cid) => [...s.orders.values()].find((o) => o.clientOrderId === cid) ?? null,
    hasFill: (id) => s.fills.has(id),
    payment: (id) => s.payments.get(id) ?? null,
    position: (symbol) => s.positions.get(symbol) ?? { symbol, qty: 0, costBasis: 0, realizedPl: 0 },
    reservedSellQty(symbol) {
      let sum = 0;
      for (const o of s.orders.values())
        if (o.symbol === symbol && o.side === "sell" && (o.status === "new" || o.status === "partially_filled"))
          sum += (o.qty ?? 0) - o.filledQty;
      return sum;
    },
  };
}
