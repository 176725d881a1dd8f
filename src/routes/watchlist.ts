/**
 * /v1/watchlist (Alpaca-like): the caller's one watchlist of registry symbols.
 * PUT replaces it, POST /symbols appends one (idempotent: already listed is
 * 200 unchanged), DELETE /symbols/{symbol} removes one (404 when not listed).
 * News `sort=relevant` ranks articles about watched symbols higher.
 */
import { createRoute } from "@hono/zod-openapi";
import { addToWatchlist, readWatchlist, removeFromWatchlist, replaceWatchlist, WATCHLIST_MAX } from "../db/watchlist";
import { DomainError } from "../domain/errors";
import { bearerSecurity, bodyErrors, createRouter, errorResponses, jsonBody, jsonResponse } from "../lib/router";
import { requireAuth } from "../middleware/auth";
import { AddWatchSymbol, ReplaceWatchlist, Watchlist, WatchSymbolParam } from "./watchlist-schemas";

const tags = ["watchlist"];
const ok = jsonResponse(Watchlist, "The watchlist");

const getWatchlist = createRoute({
  tags,
  security: bearerSecurity,
  middleware: [requireAuth()] as const,
  method: "get",
  path: "/watchlist",
  operationId: "getWatchlist",
  summary: "The caller's watchlist",
  description: "The caller's watched symbols, in the order they were put on the list.",
  responses: { 200: ok, ...errorResponses(401) },
});

const putWatchlist = createRoute({
  tags,
  security: bearerSecurity,
  middleware: [requireAuth()] as const,
  method: "put",
  path: "/watchlist",
  operationId: "replaceWatchlist",
  summary: "Replace the watchlist",
  description: `At most ${WATCHLIST_MAX} distinct registered symbols, kept in the given order.`,
  request: { body: jsonBody(ReplaceWatchlist) },
  responses: { 200: ok, ...errorResponses(...bodyErrors, 401) },
});

const addSymbol = createRoute({
  tags,
  security: bearerSecurity,
  middleware: [requireAuth()] as const,
  method: "post",
  path: "/watchlist/symbols",
  operationId: "addWatchlistSymbol",
  summary: "Add a symbol at the end of the watchlist",
  description: `Idempotent: a listed symbol stays where it is. A full list (${WATCHLIST_MAX}) is a 409.`,
  request: { body: jsonBody(AddWatchSymbol) },
  responses: { 200: ok, ...errorResponses(...bodyErrors, 401, 409) },
});

const removeSymbol = createRoute({
  tags,
  security: bearerSecurity,
  middleware: [requireAuth()] as const,
  method: "delete",
  path: "/watchlist/symbols/{symbol}",
  operationId: "removeWatchlistSymbol",
  summary: "Remove a symbol from the watchlist",
  description: "A symbol that is not listed is a 404; the others keep their order.",
  request: { params: WatchSymbolParam },
  responses: { 200: ok, ...errorResponses(400, 401, 404) },
});

const view = (symbols: string[]) => ({ object: "watchlist" as const, symbols, max_symbols: WATCHLIST_MAX });

export const watchlistRouter = createRouter()
  .openapi(getWatchlist, async (c) => c.json(view(await readWatchlist(c.env.DB, c.get("principal").userId)), 200))
  .openapi(putWatchlist, async (c) => {
    const userId = c.get("principal").userId;
    await replaceWatchlist(c.env.DB, userId, c.req.valid("json").symbols, Date.now());
    return c.json(view(await readWatchlist(c.env.DB, userId)), 200);
  })
  .openapi(addSymbol, async (c) => {
    const userId = c.get("principal").userId;
    const { symbol } = c.req.valid("json");
    const { added } = await addToWatchlist(c.env.DB, userId, symbol, Date.now());
    const symbols = await readWatchlist(c.env.DB, userId);
    if (!added && !symbols.includes(symbol)) {
      throw new DomainError("conflict", `The watchlist is full (${WATCHLIST_MAX} symbols)`, { max_symbols: WATCHLIST_MAX });
    }
    return c.json(view(symbols), 200);
  })
  .openapi(removeSymbol, async (c) => {
    const userId = c.get("principal").userId;
    const { symbol } = c.req.valid("param");
    if (!(await removeFromWatchlist(c.env.DB, userId, symbol))) throw new DomainError("not_found", "Symbol not on the watchlist");
    return c.json(view(await readWatchlist(c.env.DB, userId)), 200);
  });
