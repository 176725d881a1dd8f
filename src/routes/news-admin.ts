/**
 * News in and out: `POST /v1/news` ingests a batch for the admin and `feeder`
 * roles (validated as a whole: one bad article refuses the batch, nothing
 * stored; known ids or URLs are duplicates, unchanged), and admins hide and
 * restore articles and edit their title, summary, URL and tags, each change
 * in the audit log.
 */
import { createRoute } from "@hono/zod-openapi";
import type { Context } from "hono";
import { recordAudit } from "../db/audit";
import { editArticle, ingestArticles, type NewArticle, setHidden } from "../db/news/articles";
import { DomainError } from "../domain/errors";
import { articleIdForUrl, NEWS_LIMITS, publishedAtProblem } from "../domain/news/articles";
import { bearerSecurity, bodyErrors, createRouter, errorResponses, jsonBody, jsonResponse } from "../lib/router";
import { requireAdmin, requireAuth, requireFeeder } from "../middleware/auth";
import type { AppEnv } from "../types";
import { ArticleEdit, ArticleParam, IngestBatch, IngestResults, NewsArticle } from "./news-schemas";
import { articleView } from "./news-view";

const ingestNews = createRoute({
  method: "post",
  path: "/news",
  tags: ["news"],
  operationId: "ingestNews",
  summary: "Ingest a batch of articles (feeder or admin)",
  security: bearerSecurity,
  middleware: [requireAuth(), requireFeeder()] as const,
  description: `At most ${NEWS_LIMITS.batch} articles. Each needs an http(s) url, a title, summary and source, published_at from 2000 to 5 minutes ahead, at most ${NEWS_LIMITS.topics} topic slugs and ${NEWS_LIMITS.symbols} registered symbols. Any invalid article refuses the whole batch (400, with its index) and nothing is stored. An article whose id or URL is already stored is a \`duplicate\` and left unchanged, so a feeder may resend a batch.`,
  request: { body: jsonBody(IngestBatch) },
  responses: { 200: jsonResponse(IngestResults, "One verdict per article"), ...errorResponses(...bodyErrors, 401, 403) },
});

const moderation = <A extends "hide" | "restore">(action: A) =>
  createRoute({
    method: "post",
    path: `/admin/news/{id}/${action}` as `/admin/news/{id}/${A}`,
    tags: ["admin"],
    operationId: `${action}NewsArticle`,
    summary: action === "hide" ? "Hide an article from every feed (admin)" : "Restore a hidden article (admin)",
    security: bearerSecurity,
    middleware: [requireAuth(), requireAdmin()] as const,
    description: `Idempotent. Recorded in the audit log as \`news.${action}\`. A hidden article leaves feeds, saved lists and topic counts; its likes and saves are kept and return with it.`,
    request: { params: ArticleParam },
    responses: { 200: jsonResponse(NewsArticle, "The article"), ...errorResponses(400, 401, 403, 404) },
  });

const editNews = createRoute({
  method: "patch",
  path: "/admin/news/{id}",
  tags: ["admin"],
  operationId: "editNewsArticle",
  summary: "Edit an article's title, summary, url, topics or symbols (admin)",
  security: bearerSecurity,
  middleware: [requireAuth(), requireAdmin()] as const,
  description:
    "Only the given fields change; topic and symbol filters follow at once. Hidden articles may be edited. A URL another article has is a 409. Recorded in the audit log as `news.edit` with the names of the changed fields (never their values).",
  request: { params: ArticleParam, body: jsonBody(ArticleEdit) },
  responses: { 200: jsonResponse(NewsArticle, "The edited article"), ...errorResponses(...bodyErrors, 401, 403, 404, 409) },
});

async function moderate(c: Context<AppEnv>, id: string, hidden: boolean) {
  const row = await setHidden(c.env.DB, id, hidden);
  if (!row) throw new DomainError("not_found", "Article not found");
  await recordAudit(c.env.DB, {
    actorId: c.get("principal").userId,
    action: hidden ? "news.hide" : "news.restore",
    targetType: "news_article",
    targetId: id,
    requestId: c.get("requestId"),
  });
  return articleView(row);
}

export const newsAdminRouter = createRouter()
  .openapi(ingestNews, async (c) => {
    const { articles } = c.req.valid("json");
    const now = Date.now();
    const issues = articles.flatMap((a, i) => {
      const problem = publishedAtProblem(Date.parse(a.published_at), now);
      return problem ? [{ path: `articles.${i}.published_at`, message: problem, code: "custom" }] : [];
    });
    if (issues.length > 0) throw new DomainError("validation_error", "Request validation failed", { target: "json", issues });
    const rows: NewArticle[] = await Promise.all(
      articles.map(async (a) => ({
        id: a.id ?? (await articleIdForUrl(a.url)),
        title: a.title,
        summary: a.summary,
        url: a.url,
        source: a.source,
        publishedAt: Date.parse(a.published_at),
        topics: a.topics,
        symbols: a.symbols,
      })),
    );
    const verdicts = await ingestArticles(c.env.DB, rows, now);
    const created = verdicts.filter((v) => v.status === "created").length;
    return c.json({ created, duplicates: verdicts.length - created, results: verdicts.map((v, index) => ({ index, ...v })) }, 200);
  })
  .openapi(editNews, async (c) => {
    const id = c.req.valid("param").id;
    const edit = c.req.valid("json");
    const row = await editArticle(c.env.DB, id, edit);
    if (row === "url_taken") throw new DomainError("conflict", "Another article has this url", { field: "url" });
    if (!row) throw new DomainError("not_found", "Article not found");
    await recordAudit(c.env.DB, {
      actorId: c.get("principal").userId,
      action: "news.edit",
      targetType: "news_article",
      targetId: id,
      requestId: c.get("requestId"),
      detail: { fields: Object.keys(edit).sort() },
    });
    return c.json(articleView(row), 200);
  })
  .openapi(moderation("hide"), async (c) => c.json(await moderate(c, c.req.valid("param").id, true), 200))
  .openapi(moderation("restore"), async (c) => c.json(await moderate(c, c.req.valid("param").id, false), 200));
