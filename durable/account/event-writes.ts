/**
 * The table writes of the account's events, for the store (store.ts), which
 * runs them inside its transaction and owns the counters: a journal row
 * (hash-chained, seq gap-free), annotations, transfers, budgets, and an outbox
 * row with the next gap-free event seq.
 */
import type { AccountEvent, PostedEntry, Transfer } from "../../src/domain/account/index";
import { entryHash } from "../../src/domain/hash-chain";
import { newEventId } from "../../src/domain/ids";
import type { EventType, PayloadOf } from "../../src/events/catalog";
import { applyOrderEvent } from "./order-writes";
import { writePaymentChange } from "./payment-rows";
import type { OutboxBuffer } from "./outbox-buffer";
import type { AccountRow, JournalRow, TransferRow } from "./rows";

export interface WriteTarget {
  sql: SqlStorage;
  outbox: OutboxBuffer;
}

/** The table writes of one event (the counters are the caller's). */
export function applyEvent(t: WriteTarget, a: AccountRow, e: AccountEvent, now: string): JournalRow | null {
  const sql = t.sql;
  switch (e.type) {
    case "transaction_posted":
      return appendEntry(t, a, e.entry, now);
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
      const r = placedTransferRow(e.transfer);
      sql.exec(
        `INSERT INTO transfers (id, user_id, to_account_id, amount, credit_amount, currency, mode, status, phase, description,
           expires_at, created_at, updated_at, op_key, op_name, op_request_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        r.id,
        r.user_id,
        r.to_account_id,
        r.amount,
        r.credit_amount,
        r.currency,
        r.mode,
        r.status,
        r.phase,
        r.description,
        r.expires_at,
        r.created_at,
        r.updated_at,
        r.op_key,
        r.op_name,
        r.op_request_id,
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
    case "order_placed":
    case "portfolio_trade_executed":
    case "order_canceled":
    case "order_expired":
    case "order_rejected":
      applyOrderEvent(sql, e, now);
      return null;
    case "payment_status_changed":
      // The published event takes the next seq (store.commit emits it right after this write).
      writePaymentChange(sql, e.payment, a.event_seq + 1);
      return null;
    case "account_opened":
    case "account_closed":
      return null;
  }
}

/** The transfers row that `transfer_pending` inserts, as a SELECT would read it back (defaults included). */
export function placedTransferRow(t: Transfer): TransferRow {
  return {
    id: t.id,
    user_id: t.userId,
    to_account_id: t.toAccountId,
    amount: t.amount,
    credit_amount: t.creditAmount,
    posted_amount: null,
    currency: t.currency,
    mode: t.mode,
    status: t.status,
    phase: t.phase,
    description: t.description,
    expires_at: t.expiresAt,
    created_at: t.createdAt,
    updated_at: t.updatedAt,
    op_key: t.op?.key ?? null,
    op_name: t.op?.name ?? null,
    op_request_id: t.op?.requestId ?? null,
    attempts: 0,
  };
}

/** `row` after the settlement's UPDATE above (transfer_posted or transfer_voided); other events leave it as it is. */
export function settledTransferRow(row: TransferRow, events: readonly AccountEvent[], now: string): TransferRow {
  let r = row;
  for (const e of events) {
    if (e.type === "transfer_posted" && e.transferId === r.id)
      r = { ...r, status: "posted", phase: "settled", posted_amount: e.amount, updated_at: now };
    else if (e.type === "transfer_voided" && e.transferId === r.id)
      r = { ...r, status: e.reason === "rejected" ? "failed" : "voided", phase: "settled", updated_at: now };
  }
  return r;
}

/** Append one balanced entry: the account on one side, `counterparty` on the other. */
function appendEntry(t: WriteTarget, a: AccountRow, e: PostedEntry, nowIso: string): JournalRow {
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
  t.sql.exec(
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
export function emitEvent<T extends EventType>(
  t: WriteTarget,
  a: AccountRow,
  type: T,
  payload: PayloadOf<T>,
  occurredAt: string,
  nowIso: string,
): void {
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
  t.sql.exec(
    "INSERT INTO outbox (seq, event_id, type, body, created_at) VALUES (?, ?, ?, ?, ?)",
    seq,
    event.event_id,
    type,
    body,
    Date.parse(nowIso),
  );
  t.outbox.written({ seq, body: event, bytes: body.length });
  a.event_seq = seq;
}
