/**
 * The caller's portfolio over all of their brokerage accounts in one
 * currency, from Gold: the current value, cash, holdings at their latest close
 * and allocation; and the value history of a period with its returns, each
 * labelled by method. The user comes only from the token, so nobody else's
 * accounts are ever read.
 */
import { createRoute } from "@hono/zod-openapi";
import { readPortfolio } from "../db/pipeline/portfolio-reads";
import { symbolSpec } from "../domain/market/symbols";
import { CURRENCIES } from "../domain/money";
import { currentPortfolio, MAX_HISTORY_DAYS, PERIOD_DAYS, portfolioHistory } from "../domain/portfolio/report";
import { bearerSecurity, createRouter, errorResponses, jsonResponse } from "../lib/router";
import { requireAuth } from "../middleware/auth";
import { addDays } from "../pipeline/time";
import { HistoryQuery, Portfolio, PortfolioHistory, PortfolioQuery } from "./portfolio-schemas";

const tags = ["trading"];
const today = () => new Date().toISOString().slice(0, 10);
const assetClassOf = (symbol: string) => symbolSpec(symbol)?.asset_class ?? "unknown";

const portfolioRoute = createRoute({
  method: "get",
  path: "/portfolio",
  tags,
  operationId: "getPortfolio",
  summary: "Value, cash, holdings and allocation over all your brokerage accounts",
  description:
    "From Gold: each position at its symbol's latest close (qty × price exactly, rounded half-even to minor units once per symbol), plus cash. Allocation by symbol and by asset class, each with a `cash` bucket; the weights of a list sum to exactly 1.",
  security: bearerSecurity,
  middleware: [requireAuth()] as const,
  request: { query: PortfolioQuery },
  responses: { 200: jsonResponse(Portfolio, "The caller's portfolio"), ...errorResponses(400, 401) },
});

const historyRoute = createRoute({
  method: "get",
  path: "/portfolio/history",
  tags,
  operationId: "getPortfolioHistory",
  summary: "Portfolio value per day, external flows and returns over a period",
  description:
    "One point per UTC day with data (cash, position or a held symbol's close) in the period, plus its first day. Returns: `simple_return` (gain over money put in), `twr` (daily-linked, flows at the start of the day excluded), `mwr` (XIRR; the period's own return under a year), `volatility` (sample standard deviation of daily TWR × √252) and `sharpe` (risk-free 0) with at least 20 daily returns, `max_drawdown`; null where the data is too short, never annualized under a year.",
  security: bearerSecurity,
  middleware: [requireAuth()] as const,
  request: { query: HistoryQuery },
  responses: { 200: jsonResponse(PortfolioHistory, "The value series and returns"), ...errorResponses(400, 401) },
});

export const portfolioRouter = createRouter()
  .openapi(portfolioRoute, async (c) => {
    const { currency } = c.req.valid("query");
    const day = today();
    const rows = await readPortfolio(c.env.DB, c.get("principal").userId, currency, day, day);
    const p = currentPortfolio(rows, CURRENCIES[currency] ?? 2, assetClassOf);
    const { cash_by_account, ...view } = p;
    return c.json(
      {
        object: "portfolio" as const,
        currency,
        as_of: rows.asOf,
        accounts: rows.accounts.map((a) => ({ ...a, cash: String(cash_by_account.get(a.id) ?? 0) })),
        ...view,
      },
      200,
    );
  })
  .openapi(historyRoute, async (c) => {
    const { period, currency } = c.req.valid("query");
    const userId = c.get("principal").userId;
    const to = today();
    const earliest = addDays(to, -(MAX_HISTORY_DAYS - 1));
    let from = period === "all" ? earliest : addDays(to, -PERIOD_DAYS[period]);
    const rows = await readPortfolio(c.env.DB, userId, currency, from, to);
    // `all` starts on the first day with data; nothing lies between `earliest` and it, so the rows read still fit.
    if (period === "all" && rows.firstDay && rows.firstDay > from) from = rows.firstDay;
    const h = portfolioHistory(rows, { from, to }, CURRENCIES[currency] ?? 2);
    return c.json({ object: "portfolio_history" as const, currency, period, from, to, as_of: rows.asOf, ...h }, 200);
  });
