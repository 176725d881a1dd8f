/**
 * Gold portfolio writers: the day rows of brokerage accounts (the registry
 * says which accounts are brokerage; it is written before an account's first
 * event), the position rows and the symbols' closes, then the running cash
 * and quantities from each account's (and symbol's) earliest changed day.
 */
import type { PortfolioDeltas } from "../../pipeline/portfolio-deltas";
import { jsonChunks, tupleColumns } from "./json-rows";

function bound(db: D1Database, sql: string, rows: unknown[][]): D1PreparedStatement[] {
  if (rows.length === 0) return [];
  const stmt = db.prepare(sql);
  return jsonChunks(rows).map((chunk) => stmt.bind(chunk));
}

function earliest<T extends { day: string }>(rows: readonly T[], key: (r: T) => string[]): unknown[][] {
  const min = new Map<string, { key: string[]; day: string }>();
  for (const r of rows) {
    const k = key(r);
    const id = k.join("|");
    const m = min.get(id);
    if (!m || r.day < m.day) min.set(id, { key: k, day: r.day });
  }
  return [...min.values()].map((m) => [...m.key, m.day]);
}

/** cash(day) = Σ cash_net up to the day, restarting from the cash just before the earliest changed day. */
const RUNNING_CASH_SQL = `
  WITH a AS (SELECT value->>'$[0]' AS account_id, value->>'$[1]' AS from_day FROM json_each(?1)),
  base AS (
    SELECT a.account_id, a.from_day,
      COALESCE((SELECT p.cash FROM gold_portfolio_daily p
                WHERE p.account_id = a.account_id AND p.day < a.from_day ORDER BY p.day DESC LIMIT 1), 0) AS opening
    FROM a),
  w AS (
    SELECT d.account_id, d.day, base.opening + SUM(d.cash_net) OVER (PARTITION BY d.account_id ORDER BY d.day) AS cash
    FROM gold_portfolio_daily d JOIN base ON d.account_id = base.account_id AND d.day >= base.from_day)
  UPDATE gold_portfolio_daily SET cash = w.cash
  FROM w
  WHERE gold_portfolio_daily.account_id = w.account_id AND gold_portfolio_daily.day = w.day AND gold_portfolio_daily.cash <> w.cash`;

/** qty(day) = Σ qty_delta up to the day, per account and symbol. */
const RUNNING_QTY_SQL = `
  WITH a AS (SELECT value->>'$[0]' AS account_id, value->>'$[1]' AS symbol, value->>'$[2]' AS from_day FROM json_each(?1)),
  base AS (
    SELECT a.account_id, a.symbol, a.from_day,
      COALESCE((SELECT p.qty FROM gold_portfolio_positions p
                WHERE p.account_id = a.account_id AND p.symbol = a.symbol AND p.day < a.from_day ORDER BY p.day DESC LIMIT 1), 0) AS opening
    FROM a),
  w AS (
    SELECT d.account_id, d.symbol, d.day,
      base.opening + SUM(d.qty_delta) OVER (PARTITION BY d.account_id, d.symbol ORDER BY d.day) AS qty
    FROM gold_portfolio_positions d
    JOIN base ON d.account_id = base.account_id AND d.symbol = base.symbol AND d.day >= base.from_day)
  UPDATE gold_portfolio_positions SET qty = w.qty
  FROM w
  WHERE gold_portfolio_positions.account_id = w.account_id AND gold_portfolio_positions.symbol = w.symbol
    AND gold_portfolio_positions.day = w.day AND gold_portfolio_positions.qty <> w.qty`;

