/** Budgets per account and category; state and alerts live in the AccountDO. */
import { createRoute, z } from "@hono/zod-openapi";
import { accountStub, callerOf, sendReply } from "../lib/account-rpc";
import { bearerSecurity, createRouter, errorResponses, jsonBody, jsonResponse } from "../lib/router";
import { requireAuth } from "../middleware/auth";
import { AccountId, Budget, Category, listOf, PutBudgetBody } from "./schemas";

const tags = ["budgets"];
const Params = z.object({ id: AccountId, category: Category });

const putBudget = createRoute({
  method: "put", path: "/accounts/{id}/budgets/{category}", tags, summary: "Create or replace a budget", security: bearerSecurity, middleware: [requireAuth()] as const,
  request: { params: Params, body: jsonBody(PutBudgetBody) },
  responses: { 200: jsonResponse(Budget, "Updated"), 201: jsonResponse(Budget, "Created"), ...errorResponses(400, 401, 404, 422) },
});

const listBudgets = createRoute({
  method: "get", path: "/accounts/{id}/budgets", tags, summary: "Budgets with spent, remaining and status this period", security: bearerSecurity, middleware: [requireAuth()] as const,
  request: { params: z.object({ id: AccountId }) },
  responses: { 200: jsonResponse(listOf(Budget), "Budgets"), ...errorResponses(400, 401, 404) },
});

const deleteBudget = createRoute({
  method: "delete", path: "/accounts/{id}/budgets/{category}", tags, summary: "End a budget", security: bearerSecurity, middleware: [requireAuth()] as const,
  request: { params: Params },
  responses: { 204: { description: "Deleted" }, ...errorResponses(400, 401, 404) },
});

export const budgetsRouter = createRouter();

budgetsRouter.openapi(putBudget, async (c) => {
  const { id, category } = c.req.valid("param");
  return sendReply(await accountStub(c.env, id).setBudget(callerOf(c), { category, ...c.req.valid("json") }));
});

budgetsRouter.openapi(listBudgets, async (c) => sendReply(await accountStub(c.env, c.req.valid("param").id).listBudgets(callerOf(c))));

budgetsRouter.openapi(deleteBudget, async (c) => {
  const { id, category } = c.req.valid("param");
  return sendReply(await accountStub(c.env, id).deleteBudget(callerOf(c), category));
});
