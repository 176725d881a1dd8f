/** D1 access to what a reader follows: topics, and symbols (the watchlist stand-in), replaced as a whole. */

export interface Follows {
  topics: string[];
  symbols: string[];
}

export async function readFollows(db: D1Database, userId: string): Promise<Follows> {
  const r = await db
    .prepare("SELECT kind, value FROM news_follows WHERE user_id = ?1 ORDER BY kind, value")
    .bind(userId)
    .all<{ kind: "topic" | "symbol"; value: string }>();
  return {
    topics: r.results.filter((f) => f.kind === "topic").map((f) => f.value),
    symbols: r.results.filter((f) => f.kind === "symbol").map((f) => f.value),
  };
}

/** Replaces the reader's follows in one batch (one transaction in D1). */
export async function replaceFollows(db: D1Database, userId: string, follows: Follows, now: number): Promise<void> {
  const insert = (kind: "topic" | "symbol", values: string[]) =>
    db
      .prepare("INSERT OR IGNORE INTO news_follows (user_id, kind, value, created_at) SELECT ?1, ?2, value, ?3 FROM json_each(?4)")
      .bind(userId, kind, now, JSON.stringify(values));
  await db.batch([
    db.prepare("DELETE FROM news_follows WHERE user_id = ?1").bind(userId),
    insert("topic", follows.topics),
    insert("symbol", follows.symbols),
  ]);
}
