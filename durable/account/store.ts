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
import { type Account, type AccountEvent, evolveAccount, type PostedEntry, published } from "../../src/domain/account/index";
import { entryHash, GENESIS_HASH } from "../../src/domain/hash-chain";
import { newEventId } from "../../src/domain/ids";
import type { EventType, PayloadOf } from "../../src/events/catalog";
import { IdempotencyKeys } from "./idempotency-keys";
import { OutboxBuffer } from "./outbox-buffer";
import { AccountQueries } from "./queries";
import type { AccountRow, JournalRow } from "./rows";
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

  private get sql(): SqlStorage {
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
    return r
      ? {
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
        }
      : null;
  }

  /** Apply the decider's events, in order; returns the journal rows they appended. */
  commit(events: readonly AccountEvent[], nowIso: string): JournalRow[] {
    this.inTransaction();
    const appended: JournalRow[] = [];
    for (const e of events) {
      if (e.type === "account_opened") this.insertAccount(e.account);
      const row = this.accountRow();
      if (!row) throw new Error("account events before account_opened");
      const journal = this.apply(row, e, nowIso);
      if (journal) appended.push(journal);
      const next = evolveAccount(this.account(), e)!;
      row.posted = next.posted;
      row.pending = next.pending;
      row.status = next.status;
      row.closed_at = next.closedAt;
      const out = published(e, next, nowIso);
      if (out) this.emit(row, out.type, out.payload, out.occurredAt, nowIso);
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

  /** The table writes of one event (the counters are the caller's). */
  private apply(a: AccountRow, e: AccountEvent, now: string): JournalRow | null {
    const sql = this.sql;
    switch (e.type) {
      case "transaction_posted":
        return this.appendEntry(a, e.entry, now);
      case "transaction_annotated": {
        const c = e.current;
        sql.exec(
          `INSERT INTO annotations (entry_id, description, merchant, category, tags, notes, event_seq, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
           ON CONFLICT (entry_id) DO UPDATE SET description = excluded.description, merchant = excluded.merchant, category = excluded.category,
             tags = excluded.tags, notes = excluded.notes, event_seq = excluded.event_seq, updated_at = excluded.updated_at`,
          e.entryId,
          c.description,
          c.merchant,
          c.category,
          JSON.stringify(c.tags),
          c.notes,
          a.event_seq + 1,
          now,
        );
        return null;
      }
      case "transfer_pending": {
        const t = e.transfer;
        sql.exec(
          `INSERT INTO transfers (id, user_id, to_account_id, amount, credit_amount, currency, mode, status, phase, description,
             expires_at, created_at, updated_at, op_key, op_name, op_request_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
          t.id,
          t.userId,
          t.toAccountId,
          t.amount,
          t.creditAmount,
          t.currency,
          t.mode,
          t.status,
          t.phase,
          t.description,
          t.expiresAt,
          t.createdAt,
          t.updatedAt,
          t.op?.key ?? null,
          t.op?.name ?? null,
          t.op?.requestId ?? null,
        );
        return null;
      }
      case "transfer_crediting":
        sql.exec(
          "UPDATE transfers SET phase = 'crediting', credit_amount = ?, op_key = ?, op_name = ?, op_request_id = ?, updated_at = ? WHERE id = ?",
          e.creditAmount,
          e.op?.key ?? null,
          e.op?.name ?? null,
          e.op?.requestId ?? null,
          now,
          e.transferId,
        );
        return null;
      case "transfer_posted":
        sql.exec(
          "UPDATE transfers SET status = 'posted', phase = 'settled', posted_amount = ?, updated_at = ? WHERE id = ?",
          e.amount,
          now,
          e.transferId,
        );
        return null;
      case "transfer_voided":
        sql.exec(
          "UPDATE transfers SET status = ?, phase = 'settled', updated_at = ? WHERE id = ?",
          e.reason === "rejected" ? "failed" : "voided",
          now,
          e.transferId,
        );
        return null;
      case "transfer_received":
        sql.exec(
          "INSERT INTO received_transfers (transfer_id, from_account_id, amount, entry_id, received_at) VALUES (?, ?, ?, ?, ?)",
          e.transferId,
          e.fromAccountId,
          e.amount,
          e.entryId,
          now,
        );
        return null;
      case "budget_set": {
        const b = e.budget;
        sql.exec(
          `INSERT INTO budgets (category, limit_amount, period, alert_at, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)
           ON CONFLICT (category) DO UPDATE SET limit_amount = excluded.limit_amount, period = excluded.period,
             alert_at = excluded.alert_at, updated_at = excluded.updated_at`,
          b.category,
          b.limit,
          b.period,
          JSON.stringify(b.alertAt),
          b.createdAt,
          b.updatedAt,
        );
        return null;
      }
      case "budget_deleted":
        sql.exec("DELETE FROM budgets WHERE category = ?", e.category);
        // The ended budget's alert memory goes with it: a budget set again later is a new one.
        sql.exec("DELETE FROM budget_alerts WHERE category = ?", e.category);
        return null;
      case "budget_threshold_crossed":
        sql.exec(
          "INSERT OR IGNORE INTO budget_alerts (category, period_start, threshold_bp, crossed_at) VALUES (?, ?, ?, ?)",
          e.category,
          e.periodStart,
          e.thresholdBp,
          now,
        );
        return null;
      case "account_opened":
      case "account_closed":
        return null;
    }
  }

  /** Append one balanced entry: the account on one side, `counterparty` on the other. */
  private appendEntry(a: AccountRow, e: PostedEntry, nowIso: string): JournalRow {
    const self = `account:${a.id}`;
    const row: JournalRow = {
      seq: a.entry_seq + 1,
      entry_id: e.entryId,
      kind: e.kind,
      debit_account: e.direction === "credit" ? e.counterparty : self,
      credit_account: e.direction === "credit" ? self : e.counterparty,
      direction: e.direction,
      amount: e.amount,
      currency: a.currency,
      balance_after: e.balanceAfter,
      occurred_at: e.occurredAt,
      recorded_at: nowIso,
      transfer_id: e.transferId,
      reverses_entry_id: e.reversesEntryId,
      reverses_kind: e.reversesKind,
      description: e.description,
      merchant: e.merchant,
      category: e.category,
      metadata: e.metadata ? JSON.stringify(e.metadata) : null,
      prev_hash: a.head_hash,
      hash: "",
    };
    row.hash = entryHash(a.head_hash, row);
    this.sql.exec(
      `INSERT INTO journal (seq, entry_id, kind, debit_account, credit_account, direction, amount, currency, balance_after,
         description, merchant, category, metadata, transfer_id, reverses_entry_id, reverses_kind, occurred_at, recorded_at, prev_hash, hash)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      row.seq,
      row.entry_id,
      row.kind,
      row.debit_account,
      row.credit_account,
      row.direction,
      row.amount,
      row.currency,
      row.balance_after,
      row.description,
      row.merchant,
      row.category,
      row.metadata,
      row.transfer_id,
      row.reverses_entry_id,
      row.reverses_kind,
      row.occurred_at,
      row.recorded_at,
      row.prev_hash,
      row.hash,
    );
    a.entry_seq = row.seq;
    a.head_hash = row.hash;
    return row;
  }

  /** Write an event to the outbox with the account's next gap-free event seq. */
  private emit<T extends EventType>(a: AccountRow, type: T, payload: PayloadOf<T>, occurredAt: string, nowIso: string): void {
    const seq = a.event_seq + 1;
    const event = {
      event_id: newEventId(),
      type,
      version: 1,
      occurred_at: occurredAt,
      recorded_at: nowIso,
      account_id: a.id,
      user_id: a.user_id,
      seq,
      payload,
    };
    const body = JSON.stringify(event);
    this.sql.exec(
      "INSERT INTO outbox (seq, event_id, type, body, created_at) VALUES (?, ?, ?, ?, ?)",
      seq,
      event.event_id,
      type,
      body,
      Date.parse(nowIso),
    );
    this.outbox.written({ seq, body: event, bytes: body.length });
    a.event_seq = seq;
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