export function portfolioStatements(db: D1Database, d: PortfolioDeltas): D1PreparedStatement[] {
  return [
    ...bound(
      db,
      `INSERT INTO gold_portfolio_daily (account_id, day, user_id, currency, cash_net, contributions, withdrawals)
       SELECT ${tupleColumns(7)} FROM json_each(?1)
       WHERE EXISTS (SELECT 1 FROM accounts r WHERE r.id = value->>'$[0]' AND r.type = 'brokerage')
       ON CONFLICT (account_id, day) DO UPDATE SET cash_net = cash_net + excluded.cash_net,
         contributions = contributions + excluded.contributions, withdrawals = withdrawals + excluded.withdrawals`,
      d.portfolio.map((r) => [r.account_id, r.day, r.user_id, r.currency, r.cash_net, r.contributions, r.withdrawals]),
    ),
    ...bound(
      db,
      `INSERT INTO gold_portfolio_positions (account_id, day, symbol, user_id, qty_delta, fills)
       SELECT ${tupleColumns(6)} FROM json_each(?1) WHERE true
       ON CONFLICT (account_id, symbol, day) DO UPDATE SET qty_delta = qty_delta + excluded.qty_delta, fills = fills + excluded.fills`,
      d.positions.map((r) => [r.account_id, r.day, r.symbol, r.user_id, r.qty_delta, r.fills]),
    ),
    ...bound(
      db,
      `INSERT INTO gold_market_closes (symbol, day, asset_class, currency, price, occurred_at, q)
       SELECT ${tupleColumns(7)} FROM json_each(?1) WHERE true
       ON CONFLICT (symbol, day) DO UPDATE SET asset_class = excluded.asset_class, currency = excluded.currency,
         price = excluded.price, occurred_at = excluded.occurred_at, q = excluded.q
       WHERE excluded.occurred_at > gold_market_closes.occurred_at
          OR (excluded.occurred_at = gold_market_closes.occurred_at AND excluded.q > gold_market_closes.q)`,
      d.closes.map((c) => [c.symbol, c.day, c.asset_class, c.currency, c.price, c.occurred_at, c.q]),
    ),
    ...bound(
      db,
      RUNNING_CASH_SQL,
      earliest(d.portfolio, (r) => [r.account_id]),
    ),
    ...bound(
      db,
      RUNNING_QTY_SQL,
      earliest(d.positions, (r) => [r.account_id, r.symbol]),
    ),
  ];
}

export const PORTFOLIO_TABLES = ["gold_portfolio_daily", "gold_portfolio_positions", "gold_market_closes"] as const;

/**
 * After a replay removed the days [fromDay, toDay]: the running cash and
 * quantities of every later day, recomputed from what is left. `guard` keeps
 * the statements to the replay's first step (see wipeStatements).
 */
export function portfolioRunningFix(db: D1Database, jobId: string, toDay: string, guard: string): D1PreparedStatement[] {
  return [
    db
      .prepare(
        `UPDATE gold_portfolio_daily SET cash = w.cash
         FROM (SELECT account_id, day, SUM(cash_net) OVER (PARTITION BY account_id ORDER BY day) AS cash FROM gold_portfolio_daily
               WHERE account_id IN (SELECT DISTINCT account_id FROM gold_portfolio_daily WHERE day > ?2)) AS w
         WHERE gold_portfolio_daily.account_id = w.account_id AND gold_portfolio_daily.day = w.day
           AND gold_portfolio_daily.cash <> w.cash AND ${guard}`,
      )
      .bind(jobId, toDay),
    db
      .prepare(
        `UPDATE gold_portfolio_positions SET qty = w.qty
         FROM (SELECT account_id, symbol, day, SUM(qty_delta) OVER (PARTITION BY account_id, symbol ORDER BY day) AS qty
               FROM gold_portfolio_positions
               WHERE account_id IN (SELECT DISTINCT account_id FROM gold_portfolio_positions WHERE day > ?2)) AS w
         WHERE gold_portfolio_positions.account_id = w.account_id AND gold_portfolio_positions.symbol = w.symbol
           AND gold_portfolio_positions.day = w.day AND gold_portfolio_positions.qty <> w.qty AND ${guard}`,
      )
      .bind(jobId, toDay),
  ];
}
