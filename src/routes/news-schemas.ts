/** Schemas of the news routes: they validate the requests and document them in /openapi.json. */
import { z } from "@hono/zod-openapi";
import { ARTICLE_ID_PATTERN, isArticleUrl, NEWS_LIMITS, TOPIC_PATTERN } from "../domain/news/articles";
import { SYMBOL_PATTERN, symbolSpec } from "../domain/market/symbols";
import { cursorQuery } from "../lib/cursor";
import { Instant } from "./date-schemas";
import { pageLimit } from "./schemas";
import { text } from "./text-schemas";

export const ArticleId = z
  .string()
  .regex(ARTICLE_ID_PATTERN, "must be an article id: 1–64 of A-Z, a-z, 0-9, '.', '_', ':', '-'")
  .openapi({ example: "nws_3f2a9c0d1e4b5a6978c0d1e2" });
export const ArticleParam = z.object({ id: ArticleId.openapi({ param: { name: "id", in: "path" } }) });

export const Topic = z
  .string()
  .regex(TOPIC_PATTERN, "must be a topic: a lowercase slug of a-z, 0-9 and -, at most 32 characters")
  .openapi({ example: "earnings" });
export const NewsSymbol = z
  .string()
  .regex(SYMBOL_PATTERN, "must be a symbol: 1–12 of A-Z, 0-9, '.', '-'")
  .refine((s) => symbolSpec(s) !== undefined, "must be a registered symbol (GET /v1/market/symbols)")
  .openapi({ example: "AAPL" });

const distinct = <T extends z.ZodTypeAny>(item: T, max: number, what: string) =>
  z
    .array(item)
    .max(max)
    .refine((a) => new Set(a).size === a.length, `must not repeat a ${what}`);

export const IngestArticle = z
  .object({
    id: ArticleId.optional().openapi({ description: "The feed's id; omitted: derived from the URL (nws_ + SHA-256 prefix)" }),
    title: text(NEWS_LIMITS.title),
    summary: text(NEWS_LIMITS.summary),
    url: z
      .string()
      .max(NEWS_LIMITS.url)
      .refine(isArticleUrl, "must be an absolute http or https URL without credentials")
      .openapi({ example: "https://news.example/aapl-q4" }),
    source: text(NEWS_LIMITS.source).openapi({ example: "Example Wire" }),
    published_at: Instant.openapi({ description: "RFC 3339; 2000-01-01 or later, at most 5 minutes ahead of the server" }),
    topics: distinct(Topic, NEWS_LIMITS.topics, "topic").default([]),
    symbols: distinct(NewsSymbol, NEWS_LIMITS.symbols, "symbol").default([]),
  })
  .strict();

export const ArticleEdit = IngestArticle.pick({ title: true, summary: true, url: true })
  .partial()
  .extend({
    topics: distinct(Topic, NEWS_LIMITS.topics, "topic").optional(),
    symbols: distinct(NewsSymbol, NEWS_LIMITS.symbols, "symbol").optional(),
  })
  .strict()
  .refine((e) => Object.keys(e).length > 0, "must change at least one of title, summary, url, topics, symbols")
  .openapi("NewsArticleEdit", { example: { title: "Apple beats estimates (corrected)", topics: ["earnings"] } });

export const IngestBatch = z
  .object({ articles: z.array(IngestArticle).min(1).max(NEWS_LIMITS.batch) })
  .strict()
  .openapi("NewsIngestBatch", {
    example: {
      articles: [
        {
          id: "wire-1042",
          title: "Apple beats estimates",
          summary: "Quarterly revenue rose 8 %.",
          url: "https://news.example/aapl-q4",
          source: "Example Wire",
          published_at: "2026-12-03T08:00:00Z",
          topics: ["earnings"],
          symbols: ["AAPL"],
        },
      ],
    },
  });

export const IngestResults = z
  .object({
    created: z.number().int(),
    duplicates: z.number().int(),
    results: z.array(
      z.object({
        index: z.number().int(),
        id: z.string(),
        status: z.enum(["created", "duplicate"]).openapi({ description: "duplicate: an article with this id or URL exists; unchanged" }),
      }),
    ),
  })
  .openapi("NewsIngestResults");

export const NewsArticle = z
  .object({
    id: z.string(),
    object: z.literal("news_article"),
    title: z.string(),
    summary: z.string(),
    url: z.string(),
    source: z.string(),
    published_at: z.string(),
    topics: z.array(z.string()),
    symbols: z.array(z.string()),
    hidden: z.boolean().openapi({ description: "Hidden by a moderator: only admins' moderation routes return it" }),
    likes: z.number().int(),
    saves: z.number().int(),
    clicks: z.number().int(),
    viewer: z
      .object({ liked: z.boolean(), saved: z.boolean(), clicks: z.number().int() })
      .openapi({ description: "The caller's own interactions" }),
    score: z
      .number()
      .nullable()
      .openapi({ description: "The sort's score (popular, relevant) at the page's ranking instant; null for recent" }),
    matched: z
      .object({ held: z.array(z.string()), watched: z.array(z.string()), topics: z.array(z.string()) })
      .nullable()
      .openapi({ description: "relevant only: the held symbols, followed symbols and followed topics this article matched" }),
  })
  .openapi("NewsArticle");

const list = (item: z.ZodTypeAny, name: string) =>
  z.object({ object: z.literal("list"), data: z.array(item), has_more: z.boolean(), next_cursor: z.string().nullable() }).openapi(name);
export const NewsArticleList = list(NewsArticle, "NewsArticleList");

export const NEWS_SORTS = ["recent", "popular", "relevant"] as const;
export const FeedQuery = z.object({
  topic: Topic.optional(),
  symbol: NewsSymbol.optional(),
  sort: z.enum(NEWS_SORTS).default("recent"),
  cursor: cursorQuery,
  limit: pageLimit(50, 20),
});
export const SavedQuery = z.object({ cursor: cursorQuery, limit: pageLimit(50, 20) });

export const NewsPreferences = z
  .object({
    topics: distinct(Topic, NEWS_LIMITS.follows, "topic"),
    symbols: distinct(NewsSymbol, NEWS_LIMITS.follows, "symbol").openapi({
      description: "Followed symbols (a watchlist) rank articles about them higher",
    }),
  })
  .strict()
  .openapi("NewsPreferences", { example: { topics: ["earnings", "ai"], symbols: ["NVDA"] } });

export const NewsTopicList = z
  .object({
    object: z.literal("list"),
    data: z.array(z.object({ topic: z.string(), articles: z.number().int(), followed: z.boolean() })),
  })
  .openapi("NewsTopicList");
