/**
 * The account's payment rows: how `payment_status_changed` is written (the
 * payment's row and one history row per status), and the reads of them.
 */
import type { Payment, PaymentStatus } from "../../src/domain/account/index";

export interface PaymentRow {
  id: string;
  user_id: string;
  payee_id: string;
  amount: number;
  currency: string;
  memo: string | null;
  status: PaymentStatus;
  reason: string | null;
  processor_ref: string | null;
  entry_id: string | null;
  created_at: string;
  updated_at: string;
  dispatched_at: number | null;
}

export interface PaymentHistoryRow {
  status: PaymentStatus;
  reason: string | null;
  at: string;
}

export function toPayment(r: PaymentRow): Payment {
  return {
    id: r.id,
    userId: r.user_id,
    payeeId: r.payee_id,
    amount: r.amount,
    currency: r.currency,
    memo: r.memo,
    status: r.status,
    reason: r.reason,
    processorRef: r.processor_ref,
    entryId: r.entry_id,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

/** The writes of one status change; `eventSeq` is the seq its published event takes. */
export function writePaymentChange(sql: SqlStorage, p: Payment, eventSeq: number): void {
  sql.exec(
    `INSERT INTO payments (id, user_id, payee_id, amount, currency, memo, status, reason, processor_ref, entry_id, created_at, updated_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT (id) DO UPDATE SET status = excluded.status, reason = excluded.reason, processor_ref = excluded.processor_ref,
       entry_id = excluded.entry_id, updated_at = excluded.updated_at`,
    p.id,
    p.userId,
    p.payeeId,
    p.amount,
    p.currency,
    p.memo,
    p.status,
    p.reason,
    p.processorRef,
    p.entryId,
    p.createdAt,
    p.updatedAt,
  );
  sql.exec(
    "INSERT INTO payment_history (payment_id, status, reason, at, event_seq) VALUES (?, ?, ?, ?, ?)",
    p.id,
    p.status,
    p.reason,
    p.updatedAt,
    eventSeq,
  );
}

export interface PaymentListFilter {
  status?: PaymentStatus;
  from?: string;
  to?: string;
  limit: number;
  /** Only payments created before this one (created_at, id), newest first. */
  before?: { at: string; id: string };
}

export class PaymentQueries {
  constructor(private readonly sql: SqlStorage) {}

  row(id: string): PaymentRow | null {
    return (this.sql.exec("SELECT * FROM payments WHERE id = ?", id).toArray()[0] as unknown as PaymentRow | undefined) ?? null;
  }

  payment(id: string): Payment | null {
    const r = this.row(id);
    return r ? toPayment(r) : null;
  }

  history(id: string): PaymentHistoryRow[] {
    return this.sql
      .exec("SELECT status, reason, at FROM payment_history WHERE payment_id = ? ORDER BY event_seq", id)
      .toArray() as unknown as PaymentHistoryRow[];
  }

  list(f: PaymentListFilter): PaymentRow[] {
    const where: string[] = [];
    const args: (string | number)[] = [];
    const when = (cond: string, ...values: (string | number)[]) => {
      where.push(cond);
      args.push(...values);
    };
    if (f.status) when("status = ?", f.status);
    if (f.from) when("created_at >= ?", f.from);
    if (f.to) when("created_at < ?", f.to);
    if (f.before) when("(created_at < ? OR (created_at = ? AND id < ?))", f.before.at, f.before.at, f.before.id);
    const clause = where.length ? `WHERE ${where.join(" AND ")}` : "";
    return this.sql
      .exec(`SELECT * FROM payments ${clause} ORDER BY created_at DESC, id DESC LIMIT ?`, ...args, f.limit)
      .toArray() as unknown as PaymentRow[];
  }

  /** Pending payments handed to the queue before `beforeMs` (or never), oldest first: the alarm hands them over again. */
  undispatched(beforeMs: number, limit: number): string[] {
    return this.sql
      .exec(
        "SELECT id FROM payments WHERE status = 'pending' AND (dispatched_at IS NULL OR dispatched_at < ?) ORDER BY created_at LIMIT ?",
        beforeMs,
        limit,
      )
      .toArray()
      .map((r) => r.id as string);
  }

  pendingCount(): number {
    return this.sql.exec("SELECT count(*) AS n FROM payments WHERE status = 'pending'").one().n as number;
  }
}
