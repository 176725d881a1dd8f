/**
 * Ledger operations of one account: open, close, post a transaction, reverse
 * one, list, point-in-time balance, chain verification and the journal view
 * that reconciliation reads. Each write is one synchronous transaction.
 */
import type { AccountDO, Caller, Reply } from "../account-do";
import {
  counterpartyOf, decideClose, decideMovement, decideReversal, DIRECTION, validateOccurredAt, type AccountType,
} from "../../src/domain/account";
import { DomainError } from "../../src/domain/errors";
import { entryHash, GENESIS_HASH } from "../../src/domain/hash-chain";
import type { TransactionKind } from "../../src/events/catalog";
import { afterSpendingEntry } from "./budget-ops";
import { okReply, toState, type JournalRow } from "./store";
import { accountView, entryView } from "./views";

export interface OpenCommand {
  accountId: string;
  userId: string;
  type: AccountType;
  currency: string;
  name: string;
  creditLimit: number;
  requestId: string;
}

export interface TransactionCommand {
  kind: TransactionKind;
  amount: number;
  description?: string;
  merchant?: string;
  category?: string;
  occurred_at?: string;
  metadata?: Record<string, string>;
}

export interface TransactionFilter {
  from?: string;
  to?: string;
  kind?: string;
  category?: string;
  merchant?: string;
  min_amount?: number;
  max_amount?: number;
  limit: number;
  /** Exclusive upper bound on seq (newest first). */
  before_seq?: number;
}

/**
 * Event times are stored as UTC `toISOString()` text and compared as text, so a
 * bound given with another offset or precision must be rewritten the same way
 * first ("…T05:00:00-05:00" is 10:00Z; "…T10:00:00Z" sorts after "…T10:00:00.500Z").
 */
function instant(t: string): string {
  const ms = Date.parse(t);
  if (Number.isNaN(ms)) throw new DomainError("validation_error", "Expected an ISO 8601 date-time");
  return new Date(ms).toISOString();
}

export async function open(d: AccountDO, cmd: OpenCommand): Promise<Reply> {
  const caller = { userId: cmd.userId, requestId: cmd.requestId };
  const reply = d.guarded(caller, () =>
    d.store.transaction(() => {
      d.store.prepare();
      if (d.store.account()) throw new DomainError("conflict", "Account already exists");
      const now = new Date().toISOString();
      const a = d.store.insertAccount({
        id: cmd.accountId, user_id: cmd.userId, type: cmd.type, currency: cmd.currency, name: cmd.name,
        credit_limit: cmd.type === "credit" ? cmd.creditLimit : 0, status: "open", created_at: now, closed_at: null,
        head_hash: GENESIS_HASH,
      });
      d.store.emit(a, "account_opened", { account_type: a.type, currency: a.currency, name: a.name, credit_limit: a.credit_limit }, now, now);
      return okReply(201, accountView(a));
    }),
  );
  if (reply.status === 201) await d.outbox.committed();
  return reply;
}

export function get(d: AccountDO, caller: Caller): Reply {
  return d.guarded(caller, () => okReply(200, accountView(d.owned(caller.userId))));
}

export async function close(d: AccountDO, caller: Caller): Promise<Reply> {
  const reply = d.guarded(caller, () =>
    d.store.transaction(() => {
      const a = d.owned(caller.userId);
      decideClose(toState(a));
      const now = new Date().toISOString();
      d.store.setStatus(a, "closed", now);
      d.store.emit(a, "account_closed", { currency: a.currency }, now, now);
      return okReply(200, accountView(a));
    }),
  );
  await d.outbox.committed();
  return reply;
}

export async function postTransaction(d: AccountDO, caller: Caller, key: string, cmd: TransactionCommand): Promise<Reply> {
  const reply = d.idempotent(caller, key, "transaction.create", cmd, (a, now) => {
    const occurredAt = cmd.occurred_at ? validateOccurredAt(cmd.occurred_at, Date.parse(now)) : now;
    const direction = DIRECTION[cmd.kind];
    decideMovement(toState(a), direction, cmd.amount);
    const entry = d.store.appendEntry(a, {
      kind: cmd.kind, direction, amount: cmd.amount, counterparty: counterpartyOf(cmd.kind, cmd.merchant ?? null),
      occurredAt, description: cmd.description, merchant: cmd.merchant, category: cmd.category, metadata: cmd.metadata,
    }, now);
    afterSpendingEntry(d, a, entry, now);
    return okReply(201, { ...entryView(entry, null), balance: accountView(a).balance });
  });
  if (!reply.replayed) await d.outbox.committed();
  return reply;
}

export async function reverse(d: AccountDO, caller: Caller, key: string, entryId: string): Promise<Reply> {
  const reply = d.idempotent(caller, key, "transaction.reverse", { entryId }, (a, now) => {
    const original = d.store.entry(entryId);
    if (!original) throw new DomainError("not_found", "Transaction not found");
    const { direction } = decideReversal(toState(a), { ...original, reversedBy: d.store.reversalOf(entryId) });
    // Back-valued: the reversal lands on the original's event time, so every
    // balance, budget and aggregate sees the pair cancel on the same day.
    const entry = d.store.appendEntry(a, {
      kind: "reversal", direction, amount: original.amount,
      counterparty: original.direction === "credit" ? original.debit_account : original.credit_account,
      occurredAt: original.occurred_at, description: `Reversal of ${original.entry_id}`,
      merchant: original.merchant, category: original.category, reversesEntryId: original.entry_id, reversesKind: original.kind,
    }, now);
    afterSpendingEntry(d, a, entry, now);
    return okReply(201, { ...entryView(entry, null), balance: accountView(a).balance });
  });
  if (!reply.replayed) await d.outbox.committed();
  return reply;
}

