/**
 * The account's reads from SQLite: the decider's `Reads`, and the lists and
 * lookups the views need. Read-only; `store.ts` is the only writer.
 */
import type { BudgetState, HeldOrder, HeldPosition, Reads } from "../../src/domain/account/index";
import { OrderQueries } from "./order-rows";
import { PaymentQueries } from "./payment-rows";
import { SPENDING_KINDS } from "../../src/domain/spending";
import type { AnnotatedRow, BudgetRow, JournalRow, TransferRow } from "./rows";
import { toEntry, toTransfer } from "./rows";

const KINDS = `(${SPENDING_KINDS.map((k) => `'${k}'`).join(", ")})`;
const SPENDING = `(j.kind IN ${KINDS} OR j.reverses_kind IN ${KINDS})`;

/** A journal row joined with its latest annotation and its reversal. */
export const ANNOTATED = `SELECT j.*, n.entry_id AS ann_entry, n.description AS ann_description, n.merchant AS ann_merchant,
    n.category AS ann_category, n.tags AS ann_tags, n.notes AS ann_notes, n.event_seq AS ann_seq,
    (SELECT r.entry_id FROM journal r WHERE r.reverses_entry_id = j.entry_id) AS reversed_by
  FROM journal j LEFT JOIN annotations n ON n.entry_id = j.entry_id`;

/** The effective value of a descriptive column: the annotation's once there is one. */
export const effective = (column: "category" | "merchant" | "description") =>
  `(CASE WHEN n.entry_id IS NULL THEN j.${column} ELSE n.${column} END)`;

