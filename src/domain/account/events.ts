/**
 * What happened to an account. Most of these are published through the
 * outbox as the catalog's events (`publish.ts`); `transfer_crediting` and
 * `transfer_received` are saga bookkeeping the account keeps to itself.
 */
import type { EntryKind } from "../../events/catalog";
import type { Payment, PaymentStatus } from "./payment-rules";
import type { Account, Direction } from "./rules";
import type { Fill } from "../trading/execution";
import type { BudgetState, Descriptive, HeldOrder, HeldPosition, Transfer, TransferOp } from "./state";

/** A new journal entry: the account on one side, `counterparty` on the other. */
export interface PostedEntry {
  entryId: string;
  kind: EntryKind;
  direction: Direction;
  amount: number;
  counterparty: string;
  occurredAt: string;
  balanceAfter: number;
  description: string | null;
  merchant: string | null;
  category: string | null;
  metadata: Record<string, string> | null;
  transferId: string | null;
  reversesEntryId: string | null;
  reversesKind: EntryKind | null;
}

export type AccountEvent =
  | { type: "account_opened"; account: Account }
  | { type: "account_closed"; closedAt: string }
  | { type: "transaction_posted"; entry: PostedEntry }
  | {
      type: "transaction_annotated";
      entryId: string;
      kind: EntryKind;
      direction: Direction;
      amount: number;
      entryOccurredAt: string;
      previous: Descriptive;
      current: Descriptive;
    }
  | { type: "transfer_pending"; transfer: Transfer }
  | { type: "transfer_crediting"; transferId: string; creditAmount: number; op: TransferOp | null }
  | { type: "transfer_posted"; transferId: string; amount: number; released: number }
  | { type: "transfer_voided"; transferId: string; amount: number; reason: "voided" | "expired" | "rejected" }
  | { type: "transfer_received"; transferId: string; fromAccountId: string; amount: number; entryId: string }
  | { type: "budget_set"; budget: BudgetState }
  | { type: "budget_deleted"; category: string }
  | {
      type: "budget_threshold_crossed";
      category: string;
      period: BudgetState["period"];
      periodStart: string;
      thresholdBp: number;
      spent: number;
      limit: number;
    }
  // Paper trading: an order's life, and each fill with its position change (its cash leg is the transaction_posted before it).
  | { type: "order_placed"; order: HeldOrder }
  | {
      type: "portfolio_trade_executed";
      fillId: string;
      /** The cash leg's journal entry, or null when the fill moved less than one minor unit. */
      entryId: string | null;
      order: HeldOrder;
      fill: Fill;
      position: HeldPosition;
      realizedPl: number;
    }
  | ({ type: "order_canceled" } & OrderClosed)
  | ({ type: "order_expired" } & OrderClosed)
  | ({ type: "order_rejected" } & OrderClosed)
  // A payment's every status change, with the payment after it (previous null: just placed, the hold taken).
  | { type: "payment_status_changed"; previous: PaymentStatus | null; payment: Payment };

/** An order leaving its open states: the order after, the hold it gave back, and why. */
export interface OrderClosed {
  order: HeldOrder;
  holdReleased: number;
  reason: string;
}

export type AccountEventType = AccountEvent["type"];
export type EventOf<T extends AccountEventType> = Extract<AccountEvent, { type: T }>;
