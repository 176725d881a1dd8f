/**
 * The only writer of an account's SQLite. `commit(events)` applies the
 * decider's events inside the caller's `transaction()` (one
 * `ctx.storage.transactionSync`): journal rows (hash-chained, seq gap-free),
 * annotations, transfers, budgets, and an outbox row with the next gap-free
 * event seq for each published event. Nothing here awaits.
 *
 * The account row is read once and kept in memory: the object is the only
 * writer of its storage, and `transaction()` writes the row's counters before
 * it commits and puts the cached copy back if the transaction rolls back, so
 * the copy always equals the committed row.
 */
import { type Account, type AccountEvent, evolveAccount, published } from "../../src/domain/account/index";
import { GENESIS_HASH } from "../../src/domain/hash-chain";
import { applyEvent, emitEvent } from "./event-writes";
import { IdempotencyKeys } from "./idempotency-keys";
import { OutboxBuffer } from "./outbox-buffer";
import { AccountQueries } from "./queries";
import { type AccountRow, type JournalRow, toAccount } from "./rows";
import { hasSchema, migrate } from "./schema";

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
  /** Read-only queries, the decider's reads among them. */
  readonly queries: AccountQueries;

  constructor(private readonly storage: DurableObjectStorage) {
    this.keys = new IdempotencyKeys(storage.sql);
    this.queries = new AccountQueries(storage.sql, () => this.row?.id ?? "");
    this.ready = hasSchema(storage.sql);
    if (this.ready) migrate(storage.sql);
  }

  get sql(): SqlStorage {
    return this.storage.sql;
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

  /** The stored row, counters included (for the views that show seqs and the hash head). */
  accountRow(): AccountRow | null {
    if (!this.ready) return null;
    if (this.row === undefined) {
      this.row = (this.sql.exec("SELECT * FROM account").toArray()[0] as unknown as AccountRow | undefined) ?? null;
      this.storedSentSeq = this.row?.outbox_sent_seq ?? 0;
    }
    return this.row;
  }

  /** The account as the decider sees it. */
  account(): Account | null {
    const r = this.accountRow();
    return r ? toAccount(r) : null;
  }

  /** Apply the decider's events, in order; returns the journal rows they appended. */
  commit(events: readonly AccountEvent[], nowIso: string): JournalRow[] {
    this.inTransaction();
    const appended: JournalRow[] = [];
    for (const e of events) {
      if (e.type === "account_opened") this.insertAccount(e.account);
      const row = this.accountRow();
      if (!row) throw new Error("account events before account_opened");
      const journal = applyEvent(this, row, e, nowIso);
      if (journal) appended.push(journal);
      const next = evolveAccount(this.account(), e)!;
      row.posted = next.posted;
      row.pending = next.pending;
      row.status = next.status;
      row.closed_at = next.closedAt;
      const out = published(e, next, nowIso);
      if (out) emitEvent(this, row, out.type, out.payload, out.occurredAt, nowIso);
      this.dirty = true;
    }
    return appended;
  }

  private insertAccount(a: Account): void {
    if (!this.ready) migrate(this.sql);
    this.ready = true;
    this.sql.exec(
      `INSERT INTO account (id, user_id, type, currency, name, credit_limit, status, created_at, closed_at, head_hash)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      a.id,
      a.userId,
      a.type,
      a.currency,
      a.name,
      a.creditLimit,
      a.status,
      a.createdAt,
      a.closedAt,
      GENESIS_HASH,
    );
    this.row = undefined;
  }

  /** The row's counters, sent watermark included (it rides along for free). */
  private flushCounters(): void {
    if (!this.dirty || !this.row) return;
    const a = this.row;
    this.sql.exec(
      "UPDATE account SET posted = ?, pending = ?, status = ?, closed_at = ?, entry_seq = ?, head_hash = ?, event_seq = ?, outbox_sent_seq = ?",
      a.posted,
      a.pending,
      a.status,
      a.closed_at,
      a.entry_seq,
      a.head_hash,
      a.event_seq,
      a.outbox_sent_seq,
    );
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
    const a = this.accountRow();
    if (!a || seq <= a.outbox_sent_seq) return;
    a.outbox_sent_seq = seq;
    this.outbox.forget(seq);
  }

  /** Store the sent watermark if it moved since it was last written. */
  storeSentSeq(): void {
    const a = this.accountRow();
    if (!a || a.outbox_sent_seq <= this.storedSentSeq) return;
    this.sql.exec("UPDATE account SET outbox_sent_seq = ?", a.outbox_sent_seq);
    this.storedSentSeq = a.outbox_sent_seq;
  }

  /** A credit call that failed (the alarm retries it); bookkeeping outside any money transaction. */
  noteCreditAttempt(transferId: string): void {
    this.sql.exec("UPDATE transfers SET attempts = attempts + 1 WHERE id = ?", transferId);
  }

  /**
   * The symbol's book answered for an order: `add` becomes `booked`, `remove`
   * becomes `none`. Guarded by the state it answered for, so an order closed
   * while its booking was in flight stays owed a removal.
   */
  settleBook(orderId: string, answered: "add" | "remove" | "none" | "booked"): void {
    const next = answered === "add" ? "booked" : "none";
    this.sql.exec("UPDATE orders SET book = ? WHERE id = ? AND book = ?", next, orderId, answered);
  }

  /** Housekeeping: sent events older than `beforeMs` (a prefix in seq order), and finished keys past retention. */
  prune(keysBeforeMs: number, sentBeforeMs: number): void {
    this.keys.prune(keysBeforeMs);
    this.storeSentSeq();
    // Sent as stored, so a restart never finds a gap. Rows are in time order, so the
    // expired ones are a prefix: find its end without walking the rest.
    this.sql.exec(
      `DELETE FROM outbox WHERE seq <= ?1 AND seq < COALESCE((SELECT seq FROM outbox WHERE created_at >= ?2 ORDER BY seq LIMIT 1), ?1 + 1)`,
      this.storedSentSeq,
      sentBeforeMs,
    );
  }

  /** Events up to this seq are sent as far as the database knows (what pruning may remove). */
  get storedSent(): number {
    return this.storedSentSeq;
  }
}
