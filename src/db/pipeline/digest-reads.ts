/**
 * What the digest cron reads from Silver to find its users: a page of users
 * with a transaction in the two periods (silver_events_date_idx).
 */

/** Users with a transaction on or after `from` and before `end`, after `afterUser`, in id order. */
export async function digestUsers(db: D1Database, from: string, end: string, afterUser: string, limit: number): Promise<string[]> {
  const { results } = await db
    .prepare(
      `SELECT DISTINCT user_id FROM silver_events
       WHERE event_date >= ?1 AND event_date < ?2 AND type = 'transaction_posted' AND user_id > ?3
       ORDER BY user_id LIMIT ?4`,
    )
    .bind(from, end, afterUser, limit)
    .all<{ user_id: string }>();
  return results.map((r) => r.user_id);
}
