/**
 * Synchronous storage operations of one account, to be called inside
 * `ctx.storage.transactionSync`: append a journal entry (hash-chained, seq
 * gap-free, balance updated), write an outbox event with the next event seq,
 * and keep idempotency records. Nothing here awaits.
 */
import type { AccountState, AccountType, Direction } from "../../src/domain/account";
import { errorBody, type DomainError } from "../../src/domain/errors";
import { entryHash, type HashedEntry } from "../../src/domain/hash-chain";
import { newEntryId, newEventId } from "../../src/domain/ids";
import type { IdempotencyRecord, StoredReply } from "../../src/domain/idempotency";
import type { EntryKind, EventType, PayloadOf } from "../../src/events/catalog";
import { hasSchema, migrate } from "./schema";

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
}

export interface JournalRow extends HashedEntry {
  direction: Direction;
  reverses_kind: string | null;
  prev_hash: string;
  hash: string;
}

export interface NewEntry {
  kind: EntryKind;
  direction: Direction;
  amount: number;
  counterparty: string;
  occurredAt: string;
  description?: string | null;
  merchant?: string | null;
  category?: string | null;
  metadata?: Record<string, string> | null;
  transferId?: string | null;
  reversesEntryId?: string | null;
  reversesKind?: string | null;
  entryId?: string;
}

export function toState(a: AccountRow): AccountState {
  return {
    id: a.id, userId: a.user_id, type: a.type, currency: a.currency, name: a.name,
    creditLimit: a.credit_limit, status: a.status, posted: a.posted, pending: a.pending,
  };
}

export class AccountStore {
  /** False until the account is opened: reads of an unknown id answer "not found" without writing anything. */
  ready: boolean;

  constructor(private readonly sql: SqlStorage) {
    this.ready = hasSchema(sql);
    if (this.ready) migrate(sql);
  }

  /** Create the schema on first open. */
  prepare(): void {
    if (!this.ready) migrate(this.sql);
    this.ready = true;
  }

  account(): AccountRow | null {
    if (!this.ready) return null;
    return (this.sql.exec<Record<string, SqlStorageValue>>("SELECT * FROM account").toArray()[0] as unknown as AccountRow) ?? null;
  }

  insertAccount(a: Omit<AccountRow, "posted" | "pending" | "entry_seq" | "event_seq">): void {
    this.sql.exec(
      `INSERT INTO account (id, user_id, type, currency, name, credit_limit, status, created_at, closed_at, head_hash)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      a.id, a.user_id, a.type, a.currency, a.name, a.credit_limit, a.status, a.created_at, a.closed_at, a.head_hash,
    );
  }

  setStatus(status: "open" | "closed", closedAt: string | null): void {
    this.sql.exec("UPDATE account SET status = ?, closed_at = ?", status, closedAt);
  }

  adjustPending(delta: number): void {
    this.sql.exec("UPDATE account SET pending = pending + ?", delta);
  }

  /** Append one balanced entry: the account on one side, `counterparty` on the other. */
  appendEntry(a: AccountRow, e: NewEntry, nowIso: string): JournalRow {
    const self = `account:${a.id}`;
    const seq = a.entry_seq + 1;
    const balanceAfter = a.posted + (e.direction === "credit" ? e.amount : -e.amount);
    const row: JournalRow = {
      seq,
      entry_id: e.entryId ?? newEntryId(),
      kind: e.kind,
      debit_account: e.direction === "credit" ? e.counterparty : self,
      credit_account: e.direction === "credit" ? self : e.counterparty,
      direction: e.direction,
      amount: e.amount,
      currency: a.currency,
      balance_after: balanceAfter,
      occurred_at: e.occurredAt,
      recorded_at: nowIso,
      transfer_id: e.transferId ?? null,
      reverses_entry_id: e.reversesEntryId ?? null,
      reverses_kind: e.reversesKind ?? null,
      description: e.description ?? null,
      merchant: e.merchant ?? null,
      category: e.category ?? null,
      metadata: e.metadata ? JSON.stringify(e.metadata) : null,
      prev_hash: a.head_hash,
      hash: "",
    };
    row.hash = entryHash(a.head_hash, row);
    this.sql.exec(
      `INSERT INTO journal (seq, entry_id, kind, debit_account, credit_account, direction, amount, currency, balance_after,
         description, merchant, category, metadata, transfer_id, reverses_entry_id, reverses_kind, occurred_at, recorded_at, prev_hash, hash)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      row.seq, row.entry_id, row.kind, row.debit_account, row.credit_account, row.direction, row.amount, row.currency,
      row.balance_after, row.description, row.merchant, row.category, row.metadata, row.transfer_id, row.reverses_entry_id,
      row.reverses_kind, row.occurred_at, row.recorded_at, row.prev_hash, row.hash,
    );
    a.posted = balanceAfter;
    a.entry_seq = seq;
    a.head_hash = row.hash;
    this.emit(a, "transaction_posted", {
      entry_id: row.entry_id, kind: e.kind, direction: e.direction, amount: e.amount, currency: a.currency,
      balance_after: balanceAfter, description: row.description, merchant: row.merchant, category: row.category,
      transfer_id: row.transfer_id, counterparty: e.counterparty, reverses_entry_id: row.reverses_entry_id,
      reverses_kind: (row.reverses_kind as EntryKind | null) ?? null,
    }, e.occurredAt, nowIso);
    return row;
  }

