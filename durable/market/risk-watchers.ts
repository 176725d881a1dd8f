/**
 * The users with risk alert rules whose accounts hold this symbol (MarketDO
 * SQLite, schema V4): a daily close of the symbol re-evaluates their rules
 * (queues/risk-alerts.ts). A user is added when a trade or a new rule shows
 * a position here, and removed lazily once they have no rules left.
 */
export class RiskWatchers {
  constructor(private readonly sql: SqlStorage) {}

  add(userId: string, now: number): void {
    this.sql.exec("INSERT OR IGNORE INTO risk_watchers (user_id, since) VALUES (?, ?)", userId, now);
  }

  remove(userId: string): void {
    this.sql.exec("DELETE FROM risk_watchers WHERE user_id = ?", userId);
  }

  list(limit: number): string[] {
    return this.sql
      .exec<{ user_id: string }>("SELECT user_id FROM risk_watchers ORDER BY user_id LIMIT ?", limit)
      .toArray()
      .map((r) => r.user_id);
  }
}
