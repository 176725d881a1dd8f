/**
 * The dashboard, served from Gold: balance per account, net worth per currency,
 * month-to-date spending and the top categories, with `as_of` saying how fresh
 * Gold is. The account list comes from the registry (bounded by the per-user cap).
 */
import { createRoute, z } from "@hono/zod-openapi";
import { asc, eq } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import { accounts } from "../db/schema";
import { balancesForUser, goldAsOf, spendingTotals, topCategories } from "../db/pipeline/gold-reads";
import { bearerSecurity, createRouter, errorResponses, jsonResponse } from "../lib/router";
import { requireAuth } from "../middleware/auth";
import { MinorTotal, MoneyByCurrency } from "./pipeline-schemas";
import { AccountStatus, AccountType } from "./schemas";

const MAX_ACCOUNTS = 100;
const TOP_CATEGORIES = 5;

const DashboardAccount = z
  .object({
    id: z.string(),
    name: z.string(),
    type: AccountType,
    currency: z.string(),
    status: AccountStatus,
    balance: z.number().int(),
    pending: z.number().int(),
    available: z.number().int(),
  })
  .openapi("DashboardAccount");

const Dashboard = z
  .object({
    object: z.literal("dashboard"),
    as_of: z.string().nullable().openapi({ description: "When Gold last changed (finish of the latest pipeline run)" }),
    month: z.string(),
    accounts: z.array(DashboardAccount),
    has_more_accounts: z.boolean(),
    net_worth: z.array(MoneyByCurrency),
    month_to_date_spending: z.array(MoneyByCurrency),
    top_categories: z.array(z.object({ category: z.string(), currency: z.string(), amount: MinorTotal })),
  })
  .openapi("Dashboard");

const route = createRoute({
  method: "get",
  path: "/dashboard",
  tags: ["analytics"],
  operationId: "getDashboard",
  summary: "Balances, net worth and this month's spending",
  description:
    "Served from Gold: balance, pending and available per account, net worth per currency, this UTC month's spending and top categories, and `as_of`.",
  security: bearerSecurity,
  middleware: [requireAuth()] as const,
  responses: { 200: jsonResponse(Dashboard, "The caller's dashboard"), ...errorResponses(401) },
});

export const dashboardRouter = createRouter().openapi(route, async (c) => {
  const userId = c.get("principal").userId;
  const month = new Date().toISOString().slice(0, 7);
  const [registry, balances, mtd, top, asOf] = await Promise.all([
    drizzle(c.env.DB)
      .select({
        id: accounts.id,
        name: accounts.name,
        type: accounts.type,
        currency: accounts.currency,
        status: accounts.status,
        creditLimit: accounts.creditLimit,
      })
      .from(accounts)
      .where(eq(accounts.userId, userId))
      .orderBy(asc(accounts.createdAt), asc(accounts.id))
      .limit(MAX_ACCOUNTS + 1),
    balancesForUser(c.env.DB, userId),
    spendingTotals(c.env.DB, userId, month),
    topCategories(c.env.DB, userId, month, TOP_CATEGORIES),
    goldAsOf(c.env.DB),
  ]);
  const list = registry.slice(0, MAX_ACCOUNTS).map((a) => {
    const b = balances.get(a.id);
    const balance = b?.balance ?? 0;
    const pending = b?.pending ?? 0;
    return {
      id: a.id,
      name: a.name,
      type: a.type,
      currency: a.currency,
      status: a.status,
      balance,
      pending,
      available: balance - pending + (a.type === "credit" ? a.creditLimit : 0),
    };
  });
  // Each balance is exact (MAX_BALANCE < 2^53); their sum need not be, so it is taken in BigInt.
  const worth = new Map<string, bigint>();
  for (const b of balances.values()) worth.set(b.currency, (worth.get(b.currency) ?? 0n) + BigInt(b.balance));
  return c.json(
    {
      object: "dashboard" as const,
      as_of: asOf,
      month,
      accounts: list,
      has_more_accounts: registry.length > MAX_ACCOUNTS,
      net_worth: [...worth].sort(([a], [b]) => a.localeCompare(b)).map(([currency, amount]) => ({ currency, amount: String(amount) })),
      month_to_date_spending: mtd,
      top_categories: top.map((t) => ({ category: t.key, currency: t.currency, amount: t.amount })),
    },
    200,
  );
});
