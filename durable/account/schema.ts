/**
 * The AccountDO's SQLite schema. The journal is append-only, enforced by the
 * database itself: triggers abort any UPDATE or DELETE of a journal row.
 * Forward-only: a new version appends statements, never edits old ones.
 */
import { hasSchema, runMigrations } from "../sqlite-migrations";

const V1 = [
  `CREATE TABLE account (
     id TEXT PRIMARY KEY, user_id TEXT NOT NULL, type TEXT NOT NULL, currency TEXT NOT NULL,
     name TEXT NOT NULL, credit_limit INTEGER NOT NULL, status TEXT NOT NULL,
     created_at TEXT NOT NULL, closed_at TEXT,
     posted INTEGER NOT NULL DEFAULT 0, pending INTEGER NOT NULL DEFAULT 0,
     entry_seq INTEGER NOT NULL DEFAULT 0, event_seq INTEGER NOT NULL DEFAULT 0,
     head_hash TEXT NOT NULL)`,
  `CREATE TABLE journal (
     seq INTEGER PRIMARY KEY, entry_id TEXT NOT NULL UNIQUE, kind TEXT NOT NULL,
     debit_account TEXT NOT NULL, credit_account TEXT NOT NULL, direction TEXT NOT NULL,
     amount INTEGER NOT NULL CHECK (amount > 0), currency TEXT NOT NULL, balance_after INTEGER NOT NULL,
     description TEXT, merchant TEXT, category TEXT, metadata TEXT, transfer_id TEXT,
     reverses_entry_id TEXT UNIQUE, reverses_kind TEXT,
     occurred_at TEXT NOT NULL, recorded_at TEXT NOT NULL, prev_hash TEXT NOT NULL, hash TEXT NOT NULL)`,
  `CREATE INDEX journal_occurred ON journal (occurred_at)`,
  `CREATE INDEX journal_category ON journal (category, occurred_at)`,
  `CREATE TRIGGER journal_no_update BEFORE UPDATE ON journal BEGIN SELECT RAISE(ABORT, 'journal is append-only'); END`,
  `CREATE TRIGGER journal_no_delete BEFORE DELETE ON journal BEGIN SELECT RAISE(ABORT, 'journal is append-only'); END`,
  `CREATE TABLE transfers (
     id TEXT PRIMARY KEY, user_id TEXT NOT NULL, to_account_id TEXT NOT NULL, amount INTEGER NOT NULL,
     credit_amount INTEGER, posted_amount INTEGER, currency TEXT NOT NULL, mode TEXT NOT NULL,
     status TEXT NOT NULL, phase TEXT NOT NULL, description TEXT, expires_at TEXT,
     created_at TEXT NOT NULL, updated_at TEXT NOT NULL,
     op_key TEXT, op_name TEXT, op_request_id TEXT, attempts INTEGER NOT NULL DEFAULT 0)`,
  `CREATE INDEX transfers_phase ON transfers (phase, status)`,
  `CREATE TABLE received_transfers (
     transfer_id TEXT PRIMARY KEY, from_account_id TEXT NOT NULL, amount INTEGER NOT NULL,
     entry_id TEXT NOT NULL, received_at TEXT NOT NULL)`,
  `CREATE TABLE budgets (
     category TEXT PRIMARY KEY, limit_amount INTEGER NOT NULL, period TEXT NOT NULL,
     alert_at TEXT NOT NULL, created_at TEXT NOT NULL, updated_at TEXT NOT NULL)`,
  `CREATE TABLE budget_alerts (
     category TEXT NOT NULL, period_start TEXT NOT NULL, threshold_bp INTEGER NOT NULL,
     crossed_at TEXT NOT NULL, PRIMARY KEY (category, period_start, threshold_bp))`,
  `CREATE TABLE idempotency (
     key TEXT PRIMARY KEY, fingerprint TEXT NOT NULL, status TEXT NOT NULL,
     response_status INTEGER, response_body TEXT, created_at INTEGER NOT NULL)`,
  `CREATE TABLE outbox (
     seq INTEGER PRIMARY KEY, event_id TEXT NOT NULL UNIQUE, type TEXT NOT NULL, body TEXT NOT NULL,
     created_at INTEGER NOT NULL, sent_at INTEGER)`,
  `CREATE INDEX outbox_unsent ON outbox (sent_at, seq)`,
];

