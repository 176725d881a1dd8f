/**
 * Gold read models for the user-facing APIs. Every query is scoped by the
 * caller's user id (or an account the caller owns) and bounded. Sums across
 * accounts leave SQLite as decimal text (`CAST(... AS TEXT)`): D1's 64-bit
 * integers are exact, a JavaScript number past 2^53 is not.
 */
import type { DailyRow, FlowRow } from "../../pipeline/summary";

export interface AccountBalance {
  account_id: string;
  currency: string;
  balance: number;
  pending: number;
}

/** Posted balance (the latest day's closing) and held pending transfers per account of a user. */
export async function balancesForUser(db: D1Database, userId: string): Promise<Map<string, AccountBalance>> {
  const [posted, pending] = await db.batch<{ account_id: string; currency: string; amount: number }>([
    db
      .prepare(
        `SELECT g.account_id, g.currency, g.closing_balance AS amount FROM gold_daily_balances g
         WHERE g.user_id = ?1 AND g.day = (SELECT MAX(m.day) FROM gold_daily_balances m WHERE m.account_id = g.account_id)`,
      )
      .bind(userId),
    db
      .prepare(
        `SELECT p.account_id, p.currency, SUM(p.amount) AS amount FROM gold_transfers p
         WHERE p.user_id = ?1 AND p.stage = 'pending'
           AND NOT EXISTS (SELECT 1 FROM gold_transfers r WHERE r.transfer_id = p.transfer_id AND r.stage = 'resolved')
         GROUP BY p.account_id, p.currency`,
      )
      .bind(userId),
  ]);
  const out = new Map<string, AccountBalance>();
  for (const r of posted!.results) out.set(r.account_id, { account_id: r.account_id, currency: r.currency, balance: r.amount, pending: 0 });
  for (const r of pending!.results) {
    const b = out.get(r.account_id) ?? { account_id: r.account_id, currency: r.currency, balance: 0, pending: 0 };
    b.pending = r.amount;
    out.set(r.account_id, b);
  }
  return out;
}

/** A user's spending on one key in a month over all their accounts: counts, and the amount as a decimal integer string. */
export interface SpendingItem {
  key: string;
  currency: string;
  purchases: number;
  refunds: number;
  amount: string;
}

/** One page of a month's spending, largest first; keyset on (amount desc, key, currency), `after[0]` a decimal amount. */
export async function spendingPage(
  db: D1Database,
  q: { userId: string; month: string; by: "category" | "merchant"; after: [string, string, string] | null; limit: number },
): Promise<SpendingItem[]> {
  const after = q.after ?? [null, "", ""];
  const { results } = await db
    .prepare(
      `SELECT key, currency, purchases, refunds, CAST(amount AS TEXT) AS amount FROM gold_spending
       WHERE user_id = ?1 AND month = ?2 AND dimension = ?3 AND (purchases <> 0 OR refunds <> 0 OR amount <> 0)
         AND (?4 IS NULL OR amount < CAST(?4 AS INTEGER) OR (amount = CAST(?4 AS INTEGER) AND (key > ?5 OR (key = ?5 AND currency > ?6))))
       ORDER BY amount DESC, key, currency LIMIT ?7`,
    )
    .bind(q.userId, q.month, q.by, after[0], after[1], after[2], q.limit)
    .all<SpendingItem>();
  return results;
}

export async function spendingTotals(db: D1Database, userId: string, month: string): Promise<{ currency: string; amount: string }[]> {
  const { results } = await db
    .prepare(
      `SELECT currency, CAST(SUM(amount) AS TEXT) AS amount FROM gold_spending
       WHERE user_id = ?1 AND month = ?2 AND dimension = 'category' GROUP BY currency ORDER BY currency`,
    )
    .bind(userId, month)
    .all<{ currency: string; amount: string }>();
  return results;
}

export async function topCategories(db: D1Database, userId: string, month: string, limit: number): Promise<SpendingItem[]> {
  return spendingPage(db, { userId, month, by: "category", after: null, limit });
}

/** The closing balance just before `from`, and the rows in [from, to]. */
export async function dailyRows(
  db: D1Database,
  accountId: string,
  from: string,
  to: string,
): Promise<{ opening: number; rows: DailyRow[] }> {
  const [opening, rows] = await db.batch([
    db
      .prepare("SELECT closing_balance FROM gold_daily_balances WHERE account_id = ?1 AND day < ?2 ORDER BY day DESC LIMIT 1")
      .bind(accountId, from),
    db
      .prepare(
        "SELECT day, inflow, outflow, net, entries, closing_balance FROM gold_daily_balances WHERE account_id = ?1 AND day BETWEEN ?2 AND ?3 ORDER BY day",
      )
      .bind(accountId, from, to),
  ]);
  return {
    opening: (opening!.results[0] as { closing_balance: number } | undefined)?.closing_balance ?? 0,
    rows: rows!.results as unknown as DailyRow[],
  };
}

export async function monthlyFlows(db: D1Database, userId: string, fromMonth: string, toMonth: string): Promise<FlowRow[]> {
  const { results } = await db
    .prepare(
      `SELECT month, currency, kind, CAST(SUM(amount) AS TEXT) AS amount FROM gold_monthly_flows
       WHERE user_id = ?1 AND month BETWEEN ?2 AND ?3 GROUP BY month, currency, kind`,
    )
    .bind(userId, fromMonth, toMonth)
    .all<FlowRow>();
  return results;
}

/** When Gold last changed: the finish time of the latest successful pipeline run. */
export async function goldAsOf(db: D1Database): Promise<string | null> {
  const row = await db
    .prepare("SELECT finished_at FROM pipeline_runs WHERE status = 'ok' ORDER BY started_at DESC LIMIT 1")
    .first<{ finished_at: string }>();
  return row?.finished_at ?? null;
}

export interface PlatformDayRow {
  day: string;
  currency: string;
  kind: string;
  count: number;
  volume: string;
}

/** The platform mart for [from, to], keyset on (day, currency, kind); one row more than `limit` says there is more. */
export async function platformDailyPage(
  db: D1Database,
  q: { from: string; to: string; after: [string, string, string]; limit: number },
): Promise<PlatformDayRow[]> {
  const { results } = await db
    .prepare(
      `SELECT day, currency, kind, count, CAST(volume AS TEXT) AS volume FROM gold_platform_daily
       WHERE day BETWEEN ?1 AND ?2 AND (day, currency, kind) > (?3, ?4, ?5) ORDER BY day, currency, kind LIMIT ?6`,
    )
    .bind(q.from, q.to, q.after[0], q.after[1], q.after[2], q.limit + 1)
    .all<PlatformDayRow>();
  return results;
}
