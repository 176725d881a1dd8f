/** The HTTP shape of a news article, with the caller's own interactions read in one batch per page. */
import type { z } from "@hono/zod-openapi";
import type { ArticleRow } from "../db/news/articles";
import { type ViewerState, viewerStates } from "../db/news/interactions";
import type { Matches } from "../domain/news/ranking";
import type { NewsArticle } from "./news-schemas";

const NONE: ViewerState = { liked: false, saved: false, clicks: 0 };

export function articleView(
  r: ArticleRow,
  viewer: ViewerState = NONE,
  score: number | null = null,
  matched: Matches | null = null,
): z.infer<typeof NewsArticle> {
  return {
    id: r.id,
    object: "news_article",
    title: r.title,
    summary: r.summary,
    url: r.url,
    source: r.source,
    published_at: new Date(r.published_at).toISOString(),
    topics: JSON.parse(r.topics) as string[],
    symbols: JSON.parse(r.symbols) as string[],
    hidden: r.hidden === 1,
    likes: r.likes,
    saves: r.saves,
    clicks: r.clicks,
    viewer,
    score,
    matched,
  };
}

export const parseTags = (r: ArticleRow) => ({ topics: JSON.parse(r.topics) as string[], symbols: JSON.parse(r.symbols) as string[] });

/** Views of a page of rows for one reader; `extra` adds each row's score and matches. */
export async function pageViews(
  db: D1Database,
  userId: string,
  rows: readonly ArticleRow[],
  extra: (r: ArticleRow, i: number) => { score: number | null; matched: Matches | null } = () => ({ score: null, matched: null }),
) {
  const states = await viewerStates(
    db,
    userId,
    rows.map((r) => r.id),
  );
  return rows.map((r, i) => {
    const e = extra(r, i);
    return articleView(r, states.get(r.id), e.score, e.matched);
  });
}