/**
 * V2: the outbox keeps a sent watermark on the account row (events are sent in
 * seq order, so "sent" is `seq <= outbox_sent_seq`) instead of updating every
 * sent row and its index; the watermark starts below the oldest unsent row.
 */
const V2 = [
  `ALTER TABLE account ADD COLUMN outbox_sent_seq INTEGER NOT NULL DEFAULT 0`,
  `UPDATE account SET outbox_sent_seq = COALESCE((SELECT MIN(seq) - 1 FROM outbox WHERE sent_at IS NULL), event_seq)`,
  `DROP INDEX outbox_unsent`,
  `ALTER TABLE outbox DROP COLUMN sent_at`,
];

/**
 * V3: annotations. The latest descriptive fields of an entry (the journal row
 * itself never changes); `event_seq` is the annotation event's seq, so
 * reconciliation can tell whether Silver has caught up with it.
 */
const V3 = [
  `CREATE TABLE annotations (
     entry_id TEXT PRIMARY KEY, description TEXT, merchant TEXT, category TEXT, tags TEXT NOT NULL, notes TEXT,
     event_seq INTEGER NOT NULL, updated_at TEXT NOT NULL)`,
  `CREATE INDEX annotations_category ON annotations (category)`,
];

/**
 * V4: paper trading. Orders (unique client_order_id; `book` tracks the order's
 * place on its symbol's MarketDO book), fills (unique by fill id: a fill
 * delivered twice applies once) and positions (never negative).
 */
const V4 = [
  `CREATE TABLE orders (
     id TEXT PRIMARY KEY, client_order_id TEXT NOT NULL UNIQUE, fingerprint TEXT NOT NULL, symbol TEXT NOT NULL,
     side TEXT NOT NULL, type TEXT NOT NULL, time_in_force TEXT NOT NULL, qty INTEGER, notional INTEGER, limit_price INTEGER,
     status TEXT NOT NULL, filled_qty INTEGER NOT NULL, filled_notional TEXT NOT NULL, filled_cash INTEGER NOT NULL,
     hold INTEGER NOT NULL CHECK (hold >= 0), expires_at TEXT, book TEXT NOT NULL, reason TEXT,
     created_at TEXT NOT NULL, updated_at TEXT NOT NULL)`,
  `CREATE INDEX orders_created ON orders (created_at, id)`,
  `CREATE INDEX orders_open ON orders (status, symbol)`,
  `CREATE INDEX orders_book ON orders (book)`,
  `CREATE TABLE fills (
     fill_id TEXT PRIMARY KEY, order_id TEXT NOT NULL, qty INTEGER NOT NULL CHECK (qty > 0), price INTEGER NOT NULL,
     cash INTEGER NOT NULL, realized_pl INTEGER NOT NULL, entry_id TEXT, at TEXT NOT NULL)`,
  `CREATE INDEX fills_order ON fills (order_id)`,
  `CREATE TABLE positions (
     symbol TEXT PRIMARY KEY, qty INTEGER NOT NULL CHECK (qty >= 0), cost_basis INTEGER NOT NULL CHECK (cost_basis >= 0),
     realized_pl INTEGER NOT NULL, updated_at TEXT NOT NULL)`,
];

/**
 * V5: payments out of the platform (issue 13). One row per payment with its
 * current status, and its status history (one row per status, so a repeated
 * step cannot add a second). `dispatched_at`: when the payment was last handed
 * to the payments queue (the alarm hands over again a pending one left behind).
 */
const V5 = [
  `CREATE TABLE payments (
     id TEXT PRIMARY KEY, user_id TEXT NOT NULL, payee_id TEXT NOT NULL, amount INTEGER NOT NULL CHECK (amount > 0),
     currency TEXT NOT NULL, memo TEXT, status TEXT NOT NULL, reason TEXT, processor_ref TEXT, entry_id TEXT,
     created_at TEXT NOT NULL, updated_at TEXT NOT NULL, dispatched_at INTEGER)`,
  `CREATE INDEX payments_created ON payments (created_at, id)`,
  `CREATE INDEX payments_status ON payments (status, created_at)`,
  `CREATE TABLE payment_history (
     payment_id TEXT NOT NULL, status TEXT NOT NULL, reason TEXT, at TEXT NOT NULL, event_seq INTEGER NOT NULL,
     PRIMARY KEY (payment_id, status))`,
];

export const MIGRATIONS: string[][] = [V1, V2, V3, V4, V5];

export { hasSchema };

export function migrate(sql: SqlStorage): void {
  runMigrations(sql, MIGRATIONS);
}
