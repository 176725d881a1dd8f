/**
 * The D1 reads of an export job: the rows of one dataset for a date range and
 * scope, paged by a keyset the job keeps as its cursor, and their count.
 */
import type { ExportParams } from "../../pipeline/jobs-protocol";

type Row = Record<string, unknown>;
type Key = [string, string];

function sourceQuery(p: ExportParams): { sql: string; key: (r: Record<string, unknown>) => [string, string] } {
  const scope = p.user_id === null ? "AND ?5 IS NULL" : "AND user_id = ?5";
  if (p.dataset === "daily_balances") {
    return {
      sql: `SELECT account_id, user_id, day, currency, inflow, outflow, net, entries, closing_balance FROM gold_daily_balances
            WHERE day BETWEEN ?1 AND ?2 AND (day, account_id) > (?3, ?4) ${scope} ORDER BY day, account_id LIMIT ?6`,
      key: (r) => [r.day as string, r.account_id as string],
    };
  }
  const type = p.dataset === "transactions" ? "AND type = 'transaction_posted'" : "";
  return {
    sql: `SELECT event_id, type, version, account_id, user_id, seq, occurred_at, recorded_at, event_date, payload FROM silver_events
          WHERE event_date BETWEEN ?1 AND ?2 AND (event_date, event_id) > (?3, ?4) ${type} ${scope} ORDER BY event_date, event_id LIMIT ?6`,
    key: (r) => [r.event_date as string, r.event_id as string],
  };
}

export interface ExportSource {
  /** The keyset position of a row (the cursor to continue after it). */
  key: (r: Row) => Key;
  page: (db: D1Database, q: { from: string; to: string; after: Key; limit: number }) => Promise<{ results: Row[] }>;
}

/** The dataset's rows in keyset order for the export's scope. */
export function exportSource(p: ExportParams): ExportSource {
  const { sql, key } = sourceQuery(p);
  return {
    key,
    page: async (db, q) => db.prepare(sql).bind(q.from, q.to, q.after[0], q.after[1], p.user_id, q.limit).all<Row>(),
  };
}

/** How many rows the export will write (its progress total). */
export async function countExportRows(db: D1Database, p: ExportParams): Promise<number> {
  const scope = p.user_id === null ? "" : "AND user_id = ?3";
  const sql =
    p.dataset === "daily_balances"
      ? `SELECT COUNT(*) AS n FROM gold_daily_balances WHERE day BETWEEN ?1 AND ?2 ${scope}`
      : `SELECT COUNT(*) AS n FROM silver_events WHERE event_date BETWEEN ?1 AND ?2 ${p.dataset === "transactions" ? "AND type = 'transaction_posted'" : ""} ${scope}`;
  const stmt = db.prepare(sql);
  const row = await (p.user_id === null ? stmt.bind(p.from, p.to) : stmt.bind(p.from, p.to, p.user_id)).first<{ n: number }>();
  return row?.n ?? 0;
}
