/** Budgets per account and category; state and alerts live in the AccountDO. */
import { createRoute, z } from "@hono/zod-openapi";
import { accountStub, callerOf, sendReply } from "../lib/account-rpc";
import { bearerSecurity, bodyErrors, createRouter, errorResponses, jsonBody, jsonResponse, noContent } from "../lib/router";
import { requireAuth } from "../middleware/auth";
import { AccountId, Budget, Category, listOf, PutBudgetBody } from "./schemas";

const tags = ["budgets"];
const Params = z.object({ id: AccountId, category: Category });

const putBudget = createRoute({
  method: "put",
  path: "/accounts/{id}/budgets/{category}",
  tags,
  operationId: "putBudget",
  summary: "Create or replace a budget",
  security: bearerSecurity,
  middleware: [requireAuth()] as const,
  description:
    "Creates (201) or replaces (200) the budget of one category. Spending is purchases minus refunds in the period; each `alert_at` threshold raises a budget_threshold_crossed event once per period.",
  request: { params: Params, body: jsonBody(PutBudgetBody) },
  responses: {
    200: jsonResponse(Budget, "Updated"),
    201: jsonResponse(Budget, "Created"),
    ...errorResponses(...bodyErrors, 401, 404, 422),
  },
});

const listBudgets = createRoute({
  method: "get",
  path: "/accounts/{id}/budgets",
  tags,
  operationId: "listBudgets",
  summary: "Budgets with spent, remaining and status this period",
  security: bearerSecurity,
  middleware: [requireAuth()] as const,
  description: "Every budget of the account with this period's spending, the remainder and a status (ok, warning, exceeded).",
  request: { params: z.object({ id: AccountId }) },
  responses: { 200: jsonResponse(listOf(Budget), "Budgets"), ...errorResponses(400, 401, 404) },
});

const deleteBudget = createRoute({
  method: "delete",
  path: "/accounts/{id}/budgets/{category}",
  tags,
  operationId: "deleteBudget",
  summary: "End a budget",
  security: bearerSecurity,
  middleware: [requireAuth()] as const,
  description: "Ends the budget of exactly this category (categories are lowercase slugs; another spelling is a 400).",
  request: { params: Params },
  responses: { 204: noContent("Deleted"), ...errorResponses(400, 401, 404) },
});

export const budgetsRouter = createRouter()
  .openapi(putBudget, async (c) => {
    const { id, category } = c.req.valid("param");
    return sendReply(await accountStub(c.env, id).setBudget(callerOf(c), { category, ...c.req.valid("json") }));
  })
  .openapi(listBudgets, async (c) => sendReply(await accountStub(c.env, c.req.valid("param").id).listBudgets(callerOf(c))))
  .openapi(deleteBudget, async (c) => {
    const { id, category } = c.req.valid("param");
    return sendReply(await accountStub(c.env, id).deleteBudget(callerOf(c), category));
  });
