/** The account's SQLite rows as stored, and how each maps to the decider's types. */
import type { Account, AccountType, BudgetPeriod, Descriptive, Direction, Entry, Transfer } from "../../src/domain/account/index";
import type { HashedEntry } from "../../src/domain/hash-chain";
import type { EntryKind } from "../../src/events/catalog";

export interface AccountRow {
  id: string;
  user_id: string;
  type: AccountType;
  currency: string;
  name: string;
  credit_limit: number;
  status: "open" | "closed";
  created_at: string;
  closed_at: string | null;
  posted: number;
  pending: number;
  entry_seq: number;
  event_seq: number;
  head_hash: string;
  /** Every outbox event up to this seq has been handed to the queue. */
  outbox_sent_seq: number;
}

export interface JournalRow extends HashedEntry {
  direction: Direction;
  reverses_kind: string | null;
  prev_hash: string;
  hash: string;
}

/** A journal row with its latest annotation (null columns when never annotated) and its reversal, as reads join them. */
export interface AnnotatedRow extends JournalRow {
  reversed_by: string | null;
  ann_entry: string | null;
  ann_description: string | null;
  ann_merchant: string | null;
  ann_category: string | null;
  ann_tags: string | null;
  ann_notes: string | null;
  ann_seq: number | null;
}

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

export interface BudgetRow {
  category: string;
  limit_amount: number;
  period: BudgetPeriod;
  alert_at: string;
  created_at: string;
  updated_at: string;
}

export function toAccount(r: AccountRow): Account {
  return {
    id: r.id,
    userId: r.user_id,
    type: r.type,
    currency: r.currency,
    name: r.name,
    creditLimit: r.credit_limit,
    status: r.status,
    posted: r.posted,
    pending: r.pending,
    createdAt: r.created_at,
    closedAt: r.closed_at,
  };
}

/** An entry's descriptive fields as every read shows them: the latest annotation's, once there is one. */
export function effectiveDescriptive(r: AnnotatedRow): Descriptive {
  if (r.ann_entry === null) return { description: r.description, merchant: r.merchant, category: r.category, tags: [], notes: null };
  return {
    description: r.ann_description,
    merchant: r.ann_merchant,
    category: r.ann_category,
    tags: r.ann_tags ? (JSON.parse(r.ann_tags) as string[]) : [],
    notes: r.ann_notes,
  };
}

export function toEntry(r: AnnotatedRow): Entry {
  return {
    entryId: r.entry_id,
    kind: r.kind as EntryKind,
    direction: r.direction,
    amount: r.amount,
    currency: r.currency,
    counterparty: r.direction === "credit" ? r.debit_account : r.credit_account,
    occurredAt: r.occurred_at,
    transferId: r.transfer_id,
    reversesEntryId: r.reverses_entry_id,
    reversesKind: r.reverses_kind as EntryKind | null,
    reversedBy: r.reversed_by,
    ...effectiveDescriptive(r),
  };
}

export function toTransfer(t: TransferRow, fromAccountId: string): Transfer {
  return {
    id: t.id,
    userId: t.user_id,
    fromAccountId,
    toAccountId: t.to_account_id,
    amount: t.amount,
    creditAmount: t.credit_amount,
    postedAmount: t.posted_amount,
    currency: t.currency,
    mode: t.mode,
    status: t.status,
    phase: t.phase,
    expiresAt: t.expires_at,
    description: t.description,
    createdAt: t.created_at,
    updatedAt: t.updated_at,
    op: t.op_key && t.op_name ? { key: t.op_key, name: t.op_name, requestId: t.op_request_id ?? "unknown" } : null,
  };
}
