/**
 * Reads of the typed Silver transactions table: a user's transactions as the
 * intelligence cores take them (IntelTransaction plus the merchant entity and
 * the two-level category), oldest first.
 */
import type { CategorySource } from "../../domain/intel/taxonomy";
import type { IntelTransaction } from "../../domain/intel/types";

export interface SilverTransaction extends IntelTransaction {
  kind: string;
  reverses_kind: string | null;
  reverses_entry_id: string | null;
  merchant_key: string;
  merchant_name: string;
  merchant_confidence: number;
  category: string;
  category_primary: string;
  category_detailed: string;
  category_source: CategorySource;
  category_confidence: number;
  /** Distinct tags: the effective annotation's, then those the user's live rules added. */
  tags: string[];
}

export interface TransactionRange {
  /** Inclusive lower bound: a UTC ISO instant or YYYY-MM-DD day. */
  from?: string;
  /** Exclusive upper bound: a UTC ISO instant or YYYY-MM-DD day. */
  to?: string;
  /** At most this many rows, the most recent kept (default and cap 20,000). */
  limit?: number;
}

export const MAX_READ_ROWS = 20_000;

const SELECT = `SELECT entry_id AS id, account_id, user_id, occurred_at, amount, direction, currency, merchant, description,
  category, kind, reverses_kind, reverses_entry_id, merchant_key, merchant_name, merchant_confidence,
  category_primary, category_detailed, category_source, category_confidence, tags FROM silver_transactions`;

/** The user's posted transactions in [from, to), oldest first (ties by account and entry id). */
export async function readUserTransactions(db: D1Database, userId: string, range: TransactionRange = {}): Promise<SilverTransaction[]> {
  const results = await readRows<Omit<SilverTransaction, "tags"> & { tags: string | string[] }>(db, SELECT, userId, range);
  // Most rows have no tags: parse only the others.
  for (const r of results) r.tags = r.tags === "[]" ? [] : (JSON.parse(r.tags as string) as string[]);
  return results as SilverTransaction[];
}

/** The columns both narrow reads carry (the spending read and the scorer's). */
type CoreRow = Pick<
  SilverTransaction,
  "id" | "account_id" | "user_id" | "occurred_at" | "amount" | "direction" | "currency" | "merchant" | "description" | "category"
>;
const SELECT_CORE = "SELECT entry_id AS id, account_id, user_id, occurred_at, amount, direction, currency, merchant, description, category";

/** The columns the income-and-spending read maps (src/db/intel/transactions.ts): fewer to carry for 10,000 rows. */
export type SpendingRow = CoreRow & Pick<SilverTransaction, "kind" | "reverses_entry_id">;
const SELECT_SPENDING = `${SELECT_CORE}, kind, reverses_entry_id FROM silver_transactions`;

/** readUserTransactions with only SpendingRow's columns: the same rows in the same order. */
export function readSpendingRows(db: D1Database, userId: string, range: TransactionRange = {}): Promise<SpendingRow[]> {
  return readRows<SpendingRow>(db, SELECT_SPENDING, userId, range);
}

/** The columns the anomaly scorer and its stored rows and alerts read (queues/anomalies.ts). */
export type ScoringRow = CoreRow & Pick<SilverTransaction, "merchant_key" | "merchant_name">;
const SELECT_SCORING = `${SELECT_CORE}, merchant_key, merchant_name FROM silver_transactions`;

/** readUserTransactions with only ScoringRow's columns: the same rows in the same order. */
export function readScoringRows(db: D1Database, userId: string, range: TransactionRange = {}): Promise<ScoringRow[]> {
  return readRows<ScoringRow>(db, SELECT_SCORING, userId, range);
}

/** readScoringRows as a statement for a caller's own D1 batch (its results are ScoringRow[]). */
export const scoringRowsStatement = (db: D1Database, userId: string, range: TransactionRange = {}): D1PreparedStatement =>
  rowsStatement(db, SELECT_SCORING, userId, range);

function rowsStatement(db: D1Database, select: string, userId: string, range: TransactionRange): D1PreparedStatement {
  const limit = Math.min(range.limit ?? MAX_READ_ROWS, MAX_READ_ROWS);
  return db
    .prepare(
      `SELECT * FROM (${select} WHERE user_id = ?1 AND event_id IS NOT NULL AND occurred_at >= ?2 AND occurred_at < ?3
         ORDER BY occurred_at DESC, account_id DESC, entry_id DESC LIMIT ?4)
       ORDER BY occurred_at, account_id, id`,
    )
    .bind(userId, range.from ?? "", range.to ?? "9999", limit);
}

async function readRows<T>(db: D1Database, select: string, userId: string, range: TransactionRange): Promise<T[]> {
  const { results } = await rowsStatement(db, select, userId, range).all<T>();
  return results;
}
