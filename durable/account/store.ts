/**
 * Synchronous storage operations of one account, run inside `transaction()`
 * (one `ctx.storage.transactionSync`): append a journal entry (hash-chained,
 * seq gap-free, balance updated), write an outbox event with the next event
 * seq, and keep idempotency records. Nothing here awaits.
 *
 * The account row is read once and kept in memory: the object is the only
 * writer of its storage, and `transaction()` writes the row's counters before
 * it commits and puts the cached copy back if the transaction rolls back, so
 * the copy always equals the committed row.
 */
import type { AccountState, AccountType, Direction } from "../../src/domain/account";
import { errorBody, type DomainError } from "../../src/domain/errors";
import { entryHash, type HashedEntry } from "../../src/domain/hash-chain";
import { newEntryId, newEventId } from "../../src/domain/ids";
import type { StoredReply } from "../../src/domain/idempotency";
import type { EntryKind, EventType, PayloadOf } from "../../src/events/catalog";
import { IdempotencyKeys } from "./idempotency-keys";
import { OutboxBuffer } from "./outbox-buffer";
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
  /** Every outbox event up to this seq has been handed to the queue. */
  outbox_sent_seq: number;
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
  /** The committed account row; undefined until first read. */
  private row: AccountRow | null | undefined;
  /** Counters changed in the open transaction, written once before it commits. */
  private dirty = false;
  private depth = 0;
  /** The sent watermark as stored; the row's may be ahead (see markSent). */
  private storedSentSeq = 0;
  /** Committed events not yet sent, so the relay need not read them back. */
  readonly outbox = new OutboxBuffer();
  /** Idempotency-Key records of requests this account executed. */
  readonly keys: IdempotencyKeys;

  constructor(private readonly storage: DurableObjectStorage) {
    this.keys = new IdempotencyKeys(storage.sql);
    this.ready = hasSchema(storage.sql);
    if (this.ready) migrate(storage.sql);
  }

  private get sql(): SqlStorage {
    return this.storage.sql;
  }

  /** Create the schema on first open (inside the opening transaction). */
  prepare(): void {
    if (!this.ready) migrate(this.sql);
    this.ready = true;
  }

  /**
   * One synchronous transaction (nested calls are savepoints). The counters of
   * the account row are written once at the end; on any exception the
   * database rolls back and so does the cached row.
   */
  transaction<T>(fn: () => T): T {
    const saved = this.row ? { ...this.row } : undefined;
    const wasReady = this.ready;
    const wasDirty = this.dirty;
    const wasStoredSent = this.storedSentSeq;
    const mark = this.outbox.mark();
    this.depth++;
    try {
      const result = this.storage.transactionSync(() => {
        const r = fn();
        this.flushCounters();
        return r;
      });
      if (this.depth === 1) this.outbox.committed();
      return result;
    } catch (e) {
      if (saved && this.row) Object.assign(this.row, saved);
      else this.row = undefined;
      this.ready = wasReady;
      this.dirty = wasDirty;
      this.storedSentSeq = wasStoredSent;
      this.outbox.rolledBack(mark);
      throw e;
    } finally {
      this.depth--;
    }
  }

  account(): AccountRow | null {
    if (!this.ready) return null;
    if (this.row === undefined) {
      this.row = (this.sql.exec<Record<string, SqlStorageValue>>("SELECT * FROM account").toArray()[0] as unknown as AccountRow) ?? null;
      this.storedSentSeq = this.row?.outbox_sent_seq ?? 0;
    }
    return this.row;
  }

  insertAccount(a: Omit<AccountRow, "posted" | "pending" | "entry_seq" | "event_seq" | "outbox_sent_seq">): AccountRow {
    this.sql.exec(
      `INSERT INTO account (id, user_id, type, currency, name, credit_limit, status, created_at, closed_at, head_hash)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      a.id, a.user_id, a.type, a.currency, a.name, a.credit_limit, a.status, a.created_at, a.closed_at, a.head_hash,
    );
    this.row = undefined;
    return this.account()!;
  }

  setStatus(a: AccountRow, status: "open" | "closed", closedAt: string | null): void {
    this.inTransaction();
    this.sql.exec("UPDATE account SET status = ?, closed_at = ?", status, closedAt);
    a.status = status;
    a.closed_at = closedAt;
  }

  /** Holds for outgoing transfers; written with the other counters when the transaction commits. */
  adjustPending(a: AccountRow, delta: number): void {
    this.inTransaction();
    a.pending += delta;
    this.dirty = true;
  }

  /** The row's counters, sent watermark included (it rides along for free). */
  private flushCounters(): void {
    if (!this.dirty || !this.row) return;
    const a = this.row;
    this.sql.exec("UPDATE account SET posted = ?, pending = ?, entry_seq = ?, head_hash = ?, event_seq = ?, outbox_sent_seq = ?",
      a.posted, a.pending, a.entry_seq, a.head_hash, a.event_seq, a.outbox_sent_seq);
    this.storedSentSeq = a.outbox_sent_seq;
    this.dirty = false;
  }

  private inTransaction(): void {
    if (this.depth === 0) throw new Error("account writes must run inside store.transaction()");
  }

  /**
   * After a successful queue send: events up to `seq` are out. Stored with
   * the next transaction's counters or by `storeSentSeq` (the alarm and
   * housekeeping call it), not by a write of its own: a crash before then
   * only sends those events again, which delivery at least once allows.
   */
  markSent(seq: number): void {
    const a = this.account();
    if (!a || seq <= a.outbox_sent_seq) return;
    a.outbox_sent_seq = seq;
    this.outbox.forget(seq);
  }

  /** Store the sent watermark if it moved since it was last written. */
  storeSentSeq(): void {
    const a = this.account();
    if (!a || a.outbox_sent_seq <= this.storedSentSeq) return;
    this.sql.exec("UPDATE account SET outbox_sent_seq = ?", a.outbox_sent_seq);
    this.storedSentSeq = a.outbox_sent_seq;
  }

  /** Events up to this seq are sent as far as the database knows (what pruning may remove). */
  get storedSent(): number {
    return this.storedSentSeq;
  }

  /** Append one balanced entry: the account on one side, `counterparty` on the other. */
  appendEntry(a: AccountRow, e: NewEntry, nowIso: string): JournalRow {
    this.inTransaction();
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
    this.dirty = true;
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
    this.inTransaction();
    const seq = a.event_seq + 1;
    const event = {
      event_id: newEventId(), type, version: 1, occurred_at: occurredAt, recorded_at: nowIso,
      account_id: a.id, user_id: a.user_id, seq, payload,
    };
    const body = JSON.stringify(event);
    this.sql.exec("INSERT INTO outbox (seq, event_id, type, body, created_at) VALUES (?, ?, ?, ?, ?)", seq, event.event_id, type, body, Date.parse(nowIso));
    this.outbox.written({ seq, body: event, bytes: body.length });
    a.event_seq = seq;
    this.dirty = true;
  }

  entry(entryId: string): JournalRow | null {
    return (this.sql.exec("SELECT * FROM journal WHERE entry_id = ?", entryId).toArray()[0] as unknown as JournalRow) ?? null;
  }

  reversalOf(entryId: string): string | null {
    const row = this.sql.exec<{ entry_id: string }>("SELECT entry_id FROM journal WHERE reverses_entry_id = ?", entryId).toArray()[0];
    return row?.entry_id ?? null;
  }

}

export function okReply(status: number, body: unknown): StoredReply {
  return { status, body: JSON.stringify(body) };
}

export function errorReply(err: DomainError, requestId: string): StoredReply {
  return { status: err.status, body: JSON.stringify(errorBody(err.code, err.message, requestId, err.details)) };
}