export function listTransactions(d: AccountDO, caller: Caller, f: TransactionFilter): Reply {
  return d.guarded(caller, () => {
    d.owned(caller.userId);
    const where: string[] = [];
    const args: (string | number)[] = [];
    const add = (clause: string, v: string | number | undefined) => {
      if (v !== undefined) { where.push(clause); args.push(v); }
    };
    add("seq < ?", f.before_seq);
    add("occurred_at >= ?", f.from === undefined ? undefined : instant(f.from));
    add("occurred_at < ?", f.to === undefined ? undefined : instant(f.to));
    add("kind = ?", f.kind);
    add("category = ?", f.category);
    add("merchant = ?", f.merchant);
    add("amount >= ?", f.min_amount);
    add("amount <= ?", f.max_amount);
    const sql = `SELECT j.*, (SELECT r.entry_id FROM journal r WHERE r.reverses_entry_id = j.entry_id) AS reversed_by
      FROM journal j ${where.length ? `WHERE ${where.join(" AND ")}` : ""} ORDER BY seq DESC LIMIT ?`;
    const rows = d.storage.sql.exec(sql, ...args, f.limit + 1).toArray() as unknown as (JournalRow & { reversed_by: string | null })[];
    const page = rows.slice(0, f.limit);
    const last = page[page.length - 1];
    return okReply(200, {
      object: "list",
      data: page.map((r) => entryView(r, r.reversed_by)),
      has_more: rows.length > f.limit,
      next_cursor: rows.length > f.limit && last ? String(last.seq) : null,
    });
  });
}

export function getTransaction(d: AccountDO, caller: Caller, entryId: string): Reply {
  return d.guarded(caller, () => {
    d.owned(caller.userId);
    const e = d.store.entry(entryId);
    if (!e) throw new DomainError("not_found", "Transaction not found");
    return okReply(200, entryView(e, d.store.reversalOf(entryId)));
  });
}

/** Posted balance as of an event time (late and back-valued entries count on their own time). */
export function balanceAt(d: AccountDO, caller: Caller, at: string | undefined): Reply {
  return d.guarded(caller, () => {
    const a = d.owned(caller.userId);
    const asOf = at === undefined ? new Date().toISOString() : instant(at);
    const row = d.storage.sql
      .exec<{ posted: number; entries: number }>(
        `SELECT COALESCE(SUM(CASE direction WHEN 'credit' THEN amount ELSE -amount END), 0) AS posted, COUNT(*) AS entries
         FROM journal WHERE occurred_at <= ?`, asOf)
      .one();
    return okReply(200, { object: "balance", account_id: a.id, currency: a.currency, at: asOf, posted: row.posted, entries: row.entries });
  });
}

/** Recompute the hash chain and seq continuity over the whole journal. */
export function verify(d: AccountDO, caller: Caller): Reply {
  return d.guarded(caller, () => {
    const a = d.owned(caller.userId);
    let prev = GENESIS_HASH;
    let expectedSeq = 1;
    let balance = 0;
    let ok = true;
    let firstBad: number | null = null;
    for (const row of d.storage.sql.exec("SELECT * FROM journal ORDER BY seq")) {
      const e = row as unknown as JournalRow;
      balance += e.direction === "credit" ? e.amount : -e.amount;
      const good = e.seq === expectedSeq && e.prev_hash === prev && entryHash(prev, e) === e.hash && e.balance_after === balance;
      if (!good && ok) { ok = false; firstBad = e.seq; }
      prev = e.hash;
      expectedSeq++;
    }
    ok = ok && prev === a.head_hash && balance === a.posted && expectedSeq - 1 === a.entry_seq;
    return okReply(200, { ok, entries: expectedSeq - 1, head_hash: prev, first_invalid_seq: firstBad });
  });
}

export function reconcileView(d: AccountDO, opts: { afterSeq: number; limit: number }) {
  const a = d.store.account();
  if (!a) return { account: null, entries: [], next_after_seq: null };
  const limit = Math.max(1, Math.min(opts.limit, 5000));
  const rows = d.storage.sql
    .exec("SELECT * FROM journal WHERE seq > ? ORDER BY seq LIMIT ?", opts.afterSeq, limit + 1)
    .toArray() as unknown as JournalRow[];
  const page = rows.slice(0, limit);
  return {
    account: { id: a.id, user_id: a.user_id, currency: a.currency, status: a.status, posted: a.posted, pending: a.pending, event_seq: a.event_seq },
    entries: page.map(({ prev_hash: _p, hash: _h, debit_account: _d, credit_account: _c, metadata: _m, ...e }) => e),
    next_after_seq: rows.length > limit ? page[page.length - 1]!.seq : null,
  };
}
