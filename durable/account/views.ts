/** JSON views of an account's rows, as the API returns them. */
import { balanceOf } from "../../src/domain/account/index";
import type { EntryKind } from "../../src/events/catalog";
import { effectiveDescriptive, toAccount, type AccountRow, type AnnotatedRow, type TransferRow } from "./rows";

export function accountView(a: AccountRow) {
  return {
    id: a.id,
    object: "account" as const,
    type: a.type,
    currency: a.currency,
    name: a.name,
    credit_limit: a.credit_limit,
    status: a.status,
    created_at: a.created_at,
    closed_at: a.closed_at,
    balance: balanceOf(toAccount(a)),
  };
}
export type AccountView = ReturnType<typeof accountView>;

/** A journal entry with its effective (latest annotated) descriptive fields. */
export function entryView(e: AnnotatedRow) {
  const d = effectiveDescriptive(e);
  return {
    id: e.entry_id,
    object: "transaction" as const,
    seq: e.seq,
    kind: e.kind as EntryKind,
    direction: e.direction,
    amount: e.amount,
    currency: e.currency,
    balance_after: e.balance_after,
    description: d.description,
    merchant: d.merchant,
    category: d.category,
    tags: d.tags,
    notes: d.notes,
    metadata: e.metadata ? (JSON.parse(e.metadata) as Record<string, string>) : null,
    transfer_id: e.transfer_id,
    counterparty: e.direction === "credit" ? e.debit_account : e.credit_account,
    reverses: e.reverses_entry_id,
    reversed_by: e.reversed_by,
    occurred_at: e.occurred_at,
    recorded_at: e.recorded_at,
    hash: e.hash,
  };
}
export type EntryView = ReturnType<typeof entryView>;

export function transferView(t: TransferRow, fromAccountId: string) {
  return {
    id: t.id,
    object: "transfer" as const,
    from_account_id: fromAccountId,
    to_account_id: t.to_account_id,
    amount: t.amount,
    posted_amount: t.posted_amount,
    currency: t.currency,
    mode: t.mode,
    status: t.status,
    in_flight: t.phase === "crediting",
    description: t.description,
    expires_at: t.expires_at,
    created_at: t.created_at,
    updated_at: t.updated_at,
  };
}
export type TransferView = ReturnType<typeof transferView>;

/** One line of the transfers list: a transfer this account sent, or one it received. */
export interface TransferListItem {
  id: string;
  object: "transfer";
  direction: "sent" | "received";
  account_id: string;
  counterparty_account_id: string;
  amount: number;
  posted_amount: number | null;
  currency: string;
  status: TransferRow["status"];
  created_at: string;
}
