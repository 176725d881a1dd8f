/** D1 access to a user's watchlist: one ordered list of registry symbols, replaced, appended to or trimmed. */

export const WATCHLIST_MAX = 50;

export async function readWatchlist(db: D1Database, userId: string): Promise<string[]> {
  const r = await db
    .prepare("SELECT symbol FROM watchlist_symbols WHERE user_id = ?1 ORDER BY position, symbol")
    .bind(userId)
    .all<{ symbol: string }>();
  return r.results.map((x) => x.symbol);
}

/** Replaces the list in one batch (one transaction in D1); positions follow the given order. */
export async function replaceWatchlist(db: D1Database, userId: string, symbols: readonly string[], now: number): Promise<void> {
  await db.batch([
    db.prepare("DELETE FROM watchlist_symbols WHERE user_id = ?1").bind(userId),
    db
      .prepare(
        `INSERT INTO watchlist_symbols (user_id, symbol, position, created_at)
         SELECT ?1, j.value, j.key, ?2 FROM json_each(?3) j`,
      )
      .bind(userId, now, JSON.stringify(symbols)),
  ]);
}

/**
 * Appends a symbol unless present or the list is full (one statement, so two
 * concurrent adds cannot pass the cap together). `added` false: it was there
 * already or the list is full; `size` tells which.
 */
export async function addToWatchlist(db: D1Database, userId: string, symbol: string, now: number): Promise<{ added: boolean }> {
  const r = await db
    .prepare(
      `INSERT OR IGNORE INTO watchlist_symbols (user_id, symbol, position, created_at)
       SELECT ?1, ?2, coalesce(max(position) + 1, 0), ?3 FROM watchlist_symbols WHERE user_id = ?1
       HAVING count(*) < ?4`,
    )
    .bind(userId, symbol, now, WATCHLIST_MAX)
    .run();
  return { added: (r.meta.changes ?? 0) === 1 };
}

/** Removes a symbol; false when it was not on the list. */
export async function removeFromWatchlist(db: D1Database, userId: string, symbol: string): Promise<boolean> {
  const r = await db.prepare("DELETE FROM watchlist_symbols WHERE user_id = ?1 AND symbol = ?2").bind(userId, symbol).run();
  return (r.meta.changes ?? 0) === 1;
}
