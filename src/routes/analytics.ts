/**
 * Analytics served from Gold: spending by category or merchant, an account's
 * daily balances, and income/expenses by month. The user comes from the token;
 * an account that is not the caller's is a 404, never someone else's figures.
 */
import { createRoute, z } from "@hono/zod-openapi";
import { and, eq } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import { accounts } from "../db/schema";
import { dailyRows, goldAsOf, monthlyFlows, spendingPage, spendingTotals } from "../db/pipeline/gold-reads";
import { checkDayRange, checkMonthRange, SPAN_LIMITS } from "../domain/calendar";
import { DomainError } from "../domain/errors";
import { decodeCursor, encodeCursor } from "../lib/cursor";
import { bearerSecurity, createRouter, errorResponses, jsonResponse } from "../lib/router";
import { requireAuth } from "../middleware/auth";
import { denseDays, summarizeMonths } from "../pipeline/summary";
import { addDays, daysBetween } from "../pipeline/time";
import { AccountId, listOf } from "./schemas";
import { Day, MinorTotal, MoneyByCurrency, Month, PageCursor, PageLimit } from "./pipeline-schemas";

const tags = ["analytics"];

// Spending and monthly flows are summed over all of the user's accounts: exact decimal strings (see MinorTotal).
const SpendingItem = z
  .object({
    key: z.string(),
    currency: z.string(),
    purchases: z.number().int().openapi({ description: "Number of purchases" }),
    refunds: z.number().int().openapi({ description: "Number of refunds" }),
    amount: MinorTotal,
  })
  .openapi("SpendingItem");
const DailyBalance = z
  .object({
    day: z.string(),
    inflow: z.number().int(),
    outflow: z.number().int(),
    net: z.number().int(),
    entries: z.number().int(),
    closing_balance: z.number().int(),
  })
  .openapi("DailyBalance");
const MonthSummary = z
  .object({
    month: z.string(),
    currency: z.string(),
    income: MinorTotal,
    expenses: MinorTotal,
    net: MinorTotal,
    transfers_in: MinorTotal,
    transfers_out: MinorTotal,
  })
  .openapi("MonthSummary");

const spendingRoute = createRoute({
  method: "get",
  path: "/analytics/spending",
  tags,
  operationId: "getSpending",
  summary: "Spending in a month by category or merchant, largest first",
  description:
    "Spending = purchases − refunds, reversals folded in, by UTC event month. Reflects an event as soon as the pipeline applied it.",
  security: bearerSecurity,
  middleware: [requireAuth()] as const,
  request: {
    query: z.object({
      month: Month,
      by: z.enum(["category", "merchant"]).default("category"),
      limit: PageLimit(200, 50),
      cursor: PageCursor,
    }),
  },
  responses: {
    200: jsonResponse(
      listOf(SpendingItem).extend({ month: z.string(), by: z.string(), totals: z.array(MoneyByCurrency), as_of: z.string().nullable() }),
      "A page of spending",
    ),
    ...errorResponses(400, 401),
  },
});

const dailyRoute = createRoute({
  method: "get",
  path: "/analytics/daily-balances",
  tags,
  operationId: "listDailyBalances",
  summary: "An account's closing balance, inflow and outflow per UTC day",
  description: "Every UTC day from `from` to `to`, quiet days included, in pages of at most `limit` days.",
  security: bearerSecurity,
  middleware: [requireAuth()] as const,
  request: {
    query: z.object({ account_id: AccountId, from: Day, to: Day, limit: PageLimit(SPAN_LIMITS.dailyBalancesPage, 92), cursor: PageCursor }),
  },
  responses: {
    200: jsonResponse(
      listOf(DailyBalance).extend({ account_id: z.string(), currency: z.string(), as_of: z.string().nullable() }),
      "Every day of the page, quiet days included",
    ),
    ...errorResponses(400, 401, 404),
  },
});

const summaryRoute = createRoute({
  method: "get",
  path: "/analytics/summary",
  tags,
  operationId: "getMonthlySummary",
  summary: "Income, expenses and net by month",
  description:
    "income = deposits + interest; expenses = purchases − refunds + fees + withdrawals; transfers are reported apart. Reversals cancel their original.",
  security: bearerSecurity,
  middleware: [requireAuth()] as const,
  request: { query: z.object({ from: Month, to: Month }) },
  responses: {
    200: jsonResponse(
      z.object({
        object: z.literal("summary"),
        from: z.string(),
        to: z.string(),
        months: z.array(MonthSummary),
        as_of: z.string().nullable(),
      }),
      "Monthly summary",
    ),
    ...errorResponses(400, 401),
  },
});

export const analyticsRouter = createRouter()
  .openapi(spendingRoute, async (c) => {
    const { month, by, limit, cursor } = c.req.valid("query");
    const userId = c.get("principal").userId;
    // The amount in a cursor is a decimal string; an integer from a page served before totals became strings still works.
    const after = decodeCursor(cursor, z.tuple([z.union([z.number().int().transform(String), MinorTotal]), z.string(), z.string()]));
    const [items, totals, asOf] = await Promise.all([
      spendingPage(c.env.DB, { userId, month, by, after, limit: limit + 1 }),
      spendingTotals(c.env.DB, userId, month),
      goldAsOf(c.env.DB),
    ]);
    const page = items.slice(0, limit);
    const last = page[page.length - 1];
    const hasMore = items.length > limit;
    return c.json(
      {
        object: "list" as const,
        month,
        by,
        data: page,
        has_more: hasMore,
        next_cursor: hasMore && last ? encodeCursor([last.amount, last.key, last.currency]) : null,
        totals,
        as_of: asOf,
      },
      200,
    );
  })
  .openapi(dailyRoute, async (c) => {
    const q = c.req.valid("query");
    checkDayRange(q.from, q.to, SPAN_LIMITS.dailyBalancesDays);
    const userId = c.get("principal").userId;
    const [account] = await drizzle(c.env.DB)
      .select({ id: accounts.id, currency: accounts.currency })
      .from(accounts)
      .where(and(eq(accounts.id, q.account_id), eq(accounts.userId, userId)))
      .limit(1);
    if (!account) throw new DomainError("not_found", "No such account");
    const start = decodeCursor(q.cursor, Day) ?? q.from;
    if (start < q.from || start > q.to) throw new DomainError("validation_error", "Invalid cursor", { field: "cursor" });
    const end = daysBetween(start, q.to) > q.limit ? addDays(start, q.limit - 1) : q.to;
    const [{ opening, rows }, asOf] = await Promise.all([dailyRows(c.env.DB, account.id, start, end), goldAsOf(c.env.DB)]);
    const hasMore = end < q.to;
    return c.json(
      {
        object: "list" as const,
        account_id: account.id,
        currency: account.currency,
        data: denseDays(start, end, opening, rows),
        has_more: hasMore,
        next_cursor: hasMore ? encodeCursor(addDays(end, 1)) : null,
        as_of: asOf,
      },
      200,
    );
  })
  .openapi(summaryRoute, async (c) => {
    const { from, to } = c.req.valid("query");
    checkMonthRange(from, to, SPAN_LIMITS.summaryMonths);
    const userId = c.get("principal").userId;
    const [flows, asOf] = await Promise.all([monthlyFlows(c.env.DB, userId, from, to), goldAsOf(c.env.DB)]);
    return c.json({ object: "summary" as const, from, to, months: summarizeMonths(flows), as_of: asOf }, 200);
  });
