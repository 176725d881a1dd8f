/**
 * /v1/news/{id}/like|unlike|save|unsave|click: the caller's interactions.
 * Like and save are set or cleared (a repeat changes nothing); a click adds
 * one to the caller's count, and popularity counts each reader once. Hidden
 * or unknown articles are a 404. Each answers the article as the caller sees it.
 */
import { createRoute } from "@hono/zod-openapi";
import type { Context } from "hono";
import { findArticle } from "../db/news/articles";
import { recordClick, setReaction } from "../db/news/interactions";
import { DomainError } from "../domain/errors";
import { bearerSecurity, createRouter, errorResponses, jsonResponse } from "../lib/router";
import { requireAuth } from "../middleware/auth";
import type { AppEnv } from "../types";
import { ArticleParam, NewsArticle } from "./news-schemas";
import { pageViews } from "./news-view";

type Action = "like" | "unlike" | "save" | "unsave" | "click";

const SUMMARIES: Record<Action, string> = {
  like: "Like an article (idempotent)",
  unlike: "Remove the caller's like (idempotent)",
  save: "Save an article to the caller's saved list (idempotent)",
  unsave: "Remove an article from the caller's saved list (idempotent)",
  click: "Record that the caller opened the article",
};

const route = <A extends Action>(action: A) =>
  createRoute({
    method: "post",
    path: `/news/{id}/${action}` as `/news/{id}/${A}`,
    tags: ["news"],
    operationId: `${action}NewsArticle` as const,
    summary: SUMMARIES[action],
    security: bearerSecurity,
    middleware: [requireAuth()] as const,
    description: "No body. A hidden or unknown article is a 404. Answers the article with its counts and the caller's `viewer` state.",
    request: { params: ArticleParam },
    responses: { 200: jsonResponse(NewsArticle, "The article"), ...errorResponses(400, 401, 404) },
  });

function handle(action: Action) {
  return async (c: Context<AppEnv>, id: string) => {
    const db = c.env.DB;
    const userId = c.get("principal").userId;
    if (!(await findArticle(db, id))) throw new DomainError("not_found", "Article not found");
    const now = Date.now();
    if (action === "click") await recordClick(db, userId, id, now);
    else await setReaction(db, userId, id, action.endsWith("like") ? "like" : "save", !action.startsWith("un"), now);
    const row = await findArticle(db, id);
    if (!row) throw new DomainError("not_found", "Article not found");
    const [view] = await pageViews(db, userId, [row]);
    return view!;
  };
}

const like = handle("like");
const unlike = handle("unlike");
const save = handle("save");
const unsave = handle("unsave");
const click = handle("click");

export const newsInteractionsRouter = createRouter()
  .openapi(route("like"), async (c) => c.json(await like(c, c.req.valid("param").id), 200))
  .openapi(route("unlike"), async (c) => c.json(await unlike(c, c.req.valid("param").id), 200))
  .openapi(route("save"), async (c) => c.json(await save(c, c.req.valid("param").id), 200))
  .openapi(route("unsave"), async (c) => c.json(await unsave(c, c.req.valid("param").id), 200))
  .openapi(route("click"), async (c) => c.json(await click(c, c.req.valid("param").id), 200));
