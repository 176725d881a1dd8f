/** JSON views of an account's rows, as the API returns them. */
import { balanceOf } from "../../src/domain/account";
import { toState, type AccountRow, type JournalRow } from "./store";

export interface TransferRow {
  id: string;
  user_id: string;
  to_account_id: string;
  amount: number;
  credit_amount: number | null;
  posted_amount: number | null;
  currency: string;
  mode: "immediate" | "pending";
  status: "pending" | "posted" | "voided" | "failed";
  phase: "reserved" | "crediting" | "settled";
  description: string | null;
  expires_at: string | null;
  created_at: string;
  updated_at: string;
  op_key: string | null;
  op_name: "create" | "post" | null;
  op_request_id: string | null;
  attempts: number;
}

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
    balance: balanceOf(toState(a)),
  };
}

export function entryView(e: JournalRow, reversedBy: string | null) {
  return {
    id: e.entry_id,
    object: "transaction" as const,
    seq: e.seq,
    kind: e.kind,
    direction: e.direction,
    amount: e.amount,
    currency: e.currency,
    balance_after: e.balance_after,
    description: e.description,
    merchant: e.merchant,
    category: e.category,
    metadata: e.metadata ? (JSON.parse(e.metadata) as Record<string, string>) : null,
    transfer_id: e.transfer_id,
    counterparty: e.direction === "credit" ? e.debit_account : e.credit_account,
    reverses: e.reverses_entry_id,
    reversed_by: reversedBy,
    occurred_at: e.occurred_at,
    recorded_at: e.recorded_at,
    hash: e.hash,
  };
}

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