export function toBudgetState(r: BudgetRow): BudgetState {
  return {
    category: r.category,
    limit: r.limit_amount,
    period: r.period,
    alertAt: JSON.parse(r.alert_at) as number[],
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

export class AccountQueries implements Reads {
  /** The trading rows' queries (order-rows.ts). */
  readonly orders: OrderQueries;
  /** The payment rows' queries (payment-rows.ts). */
  readonly payments: PaymentQueries;

  constructor(
    private readonly sql: SqlStorage,
    private readonly accountId: () => string,
  ) {
    this.orders = new OrderQueries(sql);
    this.payments = new PaymentQueries(sql);
  }

  payment(paymentId: string) {
    return this.payments.payment(paymentId);
  }

  order(orderId: string): HeldOrder | null {
    return this.orders.order(orderId);
  }

  orderByClientId(clientOrderId: string): HeldOrder | null {
    return this.orders.orderByClientId(clientOrderId);
  }

  hasFill(fillId: string): boolean {
    return this.orders.hasFill(fillId);
  }

  position(symbol: string): HeldPosition {
    return this.orders.position(symbol);
  }

  reservedSellQty(symbol: string): number {
    return this.orders.reservedSellQty(symbol);
  }

  private first<T>(query: string, ...args: SqlStorageValue[]): T | null {
    return (this.sql.exec(query, ...args).toArray()[0] as T | undefined) ?? null;
  }

  annotatedRow(entryId: string): AnnotatedRow | null {
    return this.first<AnnotatedRow>(`${ANNOTATED} WHERE j.entry_id = ?`, entryId);
  }

  entry(entryId: string) {
    const r = this.annotatedRow(entryId);
    return r ? toEntry(r) : null;
  }

  transferRow(id: string): TransferRow | null {
    return this.first<TransferRow>("SELECT * FROM transfers WHERE id = ?", id);
  }

  transfer(id: string) {
    const t = this.transferRow(id);
    return t ? toTransfer(t, this.accountId()) : null;
  }

  received(transferId: string): string | null {
    return this.first<{ entry_id: string }>("SELECT entry_id FROM received_transfers WHERE transfer_id = ?", transferId)?.entry_id ?? null;
  }

  budgetRow(category: string): BudgetRow | null {
    return this.first<BudgetRow>("SELECT * FROM budgets WHERE category = ?", category);
  }

  budget(category: string) {
    const r = this.budgetRow(category);
    return r ? toBudgetState(r) : null;
  }

  budgetCount(): number {
    return this.sql.exec<{ n: number }>("SELECT COUNT(*) AS n FROM budgets").one().n;
  }

  budgets(limit: number): BudgetRow[] {
    return this.sql.exec("SELECT * FROM budgets ORDER BY category LIMIT ?", limit).toArray() as unknown as BudgetRow[];
  }

  /** Spend by effective category: rows still in it by their own category, plus rows annotated into it (each index-driven). */
  spent(category: string, start: string, end: string): number {
    return this.sql
      .exec<{ spent: number }>(
        `SELECT COALESCE(SUM(CASE direction WHEN 'debit' THEN amount ELSE -amount END), 0) AS spent FROM (
           SELECT j.direction, j.amount FROM journal j LEFT JOIN annotations n ON n.entry_id = j.entry_id
            WHERE j.category = ?1 AND j.occurred_at >= ?2 AND j.occurred_at < ?3 AND ${SPENDING} AND (n.entry_id IS NULL OR n.category IS ?1)
           UNION ALL
           SELECT j.direction, j.amount FROM annotations n JOIN journal j ON j.entry_id = n.entry_id
            WHERE n.category = ?1 AND j.category IS NOT ?1 AND j.occurred_at >= ?2 AND j.occurred_at < ?3 AND ${SPENDING})`,
        category,
        start,
        end,
      )
      .one().spent;
  }

  alerted(category: string, periodStart: string, thresholdBp: number): boolean {
    return (
      this.first(
        "SELECT 1 FROM budget_alerts WHERE category = ? AND period_start = ? AND threshold_bp = ?",
        category,
        periodStart,
        thresholdBp,
      ) !== null
    );
  }

  rows<T>(query: string, ...args: SqlStorageValue[]): T[] {
    return this.sql.exec(query, ...args).toArray() as unknown as T[];
  }

  journalPage(afterSeq: number, limit: number): AnnotatedRow[] {
    return this.rows<AnnotatedRow>(`${ANNOTATED} WHERE j.seq > ? ORDER BY j.seq LIMIT ?`, afterSeq, limit);
  }

  /** Every journal row in seq order, streamed. */
  *journal(): Generator<JournalRow> {
    for (const row of this.sql.exec("SELECT * FROM journal ORDER BY seq")) yield row as unknown as JournalRow;
  }

  balanceAt(asOf: string): { posted: number; entries: number } {
    return this.sql
      .exec<{ posted: number; entries: number }>(
        `SELECT COALESCE(SUM(CASE direction WHEN 'credit' THEN amount ELSE -amount END), 0) AS posted, COUNT(*) AS entries
         FROM journal WHERE occurred_at <= ?`,
        asOf,
      )
      .one();
  }

  dueExpiries(nowIso: string): string[] {
    return this.rows<{ id: string }>(
      "SELECT id FROM transfers WHERE status = 'pending' AND phase = 'reserved' AND expires_at <= ?",
      nowIso,
    ).map((r) => r.id);
  }

  inFlightIds(limit: number): string[] {
    return this.rows<{ id: string }>("SELECT id FROM transfers WHERE phase = 'crediting' LIMIT ?", limit).map((r) => r.id);
  }

  inFlight(): { id: string; to_account_id: string; amount: number }[] {
    return this.rows("SELECT id, to_account_id, credit_amount AS amount FROM transfers WHERE phase = 'crediting'");
  }

  inFlightCount(): number {
    return this.sql.exec<{ n: number }>("SELECT COUNT(*) AS n FROM transfers WHERE phase = 'crediting'").one().n;
  }

  nextExpiry(): string | null {
    return this.sql
      .exec<{ at: string | null }>("SELECT MIN(expires_at) AS at FROM transfers WHERE status = 'pending' AND phase = 'reserved'")
      .one().at;
  }

  /** Sent and received transfers, newest first, optionally by status and before a creation instant. */
  transferActivity(
    status: TransferRow["status"] | undefined,
    before: { at: string; inclusive?: boolean; id?: string } | undefined,
    limit: number,
  ) {
    const cmp = before?.inclusive
      ? "created_at <= ?2"
      : before?.id
        ? "(created_at < ?2 OR (created_at = ?2 AND id < ?4))"
        : "created_at < ?2";
    return this.rows<{
      id: string;
      direction: "sent" | "received";
      counterparty: string;
      amount: number;
      posted_amount: number | null;
      status: TransferRow["status"];
      created_at: string;
    }>(
      `SELECT * FROM (
         SELECT id, 'sent' AS direction, to_account_id AS counterparty, amount, posted_amount, status, created_at FROM transfers
         UNION ALL
         SELECT transfer_id AS id, 'received' AS direction, from_account_id AS counterparty, amount, amount AS posted_amount, 'posted' AS status,
           received_at AS created_at FROM received_transfers)
       WHERE (?1 IS NULL OR status = ?1) AND (?2 IS NULL OR ${cmp})
       ORDER BY created_at DESC, id DESC LIMIT ?3`,
      ...([status ?? null, before?.at ?? null, limit] as SqlStorageValue[]),
      ...(before?.id && !before.inclusive ? [before.id] : []),
    );
  }

  /** The oldest unsent outbox events (after a restart, or when the in-memory buffer does not reach back far enough). */
  unsent(sentSeq: number, limit: number): { seq: number; body: string }[] {
    return this.rows("SELECT seq, body FROM outbox WHERE seq > ? ORDER BY seq LIMIT ?", sentSeq, limit);
  }

  /** When the oldest sent event still kept was recorded (ms), if any. */
  oldestSentAt(storedSent: number): number | undefined {
    return this.rows<{ at: number }>("SELECT created_at AS at FROM outbox WHERE seq <= ? ORDER BY seq LIMIT 1", storedSent)[0]?.at;
  }
}
