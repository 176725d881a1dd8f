/**
 * Reads of the Gold portfolio for one user's brokerage accounts in one
 * currency, in ONE D1 batch (one snapshot): the accounts, the cash and
 * position rows in a day range plus the last row of each before it (the
 * opening state), and the closes of every symbol those accounts ever held,
 * likewise with the last close before the range.
 */
import type { CashDay, CloseDay, PositionDay } from "../../domain/portfolio/valuation";

export interface PortfolioRows {
  accounts: { id: string; name: string; status: string }[];
  cash: CashDay[];
  positions: PositionDay[];
  closes: (CloseDay & { asset_class: string })[];
  /** The earliest day any of the accounts has a cash or position row (null: none). */
  firstDay: string | null;
  asOf: string | null;
}

const ACCOUNTS = `SELECT id FROM accounts WHERE user_id = ?1 AND type = 'brokerage' AND currency = ?2`;

export async function readPortfolio(db: D1Database, userId: string, currency: string, from: string, to: string): Promise<PortfolioRows> {
  const [accounts, cash, positions, closes, first, asOf] = await db.batch([
    db
      .prepare("SELECT id, name, status FROM accounts WHERE user_id = ?1 AND type = 'brokerage' AND currency = ?2 ORDER BY created_at, id")
      .bind(userId, currency),
    db
      .prepare(
        `SELECT account_id, day, cash, contributions, withdrawals FROM gold_portfolio_daily d
         WHERE account_id IN (${ACCOUNTS}) AND (day BETWEEN ?3 AND ?4
           OR day = (SELECT MAX(p.day) FROM gold_portfolio_daily p WHERE p.account_id = d.account_id AND p.day < ?3))`,
      )
      .bind(userId, currency, from, to),
    db
      .prepare(
        `SELECT account_id, symbol, day, qty FROM gold_portfolio_positions d
         WHERE account_id IN (${ACCOUNTS}) AND (day BETWEEN ?3 AND ?4
           OR day = (SELECT MAX(p.day) FROM gold_portfolio_positions p
                     WHERE p.account_id = d.account_id AND p.symbol = d.symbol AND p.day < ?3))`,
      )
      .bind(userId, currency, from, to),
    db
      .prepare(
        `SELECT symbol, day, price, asset_class FROM gold_market_closes c
         WHERE symbol IN (SELECT DISTINCT symbol FROM gold_portfolio_positions WHERE account_id IN (${ACCOUNTS}))
           AND (day BETWEEN ?3 AND ?4 OR day = (SELECT MAX(p.day) FROM gold_market_closes p WHERE p.symbol = c.symbol AND p.day < ?3))`,
      )
      .bind(userId, currency, from, to),
    db
      .prepare(
        `SELECT MIN(day) AS day FROM (
           SELECT MIN(day) AS day FROM gold_portfolio_daily WHERE account_id IN (${ACCOUNTS})
           UNION ALL SELECT MIN(day) FROM gold_portfolio_positions WHERE account_id IN (${ACCOUNTS}))`,
      )
      .bind(userId, currency),
    db.prepare("SELECT finished_at FROM pipeline_runs WHERE status = 'ok' ORDER BY started_at DESC LIMIT 1"),
  ]);
  return {
    accounts: accounts!.results as PortfolioRows["accounts"],
    cash: cash!.results as unknown as CashDay[],
    positions: positions!.results as unknown as PositionDay[],
    closes: closes!.results as unknown as PortfolioRows["closes"],
    firstDay: ((first!.results[0] as { day: string | null } | undefined)?.day ?? null) as string | null,
    asOf: ((asOf!.results[0] as { finished_at: string } | undefined)?.finished_at ?? null) as string | null,
  };
}

/** The symbols the user holds now: each brokerage position's latest Gold row with a positive quantity. */
export async function heldSymbols(db: D1Database, userId: string): Promise<string[]> {
  const r = await db
    .prepare(
      `SELECT DISTINCT symbol FROM gold_portfolio_positions p
       WHERE user_id = ?1 AND qty > 0
         AND day = (SELECT MAX(q.day) FROM gold_portfolio_positions q WHERE q.account_id = p.account_id AND q.symbol = p.symbol)
       ORDER BY symbol`,
    )
    .bind(userId)
    .all<{ symbol: string }>();
  return r.results.map((s) => s.symbol);
}
