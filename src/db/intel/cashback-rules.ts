/** The caller's cashback rules in D1 (`cashback_rules`): create (bounded per user), list, delete; every read scoped to the user. */
import type { CashbackRule } from "../../domain/intel/cashback";

export const MAX_CASHBACK_RULES = 100;

export interface StoredCashbackRule extends CashbackRule {
  user_id: string;
  name: string;
  created_at: string;
}

type Row = Omit<StoredCashbackRule, "rotating"> & { rotating: string };

const parse = (r: Row): StoredCashbackRule => ({ ...r, rotating: JSON.parse(r.rotating) as Record<string, string[]> });

/** Inserts unless the user already has MAX_CASHBACK_RULES; false when full. */
export async function insertCashbackRule(db: D1Database, r: StoredCashbackRule): Promise<boolean> {
  const res = await db
    .prepare(
      `INSERT INTO cashback_rules (id, user_id, account_id, name, scope, scope_value, rate_bps, cap, cap_period, fallback_bps, valid_from, valid_to, rotating, created_at)
       SELECT ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14
       WHERE (SELECT count(*) FROM cashback_rules WHERE user_id = ?2) < ?15`,
    )
    .bind(
      r.id,
      r.user_id,
      r.account_id,
      r.name,
      r.scope,
      r.scope_value,
      r.rate_bps,
      r.cap,
      r.cap_period,
      r.fallback_bps,
      r.valid_from,
      r.valid_to,
      JSON.stringify(r.rotating),
      r.created_at,
      MAX_CASHBACK_RULES,
    )
    .run();
  return res.meta.changes === 1;
}

export async function listCashbackRules(db: D1Database, userId: string): Promise<StoredCashbackRule[]> {
  const { results } = await db
    .prepare("SELECT * FROM cashback_rules WHERE user_id = ?1 ORDER BY created_at, id LIMIT ?2")
    .bind(userId, MAX_CASHBACK_RULES)
    .all<Row>();
  return results.map(parse);
}

export async function getCashbackRule(db: D1Database, userId: string, id: string): Promise<StoredCashbackRule | null> {
  const row = await db.prepare("SELECT * FROM cashback_rules WHERE user_id = ?1 AND id = ?2").bind(userId, id).first<Row>();
  return row ? parse(row) : null;
}

export async function deleteCashbackRule(db: D1Database, userId: string, id: string): Promise<boolean> {
  const res = await db.prepare("DELETE FROM cashback_rules WHERE user_id = ?1 AND id = ?2").bind(userId, id).run();
  return res.meta.changes === 1;
}
