/**
 * /v1/news: the reader's feed (recent, popular or personally relevant), saved
 * articles, topics and follow preferences. Hidden articles never appear.
 * Score sorts rank in the Worker (src/domain/news/ranking.ts); their pages are
 * cut from a ranking snapshot the first page freezes (src/routes/news-ranked.ts).
 */
import { createRoute, z } from "@hono/zod-openapi";
import { MAX_RANKED, recentArticles, topicCounts } from "../db/news/articles";
import { readFollows, replaceFollows } from "../db/news/follows";
import { savedArticles } from "../db/news/interactions";
import { decodeCursor, encodeCursor } from "../lib/cursor";
import { bearerSecurity, bodyErrors, createRouter, errorResponses, jsonBody, jsonResponse } from "../lib/router";
import { requireAuth } from "../middleware/auth";
import { FeedQuery, NewsArticleList, NewsPreferences, NewsTopicList, SavedQuery } from "./news-schemas";
import { scoreSortedPage } from "./news-ranked";
import { pageViews } from "./news-view";

const tags = ["news"];

const listNews = createRoute({
  method: "get",
  path: "/news",
  tags,
  security: bearerSecurity,
  middleware: [requireAuth()] as const,
  operationId: "listNews",
  summary: "The news feed",
  description: `Filter by \`topic\` and/or \`symbol\`. \`sort=recent\` (default): newest first. \`popular\`: engagement (1·distinct clickers + 3·likes + 5·saves) / (age_hours + 2)^1.5. \`relevant\`: (1 + 3·held symbols + 2·followed symbols + 1·followed topics + engagement/10) / (age_hours + 2)^0.5, from the caller's positions (Gold), watchlist plus followed symbols, and followed topics. Score sorts rank the newest ${MAX_RANKED} matching articles at the first page's instant and freeze that order, with its scores and counts, for one hour: later pages show the counts and scores of the first page and neither repeat nor skip an article when engagement changes between pages (an article hidden since is left out). An expired cursor is a 400; ties go to the newer article, then the higher id.`,
  request: { query: FeedQuery },
  responses: { 200: jsonResponse(NewsArticleList, "A page of articles"), ...errorResponses(400, 401) },
});

const listSaved = createRoute({
  method: "get",
  path: "/news/saved",
  tags,
  security: bearerSecurity,
  middleware: [requireAuth()] as const,
  operationId: "listSavedNews",
  summary: "The caller's saved articles, most recently saved first",
  description: "Hidden articles are left out.",
  request: { query: SavedQuery },
  responses: { 200: jsonResponse(NewsArticleList, "A page of saved articles"), ...errorResponses(400, 401) },
});

const listTopics = createRoute({
  method: "get",
  path: "/news/topics",
  tags,
  security: bearerSecurity,
  middleware: [requireAuth()] as const,
  operationId: "listNewsTopics",
  summary: "Topics in the feed, with article counts and whether the caller follows each",
  description: "The 100 most used topics of visible articles.",
  responses: { 200: jsonResponse(NewsTopicList, "Topics"), ...errorResponses(401) },
});

const getPreferences = createRoute({
  method: "get",
  path: "/news/preferences",
  tags,
  security: bearerSecurity,
  middleware: [requireAuth()] as const,
  operationId: "getNewsPreferences",
  summary: "The topics and symbols the caller follows",
  description: "They personalize `sort=relevant`.",
  responses: { 200: jsonResponse(NewsPreferences, "Follows"), ...errorResponses(401) },
});

const putPreferences = createRoute({
  method: "put",
  path: "/news/preferences",
  tags,
  security: bearerSecurity,
  middleware: [requireAuth()] as const,
  operationId: "putNewsPreferences",
  summary: "Replace the topics and symbols the caller follows",
  description: "At most 50 of each; symbols must be registered.",
  request: { body: jsonBody(NewsPreferences) },
  responses: { 200: jsonResponse(NewsPreferences, "Follows"), ...errorResponses(...bodyErrors, 401) },
});

const RecentCursor = z.object({ s: z.literal("recent"), p: z.number().int(), i: z.string().max(64) });
const page = <T>(data: T[], hasMore: boolean, next: unknown) => ({
  object: "list" as const,
  data,
  has_more: hasMore,
  next_cursor: hasMore ? encodeCursor(next) : null,
});

export const newsRouter = createRouter()
  .openapi(listNews, async (c) => {
    const { topic, symbol, sort, cursor, limit } = c.req.valid("query");
    const userId = c.get("principal").userId;
    const db = c.env.DB;
    if (sort === "recent") {
      const after = decodeCursor(cursor, RecentCursor);
      const rows = await recentArticles(db, { topic, symbol }, after && { publishedAt: after.p, id: after.i }, limit + 1);
      const shown = rows.slice(0, limit);
      const last = shown[shown.length - 1];
      return c.json(
        page(await pageViews(db, userId, shown), rows.length > limit, last && { s: "recent", p: last.published_at, i: last.id }),
        200,
      );
    }
    return c.json(await scoreSortedPage(db, userId, { topic, symbol, sort, cursor, limit }), 200);
  })
  .openapi(listSaved, async (c) => {
    const { cursor, limit } = c.req.valid("query");
    const userId = c.get("principal").userId;
    const after = decodeCursor(cursor, z.object({ t: z.number().int(), i: z.string().max(64) }));
    const rows = await savedArticles(c.env.DB, userId, after && { savedAt: after.t, id: after.i }, limit + 1);
    const shown = rows.slice(0, limit);
    const last = shown[shown.length - 1];
    return c.json(page(await pageViews(c.env.DB, userId, shown), rows.length > limit, last && { t: last.saved_at, i: last.id }), 200);
  })
  .openapi(listTopics, async (c) => {
    const [counts, follows] = await Promise.all([topicCounts(c.env.DB), readFollows(c.env.DB, c.get("principal").userId)]);
    const followed = new Set(follows.topics);
    return c.json({ object: "list" as const, data: counts.map((t) => ({ ...t, followed: followed.has(t.topic) })) }, 200);
  })
  .openapi(getPreferences, async (c) => c.json(await readFollows(c.env.DB, c.get("principal").userId), 200))
  .openapi(putPreferences, async (c) => {
    const userId = c.get("principal").userId;
    await replaceFollows(c.env.DB, userId, c.req.valid("json"), Date.now());
    return c.json(await readFollows(c.env.DB, userId), 200);
  });
