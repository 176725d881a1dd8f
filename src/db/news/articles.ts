/**
 * D1 access to news articles: idempotent batch ingest (INSERT OR IGNORE on
 * the id and the unique URL; tag rows derived from the stored article, so a
 * duplicate never changes its tags), feed reads and moderation.
 */

export interface NewArticle {
  id: string;
  title: string;
  summary: string;
  url: string;
  source: string;
  publishedAt: number;
  topics: string[];
  symbols: string[];
}

export interface ArticleRow {
  id: string;
  title: string;
  summary: string;
  url: string;
  source: string;
  published_at: number;
  topics: string;
  symbols: string;
  hidden: number;
  likes: number;
  saves: number;
  clicks: number;
  clickers: number;
}

/** The most articles a score sort ranks (the newest matching ones); documented in the README. */
export const MAX_RANKED = 500;

const COLUMNS = "id, title, summary, url, source, published_at, topics, symbols, hidden, likes, saves, clicks, clickers";
const TAGS = (kind: "topic" | "symbol") =>
  `INSERT OR IGNORE INTO news_article_tags (kind, value, article_id)
   SELECT '${kind}', j.value, a.id FROM news_articles a, json_each(a.${kind === "topic" ? "topics" : "symbols"}) j WHERE a.url = ?1`;

/** One verdict per article, in order: created, or a duplicate of the stored article with that id or URL. */
export async function ingestArticles(
  db: D1Database,
  articles: readonly NewArticle[],
  now: number,
): Promise<{ id: string; status: "created" | "duplicate" }[]> {
  const statements = articles.flatMap((a) => [
    db
      .prepare(
        `INSERT OR IGNORE INTO news_articles (id, title, summary, url, source, published_at, topics, symbols, ingested_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)`,
      )
      .bind(a.id, a.title, a.summary, a.url, a.source, a.publishedAt, JSON.stringify(a.topics), JSON.stringify(a.symbols), now),
    db.prepare(TAGS("topic")).bind(a.url),
    db.prepare(TAGS("symbol")).bind(a.url),
  ]);
  const results = await db.batch(statements);
  const urls = JSON.stringify(articles.map((a) => a.url));
  const stored = await db
    .prepare("SELECT id, url FROM news_articles WHERE url IN (SELECT value FROM json_each(?1))")
    .bind(urls)
    .all<{ id: string; url: string }>();
  const idByUrl = new Map(stored.results.map((r) => [r.url, r.id]));
  return articles.map((a, i) => {
    const created = (results[i * 3]!.meta.changes ?? 0) === 1;
    return { id: created ? a.id : (idByUrl.get(a.url) ?? a.id), status: created ? "created" : "duplicate" };
  });
}

/** An article by id; hidden ones only when asked for (moderation). */
export async function findArticle(db: D1Database, id: string, opts: { includeHidden?: boolean } = {}): Promise<ArticleRow | null> {
  const hidden = opts.includeHidden ? "" : " AND hidden = 0";
  return db.prepare(`SELECT ${COLUMNS} FROM news_articles WHERE id = ?1${hidden}`).bind(id).first<ArticleRow>();
}

/** Hides or restores an article; null when there is none with this id. */
export async function setHidden(db: D1Database, id: string, hidden: boolean): Promise<ArticleRow | null> {
  return db
    .prepare(`UPDATE news_articles SET hidden = ?2 WHERE id = ?1 RETURNING ${COLUMNS}`)
    .bind(id, hidden ? 1 : 0)
    .first<ArticleRow>();
}

export interface FeedFilter {
  topic?: string;
  symbol?: string;
}

function where(filter: FeedFilter, first: number): { sql: string; binds: unknown[] } {
  const parts = ["hidden = 0"];
  const binds: unknown[] = [];
  const tag = (kind: string, value: string) => {
    binds.push(value);
    parts.push(`id IN (SELECT article_id FROM news_article_tags WHERE kind = '${kind}' AND value = ?${first + binds.length - 1})`);
  };
  if (filter.topic) tag("topic", filter.topic);
  if (filter.symbol) tag("symbol", filter.symbol);
  return { sql: parts.join(" AND "), binds };
}

