/**
 * Watchlists and frozen feed rankings (issue 13). A user's watchlist is one
 * ordered list of registry symbols (Alpaca-like: replace, add, remove); news
 * relevance reads it. A feed ranking snapshot pins the order of a `popular`
 * or `relevant` listing, with the scores and counts its first page saw, so
 * later pages neither repeat nor skip articles when engagement moves.
 */
import { index, integer, primaryKey, sqliteTable, text } from "drizzle-orm/sqlite-core";

export const watchlistSymbols = sqliteTable(
  "watchlist_symbols",
  {
    userId: text("user_id").notNull(),
    /** Upper-case canonical registry symbol. */
    symbol: text("symbol").notNull(),
    /** Order in the list (0-based, as the user put them). */
    position: integer("position").notNull(),
    createdAt: integer("created_at").notNull(),
  },
  (t) => [primaryKey({ columns: [t.userId, t.symbol] }), index("watchlist_symbols_order_idx").on(t.userId, t.position)],
);

export const newsRankSnapshots = sqliteTable(
  "news_rank_snapshots",
  {
    id: text("id").primaryKey(),
    userId: text("user_id").notNull(),
    sort: text("sort", { enum: ["popular", "relevant"] }).notNull(),
    /** Epoch ms: the ranking instant, also what expiry counts from. */
    asOf: integer("as_of").notNull(),
    /** JSON array of [article_id, score, likes, saves, clicks] in feed order. */
    entries: text("entries").notNull(),
  },
  (t) => [index("news_rank_snapshots_as_of_idx").on(t.asOf)],
);
