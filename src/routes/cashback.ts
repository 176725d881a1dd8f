/**
 * Cashback: the caller's rules per account (/v1/cashback/rules) and the
 * month's estimate per rule (/v1/analytics/cashback?month=), read from Gold
 * (`gold_cashback`, kept by the EVENTS consumer: src/lib/intel/cashback-gold.ts).
 * Creating or deleting a rule recomputes its window at once. Another user's
 * account or rule is a 404.
 */
import { createRoute, type z } from "@hono/zod-openapi";
import { accountIdsOf } from "../db/accounts";
import {
  deleteCashbackRule,
  getCashbackRule,
  insertCashbackRule,
  listCashbackRules,
  MAX_CASHBACK_RULES,
  type StoredCashbackRule,
} from "../db/intel/cashback-rules";
import { readCashbackMonth } from "../db/intel/cashback-gold";
import { DomainError } from "../domain/errors";
import { randomToken } from "../domain/ids";
import { bearerSecurity, bodyErrors, createRouter, errorResponses, jsonBody, jsonResponse, noContent } from "../lib/router";
import { requireAuth } from "../middleware/auth";
import { refreshCashbackWindow } from "../lib/intel/cashback-gold";
import { today } from "../lib/intel/context";
import {
  CashbackQuery,
  CashbackRule,
  CashbackRuleList,
  CashbackRuleParam,
  CashbackSummary,
  CreateCashbackRuleBody,
} from "./cashback-schemas";

const tags = ["intelligence"];

const createRule = createRoute({
  method: "post",
  path: "/cashback/rules",
  tags,
  operationId: "createCashbackRule",
  summary: "Create a cashback rule on one of the caller's accounts",
  security: bearerSecurity,
  middleware: [requireAuth()] as const,
  description: `At most ${MAX_CASHBACK_RULES} rules per user (422 beyond). Another user's account is a 404.`,
  request: { body: jsonBody(CreateCashbackRuleBody) },
  responses: { 201: jsonResponse(CashbackRule, "The rule"), ...errorResponses(...bodyErrors, 401, 404, 422) },
});

const listRules = createRoute({
  method: "get",
  path: "/cashback/rules",
  tags,
  operationId: "listCashbackRules",
  summary: "The caller's cashback rules, oldest first",
  description:
    "Every cashback rule on the caller's accounts, with scope, rate in basis points, cap and validity window. Rules on other users' accounts are never listed.",
  security: bearerSecurity,
  middleware: [requireAuth()] as const,
  responses: { 200: jsonResponse(CashbackRuleList, "The rules"), ...errorResponses(401) },
});

const deleteRule = createRoute({
  method: "delete",
  path: "/cashback/rules/{id}",
  tags,
  operationId: "deleteCashbackRule",
  summary: "Delete a cashback rule",
  security: bearerSecurity,
  middleware: [requireAuth()] as const,
  description: "Estimates stop counting it at once (its months are recomputed in Gold). Another user's rule is a 404.",
  request: { params: CashbackRuleParam },
  responses: { 204: noContent("Deleted"), ...errorResponses(400, 401, 404) },
});

const monthCashback = createRoute({
  method: "get",
  path: "/analytics/cashback",
  tags,
  operationId: "getCashback",
  summary: "Estimated cashback in a month, per rule",
  security: bearerSecurity,
  middleware: [requireAuth()] as const,
  description:
    "Read from Gold, which the pipeline keeps as transactions arrive. Posted purchases earn under their most specific rule up to the rule's cap per period, then its fallback rate; refunds and reversals take it back. Integer minor units, rounded down per entry; labelled estimates.",
  request: { query: CashbackQuery },
  responses: { 200: jsonResponse(CashbackSummary, "The month's estimate"), ...errorResponses(400, 401) },
});

const view = (r: StoredCashbackRule): z.infer<typeof CashbackRule> => ({
  id: r.id,
  object: "cashback_rule",
  account_id: r.account_id,
  name: r.name,
  scope: r.scope,
  scope_value: r.scope_value,
  rate_bps: r.rate_bps,
  cap: r.cap,
  cap_period: r.cap_period,
  fallback_bps: r.fallback_bps,
  valid_from: r.valid_from,
  valid_to: r.valid_to,
  rotating: r.rotating,
  created_at: r.created_at,
});

/** The estimate of `month` for the user, from Gold; rows of rules since deleted are not shown. */
export async function cashbackSummary(db: D1Database, userId: string, month: string) {
  const [rules, rows] = await Promise.all([listCashbackRules(db, userId), readCashbackMonth(db, userId, month)]);
  const byId = new Map(rules.map((r) => [r.id, r]));
  const lines = rows.filter((l) => byId.has(l.rule_id));
  const totals = new Map<string, number>();
  for (const l of lines) totals.set(l.currency, (totals.get(l.currency) ?? 0) + l.net);
  return {
    object: "cashback" as const,
    month,
    estimate: true as const,
    totals: [...totals].sort(([a], [b]) => a.localeCompare(b)).map(([currency, net]) => ({ currency, net })),
    rules: lines.map((l) => ({
      rule_id: l.rule_id,
      currency: l.currency,
      purchases: l.purchases,
      earned: l.earned,
      reversed: l.reversed,
      net: l.net,
      name: byId.get(l.rule_id)!.name,
      account_id: l.account_id,
    })),
  };
}

export const cashbackRouter = createRouter()
  .openapi(createRule, async (c) => {
    const b = c.req.valid("json");
    const userId = c.get("principal").userId;
    if (!(await accountIdsOf(c.env.DB, userId)).includes(b.account_id)) throw new DomainError("not_found", "Account not found");
    const rule: StoredCashbackRule = { ...b, id: `cbr_${randomToken()}`, user_id: userId, created_at: new Date().toISOString() };
    if (!(await insertCashbackRule(c.env.DB, rule)))
      throw new DomainError("unprocessable", `At most ${MAX_CASHBACK_RULES} cashback rules per user`);
    await refreshCashbackWindow(c.env.DB, userId, rule, today());
    return c.json(view(rule), 201);
  })
  .openapi(listRules, async (c) => {
    const rules = await listCashbackRules(c.env.DB, c.get("principal").userId);
    return c.json({ object: "list" as const, data: rules.map(view) }, 200);
  })
  .openapi(deleteRule, async (c) => {
    const { id } = c.req.valid("param");
    const userId = c.get("principal").userId;
    const rule = await getCashbackRule(c.env.DB, userId, id);
    if (!rule || !(await deleteCashbackRule(c.env.DB, userId, id))) throw new DomainError("not_found", "Cashback rule not found");
    await refreshCashbackWindow(c.env.DB, userId, rule, today());
    return c.body(null, 204);
  })
  .openapi(monthCashback, async (c) => c.json(await cashbackSummary(c.env.DB, c.get("principal").userId, c.req.valid("query").month), 200));
