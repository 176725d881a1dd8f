/**
 * The journal-row-to-event mapping, in one place: the account's store builds
 * the transaction_posted payload with it, and reconciliation rebuilds the same
 * payload from a journal page, so the two can never disagree on a field.
 */
import type { EntryKind, PayloadOf } from "./catalog";

/** A journal entry's fields that its transaction_posted event publishes. */
export interface JournalEntryFields {
  entry_id: string;
  kind: EntryKind;
  direction: "credit" | "debit";
  amount: number;
  currency: string;
  balance_after: number;
  description: string | null;
  merchant: string | null;
  category: string | null;
  transfer_id: string | null;
  counterparty: string;
  reverses_entry_id: string | null;
  reverses_kind: EntryKind | null;
}

export function transactionPostedPayload(e: JournalEntryFields): PayloadOf<"transaction_posted"> {
  return {
    entry_id: e.entry_id,
    kind: e.kind,
    direction: e.direction,
    amount: e.amount,
    currency: e.currency,
    balance_after: e.balance_after,
    description: e.description,
    merchant: e.merchant,
    category: e.category,
    transfer_id: e.transfer_id,
    counterparty: e.counterparty,
    reverses_entry_id: e.reverses_entry_id,
    reverses_kind: e.reverses_kind,
  };
}
