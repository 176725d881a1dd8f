/**
 * What can be asked of an account. Who asks is the shell's business (it
 * authorizes before deciding); a command carries only what the decision needs.
 */
import type { TransactionKind } from "../../events/catalog";
import type { OrderDraft } from "../trading/orders";
import type { BudgetPeriod } from "./budget-rules";
import type { ProcessorOutcome } from "./payment-rules";
import type { AccountType } from "./rules";
import type { Descriptive } from "./state";

export type AnnotationChanges = Partial<Descriptive>;

export type AccountCommand =
  | {
      type: "open_account";
      accountId: string;
      userId: string;
      accountType: AccountType;
      currency: string;
      name: string;
      creditLimit: number;
    }
  | { type: "close_account" }
  | {
      type: "post_transaction";
      kind: TransactionKind;
      amount: number;
      description?: string;
      merchant?: string;
      category?: string;
      occurredAt?: string;
      metadata?: Record<string, string>;
    }
  | { type: "reverse_transaction"; entryId: string; reason?: string }
  | { type: "annotate_transaction"; entryId: string; changes: AnnotationChanges }
  | { type: "set_budget"; category: string; limit: number; period: BudgetPeriod; alertAt: readonly number[] }
  | { type: "delete_budget"; category: string }
  // The transfer saga (source side): hold, start posting, settle with the destination's answer, void, expire.
  | {
      type: "place_transfer";
      toAccountId: string;
      amount: number;
      description?: string;
      mode: "immediate" | "pending";
      expiresInSeconds?: number;
      /** What the destination said when asked beforehand (pending transfers); immediate ones learn it from the credit. */
      destinationAcceptable: boolean;
      key: string;
      requestId: string;
    }
  | { type: "begin_transfer_post"; transferId: string; amount?: number; key: string; requestId: string }
  | { type: "settle_transfer"; transferId: string; credited: boolean }
  | { type: "void_transfer"; transferId: string }
  | { type: "expire_transfer"; transferId: string }
  // The transfer saga (destination side): credit once per transfer id.
  | { type: "receive_transfer"; transferId: string; fromAccountId: string; amount: number; currency: string }
  // Paper trading (decide-order.ts). `price` is the symbol's current price (PRICE_SCALE) or null when it has none.
  | {
      type: "place_order";
      orderId: string;
      draft: OrderDraft;
      /** The request's fingerprint, so a repeated client_order_id is told apart from a reused one. */
      fingerprint: string;
      price: number | null;
      /** Whether the symbol's market is open now (market orders need it). */
      marketOpen: boolean;
      /** When a `day` order expires (the next close), or null when the market never closes. */
      expiresAt: string | null;
    }
  | { type: "fill_order"; orderId: string; fillId: string; qty: number; price: number }
  | { type: "cancel_order"; orderId: string }
  | { type: "expire_order"; orderId: string }
  // Payments out of the platform (decide-payment.ts): hold, begin, settle with the processor's answer, cancel.
  | { type: "place_payment"; paymentId: string; payeeId: string; amount: number; memo?: string }
  | { type: "begin_payment"; paymentId: string }
  | { type: "settle_payment"; paymentId: string; outcome: ProcessorOutcome }
  | { type: "cancel_payment"; paymentId: string };

export type CommandType = AccountCommand["type"];
export type CommandOf<T extends CommandType> = Extract<AccountCommand, { type: T }>;
