/**
 * Gold writers: commutative upserts of in-memory deltas (row += delta), then a
 * closing-balance recomputation for the accounts whose days changed. Every
 * statement binds one JSON array, so a batch is a handful of statements.
 */
import type { GoldDeltas } from "../../pipeline/aggregate";
import { lastDayOfMonth } from "../../pipeline/time";
import { PORTFOLIO_TABLES, portfolioRunningFix, portfolioStatements } from "./gold-portfolio";
import { jsonChunks, tupleColumns } from "./json-rows";

function upsert(db: D1Database, sql: string, rows: unknown[][]): D1PreparedStatement[] {
  if (rows.length === 0) return [];
  const stmt = db.prepare(sql);
  return jsonChunks(rows).map((chunk) => stmt.bind(chunk));
}

/** Start of the closing recomputation: the earliest changed day of each account. */
function earliestDays(deltas: GoldDeltas): unknown[][] {
  const min = new Map<string, string>();
  for (const d of deltas.daily) {
    const m = min.get(d.account_id);
    if (m === undefined || d.day < m) min.set(d.account_id, d.day);
  }
  return [...min].map(([account, day]) => [account, day]);
}

/**
 * closing_balance(day) = Σ net up to that day. Days before an account's
 * earliest changed day are already right, so the running sum restarts from
 * the closing just before it; only rows whose value differs are written.
 */
export const CLOSING_SQL = `
  WITH a AS (SELECT value->>'$[0]' AS account_id, value->>'$[1]' AS from_day FROM json_each(?1)),
  base AS (
    SELECT a.account_id, a.from_day,
      COALESCE((SELECT p.closing_balance FROM gold_daily_balances p
                WHERE p.account_id = a.account_id AND p.day < a.from_day ORDER BY p.day DESC LIMIT 1), 0) AS opening
    FROM a),
  w AS (
    SELECT d.account_id, d.day, base.opening + SUM(d.net) OVER (PARTITION BY d.account_id ORDER BY d.day) AS closing
    FROM gold_daily_balances d JOIN base ON d.account_id = base.account_id AND d.day >= base.from_day)
  UPDATE gold_daily_balances SET closing_balance = w.closing
  FROM w
  WHERE gold_daily_balances.account_id = w.account_id AND gold_daily_balances.day = w.day
    AND gold_daily_balances.closing_balance <> w.closing`;

export function goldStatements(db: D1Database, deltas: GoldDeltas): D1PreparedStatement[] {
  return [
    ...upsert(
      db,
      `INSERT INTO gold_daily_balances (account_id, day, user_id, currency, inflow, outflow, net, entries)
       SELECT ${tupleColumns(8)} FROM json_each(?1) WHERE true
       ON CONFLICT (account_id, day) DO UPDATE SET inflow = inflow + excluded.inflow, outflow = outflow + excluded.outflow,
         net = net + excluded.net, entries = entries + excluded.entries`,
      deltas.daily.map((d) => [d.account_id, d.day, d.user_id, d.currency, d.inflow, d.outflow, d.net, d.entries]),
    ),
    ...upsert(
      db,
      `INSERT INTO gold_spending (user_id, month, dimension, key, currency, purchases, refunds, amount)
       SELECT ${tupleColumns(8)} FROM json_each(?1) WHERE true
       ON CONFLICT (user_id, month, dimension, key, currency) DO UPDATE SET purchases = purchases + excluded.purchases,
         refunds = refunds + excluded.refunds, amount = amount + excluded.amount`,
      deltas.spending.map((s) => [s.user_id, s.month, s.dimension, s.key, s.currency, s.purchases, s.refunds, s.amount]),
    ),
    ...upsert(
      db,
      `INSERT INTO gold_monthly_flows (account_id, month, kind, user_id, currency, count, amount)
       SELECT ${tupleColumns(7)} FROM json_each(?1) WHERE true
       ON CONFLICT (account_id, month, kind) DO UPDATE SET count = count + excluded.count, amount = amount + excluded.amount`,
      deltas.flows.map((f) => [f.account_id, f.month, f.kind, f.user_id, f.currency, f.count, f.amount]),
    ),
    ...upsert(
      db,
      `INSERT INTO gold_platform_daily (day, currency, kind, count, volume)
       SELECT ${tupleColumns(5)} FROM json_each(?1) WHERE true
       ON CONFLICT (day, currency, kind) DO UPDATE SET count = count + excluded.count, volume = volume + excluded.volume`,
      deltas.platform.map((p) => [p.day, p.currency, p.kind, p.count, p.volume]),
    ),
    ...upsert(
      db,
      `INSERT INTO gold_transfers (transfer_id, stage, account_id, user_id, to_account_id, currency, amount, released, status, day)
       SELECT ${tupleColumns(10)} FROM json_each(?1) WHERE true
       ON CONFLICT (transfer_id, stage) DO NOTHING`,
      deltas.transfers.map((t) => [
        t.transfer_id,
        t.stage,
        t.account_id,
        t.user_id,
        t.to_account_id,
        t.currency,
        t.amount,
        t.released,
        t.status,
        t.day,
      ]),
    ),
    ...portfolioStatements(db, deltas),
    // Last: ingest reads the closing recomputation's changes from the final statement.
    ...upsert(db, CLOSING_SQL, earliestDays(deltas)),
  ];
}

