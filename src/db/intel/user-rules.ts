/** The caller's rules in D1 (`user_rules`): create (bounded per user), list, update enabled, delete; every statement scoped to the user. */
import type { RuleActions, RuleCondition, UserRule } from "../../domain/intel/user-rules";

export const MAX_USER_RULES = 200;

export interface StoredUserRule extends UserRule {
  user_id: string;
  source: "user" | "learned";
}

type Row = Omit<StoredUserRule, "conditions" | "actions" | "enabled"> & { conditions: string; actions: string; enabled: number };

const parse = (r: Row): StoredUserRule => ({
  ...r,
  enabled: r.enabled === 1,
  conditions: JSON.parse(r.conditions) as RuleCondition[],
  actions: JSON.parse(r.actions) as RuleActions,
});

export async function insertUserRule(db: D1Database, r: StoredUserRule): Promise<boolean> {
  const res = await db
    .prepare(
      `INSERT INTO user_rules (id, user_id, stage, conditions, actions, enabled, source, created_at)
       SELECT ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8 WHERE (SELECT count(*) FROM user_rules WHERE user_id = ?2) < ?9`,
    )
    .bind(
      r.id,
      r.user_id,
      r.stage,
      JSON.stringify(r.conditions),
      JSON.stringify(r.actions),
      r.enabled ? 1 : 0,
      r.source,
      r.created_at,
      MAX_USER_RULES,
    )
    .run();
  return res.meta.changes === 1;
}

export async function listUserRules(db: D1Database, userId: string): Promise<StoredUserRule[]> {
  const { results } = await db
    .prepare("SELECT * FROM user_rules WHERE user_id = ?1 ORDER BY created_at, id LIMIT ?2")
    .bind(userId, MAX_USER_RULES)
    .all<Row>();
  return results.map(parse);
}

/** The rule after setting `enabled`, or null when the user has no such rule. */
export async function setUserRuleEnabled(db: D1Database, userId: string, id: string, enabled: boolean): Promise<StoredUserRule | null> {
  const row = await db
    .prepare("UPDATE user_rules SET enabled = ?3 WHERE user_id = ?1 AND id = ?2 RETURNING *")
    .bind(userId, id, enabled ? 1 : 0)
    .first<Row>();
  return row ? parse(row) : null;
}

export async function deleteUserRule(db: D1Database, userId: string, id: string): Promise<boolean> {
  const res = await db.prepare("DELETE FROM user_rules WHERE user_id = ?1 AND id = ?2").bind(userId, id).run();
  return res.meta.changes === 1;
}
