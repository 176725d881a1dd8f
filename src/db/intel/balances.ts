/**
 * The user's balances from Gold (`gold_daily_balances`) for the intelligence
 * routes: per currency, the sum over the user's accounts of each account's
 * closing balance, carried forward over days without entries. Sparse rows in,
 * one value per day out.
 */
import { addDays } from "../../domain/intel/types";

export interface DayBalance {
  day: string;
  balance: number;
}

interface Row {
  account_id: string;
  day: string;
  closing_balance: number;
}

/** One total per day of [from, to] (YYYY-MM-DD) for the currency; 0 before an account's first entry. */
export async function dailyBalances(db: D1Database, userId: string, currency: string, from: string, to: string): Promise<DayBalance[]> {
  const { results } = await db
    .prepare(
      `SELECT account_id, day, closing_balance FROM gold_daily_balances
       WHERE user_id = ?1 AND currency = ?2 AND day >= ?3 AND day <= ?4
       UNION ALL
       SELECT g.account_id, g.day, g.closing_balance FROM gold_daily_balances g
       WHERE g.user_id = ?1 AND g.currency = ?2 AND g.day = (
         SELECT MAX(m.day) FROM gold_daily_balances m WHERE m.account_id = g.account_id AND m.day < ?3)
       ORDER BY day, account_id`,
    )
    .bind(userId, currency, from, to)
    .all<Row>();
  const latest = new Map<string, number>();
  const out: DayBalance[] = [];
  let i = 0;
  let total = 0;
  for (let day = from; day <= to; day = addDays(day, 1)) {
    while (i < results.length && results[i]!.day <= day) {
      const r = results[i++]!;
      total += r.closing_balance - (latest.get(r.account_id) ?? 0);
      latest.set(r.account_id, r.closing_balance);
    }
    out.push({ day, balance: total });
  }
  return out;
}

/** The currencies the user holds accounts in (Gold), most entries first. */
export async function balanceCurrencies(db: D1Database, userId: string): Promise<string[]> {
  const { results } = await db
    .prepare("SELECT currency, SUM(entries) AS n FROM gold_daily_balances WHERE user_id = ?1 GROUP BY currency ORDER BY n DESC, currency")
    .bind(userId)
    .all<{ currency: string }>();
  return results.map((r) => r.currency);
}