export const GOLD_TABLES = [
  "gold_daily_balances",
  "gold_spending",
  "gold_monthly_flows",
  "gold_platform_daily",
  "gold_transfers",
  ...PORTFOLIO_TABLES,
] as const;

/**
 * Statements that remove Silver and Gold for whole months [fromMonth, toMonth]
 * (or everything when no range), then fix every later closing balance, so a
 * replay of the same Bronze partitions rebuilds exactly what was removed. Each
 * statement runs only while job `jobId` is still at step 0, so a duplicate
 * delivery of the first step can never wipe chunks already replayed.
 */
export function wipeStatements(db: D1Database, range: { fromMonth: string; toMonth: string } | null, jobId: string): D1PreparedStatement[] {
  const guard = "(SELECT step FROM jobs WHERE id = ?1) = 0";
  if (!range) {
    return ["silver_events", "silver_transactions", ...GOLD_TABLES].map((t) => db.prepare(`DELETE FROM ${t} WHERE ${guard}`).bind(jobId));
  }
  const fromDay = `${range.fromMonth}-01`;
  const toDay = lastDayOfMonth(`${range.toMonth}-01`);
  const byDay = (table: string, column: string) =>
    db.prepare(`DELETE FROM ${table} WHERE ${column} BETWEEN ?2 AND ?3 AND ${guard}`).bind(jobId, fromDay, toDay);
  const byMonth = (table: string) =>
    db.prepare(`DELETE FROM ${table} WHERE month BETWEEN ?2 AND ?3 AND ${guard}`).bind(jobId, range.fromMonth, range.toMonth);
  return [
    byDay("silver_events", "event_date"),
    byDay("silver_transactions", "event_date"),
    byDay("gold_daily_balances", "day"),
    byMonth("gold_spending"),
    byMonth("gold_monthly_flows"),
    byDay("gold_platform_daily", "day"),
    byDay("gold_transfers", "day"),
    ...PORTFOLIO_TABLES.map((t) => byDay(t, "day")),
    ...portfolioRunningFix(db, jobId, toDay, guard),
    db
      .prepare(
        `UPDATE gold_daily_balances SET closing_balance = w.closing
         FROM (SELECT account_id, day, SUM(net) OVER (PARTITION BY account_id ORDER BY day) AS closing FROM gold_daily_balances
               WHERE account_id IN (SELECT DISTINCT account_id FROM gold_daily_balances WHERE day > ?2)) AS w
         WHERE gold_daily_balances.account_id = w.account_id AND gold_daily_balances.day = w.day
           AND gold_daily_balances.closing_balance <> w.closing AND ${guard}`,
      )
      .bind(jobId, toDay),
  ];
}
