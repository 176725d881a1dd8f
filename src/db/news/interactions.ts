/**
 * D1 access to each reader's likes, saves and clicks. A like or save is one
 * row per reader and article (a repeat changes nothing); a click increments
 * the reader's count. The article's counters are recomputed from these rows in
 * the same batch, so they always equal what the rows say.
 */
import type { ArticleRow } from "./articles";

export type Reaction = "like" | "save";

const COUNTERS = `UPDATE news_articles SET
    likes = (SELECT count(*) FROM news_reactions WHERE article_id = ?1 AND kind = 'like'),
    saves = (SELECT count(*) FROM news_reactions WHERE article_id = ?1 AND kind = 'save'),
    clicks = (SELECT coalesce(sum(count), 0) FROM news_clicks WHERE article_id = ?1),
    clickers = (SELECT count(*) FROM news_clicks WHERE article_id = ?1)
  WHERE id = ?1`;

/** Sets or clears the reader's like or save (idempotent both ways). */
export async function setReaction(db: D1Database, userId: string, articleId: string, kind: Reaction, on: boolean, now: number) {
  const change = on
    ? db
        .prepare("INSERT OR IGNORE INTO news_reactions (user_id, article_id, kind, created_at) VALUES (?1, ?2, ?3, ?4)")
        .bind(userId, articleId, kind, now)
    : db.prepare("DELETE FROM news_reactions WHERE user_id = ?1 AND article_id = ?2 AND kind = ?3").bind(userId, articleId, kind);
  await db.batch([change, db.prepare(COUNTERS).bind(articleId)]);
}

export async function recordClick(db: D1Database, userId: string, articleId: string, now: number) {
  await db.batch([
    db
      .prepare(
        `INSERT INTO news_clicks (user_id, article_id, count, last_at) VALUES (?1, ?2, 1, ?3)
         ON CONFLICT (user_id, article_id) DO UPDATE SET count = count + 1, last_at = excluded.last_at`,
      )
      .bind(userId, articleId, now),
    db.prepare(COUNTERS).bind(articleId),
  ]);
}

export interface ViewerState {
  liked: boolean;
  saved: boolean;
  clicks: number;
}

/** The reader's own interactions with these articles (absent ones: none). */
export async function viewerStates(db: D1Database, userId: string, articleIds: readonly string[]): Promise<Map<string, ViewerState>> {
  const out = new Map<string, ViewerState>();
  if (articleIds.length === 0) return out;
  const ids = JSON.stringify(articleIds);
  const [reactions, clicks] = await db.batch([
    db
      .prepare("SELECT article_id, kind FROM news_reactions WHERE user_id = ?1 AND article_id IN (SELECT value FROM json_each(?2))")
      .bind(userId, ids),
    db
      .prepare("SELECT article_id, count FROM news_clicks WHERE user_id = ?1 AND article_id IN (SELECT value FROM json_each(?2))")
      .bind(userId, ids),
  ]);
  const state = (id: string) => {
    const s = out.get(id) ?? { liked: false, saved: false, clicks: 0 };
    out.set(id, s);
    return s;
  };
  for (const r of reactions!.results as { article_id: string; kind: Reaction }[]) {
    if (r.kind === "like") state(r.article_id).liked = true;
    else state(r.article_id).saved = true;
  }
  for (const r of clicks!.results as { article_id: string; count: number }[]) state(r.article_id).clicks = r.count;
  return out;
}

/** The reader's saved, visible articles, most recently saved first, strictly after the keyset cursor. */
export async function savedArticles(
  db: D1Database,
  userId: string,
  before: { savedAt: number; id: string } | null,
  limit: number,
): Promise<(ArticleRow & { saved_at: number })[]> {
  const keyset = before ? " AND (r.created_at < ?2 OR (r.created_at = ?2 AND r.article_id < ?3))" : "";
  const r = await db
    .prepare(
      `SELECT a.id, a.title, a.summary, a.url, a.source, a.published_at, a.topics, a.symbols, a.hidden,
              a.likes, a.saves, a.clicks, a.clickers, r.created_at AS saved_at
       FROM news_reactions r JOIN news_articles a ON a.id = r.article_id
       WHERE r.user_id = ?1 AND r.kind = 'save' AND a.hidden = 0${keyset}
       ORDER BY r.created_at DESC, r.article_id DESC LIMIT ?4`,
    )
    .bind(userId, before?.savedAt ?? 0, before?.id ?? "", limit)
    .all<ArticleRow & { saved_at: number }>();
  return r.results;
}
