/**
 * The account's ledger operations as the shell runs them: open, read, close,
 * post, reverse (and delete, which is a reversal with a reason), annotate,
 * list, point-in-time balance, chain verification and the reconcile view.
 */
import { balanceOf, type Account } from "../../src/domain/account/index";
import { DomainError } from "../../src/domain/errors";
import { entryHash, GENESIS_HASH } from "../../src/domain/hash-chain";
import { fingerprint } from "../../src/domain/idempotency";
import { type AnnotationInput, type Caller, ok, type OpenCommand, type Result, type TransactionFilter, type TransactionInput } from "./api";
import type { AccountExecutor } from "./executor";
import { ANNOTATED, effective } from "./queries";
import type { AnnotatedRow, JournalRow } from "./rows";
import type { AccountStore } from "./store";
import { accountView, type AccountView, entryView, type EntryView } from "./views";

export interface LedgerParts {
  store: AccountStore;
  exec: AccountExecutor;
}

type Posted = EntryView & { balance: ReturnType<typeof balanceOf> };
export interface DeletedView {
  id: string;
  object: "transaction";
  deleted: true;
  reversal: EntryView;
  balance: ReturnType<typeof balanceOf>;
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

/** A row this transaction just appended: no annotation, no reversal yet (so no read back). */
function fresh(row: JournalRow): AnnotatedRow {
  return {
    ...row,
    reversed_by: null,
    ann_entry: null,
    ann_description: null,
    ann_merchant: null,
    ann_category: null,
    ann_tags: null,
    ann_notes: null,
    ann_seq: null,
  };
}

function posted(p: LedgerParts, row: JournalRow): Posted {
  return { ...entryView(fresh(row)), balance: balanceOf(p.store.account() as Account) };
}

export function open(p: LedgerParts, cmd: OpenCommand): Result<AccountView> {
  return p.exec.write({ userId: cmd.userId, requestId: cmd.requestId }, (now) => {
    p.exec.apply(
      {
        type: "open_account",
        accountId: cmd.accountId,
        userId: cmd.userId,
        accountType: cmd.type,
        currency: cmd.currency,
        name: cmd.name,
        creditLimit: cmd.creditLimit,
      },
      now,
    );
    return ok(201, accountView(p.store.accountRow()!));
  });
}

export function get(p: LedgerParts, caller: Caller): Result<AccountView> {
  return p.exec.guarded(caller, () => ok(200, accountView(p.exec.owned(caller.userId))));
}

export function close(p: LedgerParts, caller: Caller): Result<AccountView> {
  return p.exec.write(caller, (now) => {
    p.exec.owned(caller.userId);
    p.exec.apply({ type: "close_account" }, now);
    return ok(200, accountView(p.store.accountRow()!));
  });
}

export function postTransaction(p: LedgerParts, caller: Caller, key: string, cmd: TransactionInput): Result<Posted> {
  return p.exec.idempotent(caller, key, fingerprint("transaction.create", cmd), (now) => {
    const { entries } = p.exec.apply(
      {
        type: "post_transaction",
        kind: cmd.kind,
        amount: cmd.amount,
        description: cmd.description,
        merchant: cmd.merchant,
        category: cmd.category,
        occurredAt: cmd.occurred_at,
        metadata: cmd.metadata,
      },
      now,
    );
    return ok(201, posted(p, entries[0]!));
  })!;
}

export function reverse(p: LedgerParts, caller: Caller, key: string, entryId: string): Result<Posted> {
  return p.exec.idempotent(caller, key, fingerprint("transaction.reverse", { entryId }), (now) => {
    const { entries } = p.exec.apply({ type: "reverse_transaction", entryId }, now);
    return ok(201, posted(p, entries[0]!));
  })!;
}

/**
 * Delete, the ledger way: a reversal with a reason; the entry stays in the
 * journal. Without an Idempotency-Key the entry id is the key, so repeating
 * the same delete answers as the first one did.
 */
export function deleteTransaction(
  p: LedgerParts,
  caller: Caller,
  key: string | undefined,
  entryId: string,
  reason: string | undefined,
): Result<DeletedView> {
  const k = key ?? `delete:${entryId}`;
  return p.exec.idempotent(caller, k, fingerprint("transaction.delete", { entryId, reason }), (now) => {
    const { entries } = p.exec.apply({ type: "reverse_transaction", entryId, reason }, now);
    const reversal = entryView(fresh(entries[0]!));
    return ok(200, {
      id: entryId,
      object: "transaction" as const,
      deleted: true as const,
      reversal,
      balance: balanceOf(p.store.account()!),
    });
  })!;
}

export function annotate(p: LedgerParts, caller: Caller, entryId: string, changes: AnnotationInput): Result<EntryView> {
  return p.exec.write(caller, (now) => {
    p.exec.owned(caller.userId);
    p.exec.apply({ type: "annotate_transaction", entryId, changes }, now);
    return ok(200, entryView(p.store.queries.annotatedRow(entryId)!));
  });
}

export interface EntryPage {
  object: "list";
  data: EntryView[];
  has_more: boolean;
  next_cursor: string | null;
}

export function listTransactions(p: LedgerParts, caller: Caller, f: TransactionFilter): Result<EntryPage> {
  return p.exec.guarded(caller, () => {
    p.exec.owned(caller.userId);
    const where: string[] = [];
    const args: (string | number)[] = [];
    const add = (clause: string, v: string | number | undefined) => {
      if (v !== undefined) {
        where.push(clause);
        args.push(v);
      }
    };
    add("j.seq < ?", f.before_seq);
    add(f.recorded_before?.inclusive ? "j.recorded_at <= ?" : "j.recorded_at < ?", f.recorded_before && instant(f.recorded_before.at));
    add("j.occurred_at >= ?", f.from === undefined ? undefined : instant(f.from));
    add("j.occurred_at < ?", f.to === undefined ? undefined : instant(f.to));
    add("j.kind = ?", f.kind);
    add(`${effective("category")} = ?`, f.category);
    add(`${effective("merchant")} = ?`, f.merchant);
    add("j.amount >= ?", f.min_amount);
    add("j.amount <= ?", f.max_amount);
    const sql = `${ANNOTATED} ${where.length ? `WHERE ${where.join(" AND ")}` : ""} ORDER BY j.seq DESC LIMIT ?`;
    const rows = p.store.queries.rows<AnnotatedRow>(sql, ...args, f.limit + 1);
    const page = rows.slice(0, f.limit);
    const last = page[page.length - 1];
    return ok(200, {
      object: "list" as const,
      data: page.map(entryView),
      has_more: rows.length > f.limit,
      next_cursor: rows.length > f.limit && last ? String(last.seq) : null,
    });
  });
}

export function getTransaction(p: LedgerParts, caller: Caller, entryId: string): Result<EntryView> {
  return p.exec.guarded(caller, () => {
    p.exec.owned(caller.userId);
    const e = p.store.queries.annotatedRow(entryId);
    if (!e) throw new DomainError("not_found", "Transaction not found");
    return ok(200, entryView(e));
  });
}

/** Posted balance as of an event time (late and back-valued entries count on their own time). */
export function balanceAt(p: LedgerParts, caller: Caller, at: string | undefined) {
  return p.exec.guarded(caller, () => {
    const a = p.exec.owned(caller.userId);
    const asOf = at === undefined ? new Date().toISOString() : instant(at);
    const row = p.store.queries.balanceAt(asOf);
    return ok(200, {
      object: "balance" as const,
      account_id: a.id,
      currency: a.currency,
      at: asOf,
      posted: row.posted,
      entries: row.entries,
    });
  });
}

/** Recompute the hash chain and seq continuity over the whole journal. */
export function verify(p: LedgerParts, caller: Caller) {
  return p.exec.guarded(caller, () => {
    const a = p.exec.owned(caller.userId);
    let prev = GENESIS_HASH;
    let expectedSeq = 1;
    let balance = 0;
    let valid = true;
    let firstBad: number | null = null;
    for (const e of p.store.queries.journal()) {
      balance += e.direction === "credit" ? e.amount : -e.amount;
      const good = e.seq === expectedSeq && e.prev_hash === prev && entryHash(prev, e) === e.hash && e.balance_after === balance;
      if (!good && valid) {
        valid = false;
        firstBad = e.seq;
      }
      prev = e.hash;
      expectedSeq++;
    }
    valid = valid && prev === a.head_hash && balance === a.posted && expectedSeq - 1 === a.entry_seq;
    return ok(200, { ok: valid, entries: expectedSeq - 1, head_hash: prev, first_invalid_seq: firstBad });
  });
}

/** A page of the journal for reconciliation, each entry with its latest annotation (effective values and that event's seq). */
export function reconcileView(p: LedgerParts, opts: { afterSeq: number; limit: number }) {
  const a = p.store.accountRow();
  if (!a) return { account: null, entries: [], next_after_seq: null };
  const limit = Math.max(1, Math.min(opts.limit, 5000));
  const rows = p.store.queries.journalPage(opts.afterSeq, limit + 1);
  const page = rows.slice(0, limit);
  return {
    account: {
      id: a.id,
      user_id: a.user_id,
      currency: a.currency,
      status: a.status,
      posted: a.posted,
      pending: a.pending,
      event_seq: a.event_seq,
    },
    entries: page.map((r) => ({
      seq: r.seq,
      entry_id: r.entry_id,
      kind: r.kind,
      direction: r.direction,
      amount: r.amount,
      currency: r.currency,
      balance_after: r.balance_after,
      description: r.description,
      merchant: r.merchant,
      category: r.category,
      transfer_id: r.transfer_id,
      reverses_entry_id: r.reverses_entry_id,
      reverses_kind: r.reverses_kind,
      occurred_at: r.occurred_at,
      recorded_at: r.recorded_at,
      annotation:
        r.ann_entry === null
          ? null
          : { event_seq: r.ann_seq!, description: r.ann_description, merchant: r.ann_merchant, category: r.ann_category },
    })),
    next_after_seq: rows.length > limit ? page[page.length - 1]!.seq : null,
  };
}
