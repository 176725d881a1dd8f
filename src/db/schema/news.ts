/**
 * News feed tables (issue 13): articles from the feeder, their topic and
 * symbol tags (one row per tag, for indexed filters), each reader's likes,
 * saves and clicks, and what a reader follows. An article's counters are
 * recomputed from the interaction rows in the same batch that changes them,
 * so a repeated like or save never counts twice.
 */
import { index, integer, primaryKey, sqliteTable, text } from "drizzle-orm/sqlite-core";

export const newsArticles = sqliteTable(
  "news_articles",
  {
    id: text("id").primaryKey(),
    title: text("title").notNull(),
    summary: text("summary").notNull(),
    url: text("url").notNull().unique(),
    source: text("source").notNull(),
    /** Epoch milliseconds. */
    publishedAt: integer("published_at").notNull(),
    /** JSON arrays of slugs / registry symbols, as ingested (the tag rows index them). */
    topics: text("topics").notNull(),
    symbols: text("symbols").notNull(),
    hidden: integer("hidden").notNull().default(0),
    ingestedAt: integer("ingested_at").notNull(),
    likes: integer("likes").notNull().default(0),
    saves: integer("saves").notNull().default(0),
    /** Every click; `clickers` counts distinct readers (what popularity uses). */
    clicks: integer("clicks").notNull().default(0),
    clickers: integer("clickers").notNull().default(0),
  },
  (t) => [index("news_articles_published_idx").on(t.publishedAt, t.id)],
);

/** kind: `topic` or `symbol`. */
export const newsArticleTags = sqliteTable(
  "news_article_tags",
  {
    kind: text("kind", { enum: ["topic", "symbol"] }).notNull(),
    value: text("value").notNull(),
    articleId: text("article_id").notNull(),
  },
  (t) => [primaryKey({ columns: [t.kind, t.value, t.articleId] }), index("news_article_tags_article_idx").on(t.articleId)],
);

/** One like and one save per reader and article. */
export const newsReactions = sqliteTable(
  "news_reactions",
  {
    userId: text("user_id").notNull(),
    articleId: text("article_id").notNull(),
    kind: text("kind", { enum: ["like", "save"] }).notNull(),
    createdAt: integer("created_at").notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.userId, t.kind, t.articleId] }),
    index("news_reactions_article_idx").on(t.articleId, t.kind),
    index("news_reactions_saved_idx").on(t.userId, t.kind, t.createdAt),
  ],
);

export const newsClicks = sqliteTable(
  "news_clicks",
  {
    userId: text("user_id").notNull(),
    articleId: text("article_id").notNull(),
    count: integer("count").notNull().default(0),
    lastAt: integer("last_at").notNull(),
  },
  (t) => [primaryKey({ columns: [t.userId, t.articleId] }), index("news_clicks_article_idx").on(t.articleId)],
);

/** What a reader follows: kind `topic` or `symbol` (followed symbols stand in for a watchlist). */
export const newsFollows = sqliteTable(
  "news_follows",
  {
    userId: text("user_id").notNull(),
    kind: text("kind", { enum: ["topic", "symbol"] }).notNull(),
    value: text("value").notNull(),
    createdAt: integer("created_at").notNull(),
  },
  (t) => [primaryKey({ columns: [t.userId, t.kind, t.value] })],
);
