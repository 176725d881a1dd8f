/**
 * The account registry as reconciliation walks it: which accounts a user has,
 * who owns an account, and pages of whole users by account count.
 */

/** Each user's registered account ids, in id order (a user with none gets an empty list). */
export async function accountsOf(db: D1Database, userIds: readonly string[]): Promise<Map<string, string[]>> {
  const { results } = await db
    .prepare("SELECT user_id, id FROM accounts WHERE user_id IN (SELECT value FROM json_each(?1)) ORDER BY user_id, id")
    .bind(JSON.stringify(userIds))
    .all<{ user_id: string; id: string }>();
  const out = new Map<string, string[]>(userIds.map((u) => [u, []]));
  for (const r of results) out.get(r.user_id)!.push(r.id);
  return out;
}

/** Up to `limit` users after `after`, in id order, with how many accounts each has. */
export async function userAccountCounts(db: D1Database, after: string, limit: number): Promise<{ user_id: string; n: number }[]> {
  const { results } = await db
    .prepare("SELECT user_id, COUNT(*) AS n FROM accounts WHERE user_id > ?1 GROUP BY user_id ORDER BY user_id LIMIT ?2")
    .bind(after, limit)
    .all<{ user_id: string; n: number }>();
  return results;
}

/** The registered owner of an account, or null when the registry does not know it. */
export async function accountOwner(db: D1Database, accountId: string): Promise<string | null> {
  const row = await db.prepare("SELECT user_id FROM accounts WHERE id = ?1").bind(accountId).first<{ user_id: string }>();
  return row?.user_id ?? null;
}
