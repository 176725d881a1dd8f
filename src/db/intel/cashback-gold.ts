/**
 * Gold cashback in D1 (`gold_cashback`, src/db/schema/cashback-gold.ts): the
 * users among a set that have rules, a month's rows for a user, and the
 * statements that replace a user's months with freshly computed lines (delete
 * then insert in one batch, so a recomputation is idempotent).
 */
import type { CashbackLine } from "../../domain/intel/cashback";
import { jsonChunks } from "../pipeline/json-rows";

export interface GoldCashbackRow extends CashbackLine {
  account_id: string;
}

/** Which of these users have at least one cashback rule (one query). */
export async function usersWithCashbackRules(db: D1Database, userIds: readonly string[]): Promise<Set<string>> {
  const found = new Set<string>();
  if (userIds.length === 0) return found;
  const stmt = db.prepare("SELECT DISTINCT user_id FROM cashback_rules WHERE user_id IN (SELECT value FROM json_each(?1))");
  for (const r of await db.batch<{ user_id: string }>(jsonChunks(userIds).map((c) => stmt.bind(c))))
    for (const row of r.results) found.add(row.user_id);
  return found;
}

/** Replaces the user's rows of `month` with `lines` (none: the month is emptied). */
export function replaceMonthStatements(
  db: D1Database,
  userId: string,
  month: string,
  lines: readonly GoldCashbackRow[],
): D1PreparedStatement[] {
  const out = [db.prepare("DELETE FROM gold_cashback WHERE user_id = ?1 AND month = ?2").bind(userId, month)];
  if (lines.length === 0) return out;
  const insert = db.prepare(
    `INSERT INTO gold_cashback (user_id, month, rule_id, currency, account_id, purchases, earned, reversed, net)
     SELECT ?2, ?3, value->>'rule_id', value->>'currency', value->>'account_id', value->>'purchases', value->>'earned',
            value->>'reversed', value->>'net'
     FROM json_each(?1)`,
  );
  return [...out, ...jsonChunks(lines).map((c) => insert.bind(c, userId, month))];
}

export async function readCashbackMonth(db: D1Database, userId: string, month: string): Promise<GoldCashbackRow[]> {
  const { results } = await db
    .prepare(
      `SELECT rule_id, currency, account_id, purchases, earned, reversed, net FROM gold_cashback
       WHERE user_id = ?1 AND month = ?2 ORDER BY rule_id, currency`,
    )
    .bind(userId, month)
    .all<GoldCashbackRow>();
  return results;
}