/** Newest first by (published_at, id), strictly after the keyset cursor. */
export async function recentArticles(
  db: D1Database,
  filter: FeedFilter,
  before: { publishedAt: number; id: string } | null,
  limit: number,
): Promise<ArticleRow[]> {
  const w = where(filter, 4);
  const keyset = before ? " AND (published_at < ?1 OR (published_at = ?1 AND id < ?2))" : "";
  const r = await db
    .prepare(`SELECT ${COLUMNS} FROM news_articles WHERE ${w.sql}${keyset} ORDER BY published_at DESC, id DESC LIMIT ?3`)
    .bind(before?.publishedAt ?? 0, before?.id ?? "", limit, ...w.binds)
    .all<ArticleRow>();
  return r.results;
}

/** The newest MAX_RANKED visible articles ingested by `asOf`, for a score sort to rank. */
export async function rankCandidates(db: D1Database, filter: FeedFilter, asOf: number): Promise<ArticleRow[]> {
  const w = where(filter, 3);
  const r = await db
    .prepare(`SELECT ${COLUMNS} FROM news_articles WHERE ${w.sql} AND ingested_at <= ?1 ORDER BY published_at DESC, id DESC LIMIT ?2`)
    .bind(asOf, MAX_RANKED, ...w.binds)
    .all<ArticleRow>();
  return r.results;
}

/** Topics of visible articles with their article counts, most used first (at most 100). */
export async function topicCounts(db: D1Database): Promise<{ topic: string; articles: number }[]> {
  const r = await db
    .prepare(
      `SELECT t.value AS topic, count(*) AS articles FROM news_article_tags t JOIN news_articles a ON a.id = t.article_id
       WHERE t.kind = 'topic' AND a.hidden = 0 GROUP BY t.value ORDER BY articles DESC, topic LIMIT 100`,
    )
    .all<{ topic: string; articles: number }>();
  return r.results;
}

/** Visible articles by id (any order; hidden and unknown ids left out). */
export async function visibleArticlesByIds(db: D1Database, ids: readonly string[]): Promise<ArticleRow[]> {
  if (ids.length === 0) return [];
  const r = await db
    .prepare(`SELECT ${COLUMNS} FROM news_articles WHERE hidden = 0 AND id IN (SELECT value FROM json_each(?1))`)
    .bind(JSON.stringify(ids))
    .all<ArticleRow>();
  return r.results;
}

export type ArticleEdit = Partial<Pick<NewArticle, "title" | "summary" | "url" | "topics" | "symbols">>;

/**
 * Edits an article's text, URL and tags in one batch, rebuilding its tag rows
 * from the stored result. null: no article with this id; "url_taken": another
 * article has that URL (nothing changed).
 */
export async function editArticle(db: D1Database, id: string, edit: ArticleEdit): Promise<ArticleRow | null | "url_taken"> {
  if (edit.url !== undefined) {
    const other = await db.prepare("SELECT id FROM news_articles WHERE url = ?1 AND id <> ?2").bind(edit.url, id).first();
    if (other) return "url_taken";
  }
  const json = (v: string[] | undefined) => (v === undefined ? null : JSON.stringify(v));
  const rebuild = (kind: "topic" | "symbol") =>
    `INSERT OR IGNORE INTO news_article_tags (kind, value, article_id)
     SELECT '${kind}', j.value, a.id FROM news_articles a, json_each(a.${kind === "topic" ? "topics" : "symbols"}) j WHERE a.id = ?1`;
  const [updated] = await db.batch<ArticleRow>([
    db
      .prepare(
        `UPDATE news_articles SET title = coalesce(?2, title), summary = coalesce(?3, summary), url = coalesce(?4, url),
           topics = coalesce(?5, topics), symbols = coalesce(?6, symbols) WHERE id = ?1 RETURNING ${COLUMNS}`,
      )
      .bind(id, edit.title ?? null, edit.summary ?? null, edit.url ?? null, json(edit.topics), json(edit.symbols)),
    db.prepare("DELETE FROM news_article_tags WHERE article_id = ?1").bind(id),
    db.prepare(rebuild("topic")).bind(id),
    db.prepare(rebuild("symbol")).bind(id),
  ]);
  return updated?.results[0] ?? null;
}