  /** Write an event to the outbox with the account's next gap-free event seq. */
  emit<T extends EventType>(a: AccountRow, type: T, payload: PayloadOf<T>, occurredAt: string, nowIso: string): void {
    const seq = a.event_seq + 1;
    const event = {
      event_id: newEventId(), type, version: 1, occurred_at: occurredAt, recorded_at: nowIso,
      account_id: a.id, user_id: a.user_id, seq, payload,
    };
    this.sql.exec(
      "INSERT INTO outbox (seq, event_id, type, body, created_at) VALUES (?, ?, ?, ?, ?)",
      seq, event.event_id, type, JSON.stringify(event), Date.parse(nowIso),
    );
    a.event_seq = seq;
    // One row update carries the entry's and the event's counters together.
    this.sql.exec("UPDATE account SET posted = ?, entry_seq = ?, head_hash = ?, event_seq = ?", a.posted, a.entry_seq, a.head_hash, seq);
  }

  entry(entryId: string): JournalRow | null {
    return (this.sql.exec("SELECT * FROM journal WHERE entry_id = ?", entryId).toArray()[0] as unknown as JournalRow) ?? null;
  }

  reversalOf(entryId: string): string | null {
    const row = this.sql.exec<{ entry_id: string }>("SELECT entry_id FROM journal WHERE reverses_entry_id = ?", entryId).toArray()[0];
    return row?.entry_id ?? null;
  }

  idempotency(key: string): IdempotencyRecord | null {
    const row = this.sql
      .exec<{ fingerprint: string; status: string; response_status: number | null; response_body: string | null }>(
        "SELECT fingerprint, status, response_status, response_body FROM idempotency WHERE key = ?", key)
      .toArray()[0];
    if (!row) return null;
    return {
      fingerprint: row.fingerprint,
      status: row.status === "done" ? "done" : "in_progress",
      reply: row.response_status !== null && row.response_body !== null ? { status: row.response_status, body: row.response_body } : null,
    };
  }

  /** Record a key: done with its reply, or in progress when the reply comes later (`finishIdempotent`). */
  recordIdempotent(key: string, fp: string, reply: StoredReply | undefined, nowMs: number): void {
    this.sql.exec(
      "INSERT INTO idempotency (key, fingerprint, status, response_status, response_body, created_at) VALUES (?, ?, ?, ?, ?, ?)",
      key, fp, reply ? "done" : "in_progress", reply?.status ?? null, reply?.body ?? null, nowMs);
  }

  finishIdempotent(key: string, reply: StoredReply): void {
    this.sql.exec("UPDATE idempotency SET status = 'done', response_status = ?, response_body = ? WHERE key = ?", reply.status, reply.body, key);
  }

  pruneIdempotency(olderThanMs: number): void {
    this.sql.exec("DELETE FROM idempotency WHERE status = 'done' AND created_at < ?", olderThanMs);
  }
}

export function okReply(status: number, body: unknown): StoredReply {
  return { status, body: JSON.stringify(body) };
}

export function errorReply(err: DomainError, requestId: string): StoredReply {
  return { status: err.status, body: JSON.stringify(errorBody(err.code, err.message, requestId, err.details)) };
}
