/**
 * The caller's rules in D1 (`user_rules`): create (bounded per user), list, update enabled, delete; every
 * statement scoped to the user. The pipeline loads a batch's users' enabled rules in one query.
 */
import { type RuleActions, type RuleCondition, rankRules, type UserRule } from "../../domain/intel/user-rules";
import type { LiveRule, LiveRulesByUser } from "../../pipeline/live-rules";
import { jsonChunks } from "../pipeline/json-rows";

export const MAX_USER_RULES = 200;

export interface StoredUserRule extends UserRule, LiveRule {
  user_id: string;
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
      `INSERT INTO user_rules (id, user_id, stage, conditions, actions, enabled, source, created_at, confidence)
       SELECT ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?10 WHERE (SELECT count(*) FROM user_rules WHERE user_id = ?2) < ?9`,
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
      r.confidence,
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

/** The enabled rules of these users, ranked per user (at most MAX_USER_RULES each: insert enforces it). */
export async function loadLiveRules(db: D1Database, userIds: readonly string[]): Promise<LiveRulesByUser> {
  const byUser = new Map<string, StoredUserRule[]>();
  if (userIds.length === 0) return byUser;
  const stmt = db.prepare("SELECT * FROM user_rules WHERE enabled = 1 AND user_id IN (SELECT value FROM json_each(?1))");
  const results = await db.batch<Row>(jsonChunks(userIds).map((chunk) => stmt.bind(chunk)));
  for (const r of results.flatMap((x) => x.results)) byUser.set(r.user_id, [...(byUser.get(r.user_id) ?? []), parse(r)]);
  return new Map([...byUser].map(([user, rules]) => [user, rankRules(rules)]));
}
