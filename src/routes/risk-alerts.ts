/**
 * /v1/alerts/risk: risk alert rules on the caller's brokerage accounts
 * (concentration, drawdown), kept in the caller's UserDO and evaluated by the
 * events consumer after each trade of theirs and each daily close of a symbol
 * they hold (queues/risk-alerts.ts). At most MAX_RISK_RULES per user.
 */
import { createRoute, type z } from "@hono/zod-openapi";
import { userObject } from "../auth/sessions";
import { accountValue } from "../domain/alerts/risk-rules";
import { DomainError } from "../domain/errors";
import { randomToken } from "../domain/ids";
import { parseScaled } from "../domain/market/decimal";
import { readHoldings } from "../lib/holdings";
import { bearerSecurity, bodyErrors, createRouter, errorResponses, jsonBody, jsonResponse, noContent } from "../lib/router";
import { requireAuth } from "../middleware/auth";
import { MAX_RISK_RULES, type RiskRule } from "../../durable/user/risk-rules";
import { marketStub } from "../lib/market-rpc";
import { CreateRiskAlertBody, RiskAlert, RiskAlertList, RiskAlertParam } from "./risk-alert-schemas";

const tags = ["notifications"];

const createRiskAlert = createRoute({
  method: "post",
  path: "/alerts/risk",
  tags,
  operationId: "createRiskAlert",
  summary: "Create a risk alert rule on a brokerage account",
  security: bearerSecurity,
  middleware: [requireAuth()] as const,
  description: `Evaluated after each of your trades and each daily close of a symbol you hold; fires at most once a day per rule, as an open alert (GET /v1/alerts). Another user's account is a 404; a non-brokerage account a 422 not_brokerage; at most ${MAX_RISK_RULES} rules per user (422 unprocessable).`,
  request: { body: jsonBody(CreateRiskAlertBody) },
  responses: { 201: jsonResponse(RiskAlert, "The rule"), ...errorResponses(...bodyErrors, 401, 404, 422) },
});

const listRiskAlerts = createRoute({
  method: "get",
  path: "/alerts/risk",
  tags,
  operationId: "listRiskAlerts",
  summary: "List risk alert rules, newest first",
  security: bearerSecurity,
  middleware: [requireAuth()] as const,
  description: `All of them (at most ${MAX_RISK_RULES}).`,
  responses: { 200: jsonResponse(RiskAlertList, "The rules"), ...errorResponses(401) },
});

const deleteRiskAlert = createRoute({
  method: "delete",
  path: "/alerts/risk/{id}",
  tags,
  operationId: "deleteRiskAlert",
  summary: "Delete a risk alert rule",
  security: bearerSecurity,
  middleware: [requireAuth()] as const,
  description: "Another user's rule is a 404.",
  request: { params: RiskAlertParam },
  responses: { 204: noContent("Deleted"), ...errorResponses(400, 401, 404) },
});

function view(r: RiskRule): z.infer<typeof RiskAlert> {
  return {
    id: r.id,
    object: "risk_alert",
    account_id: r.account_id,
    kind: r.kind,
    threshold: r.threshold,
    peak_value: r.peak,
    last_triggered_day: r.last_fired_day,
    trigger_count: r.trigger_count,
    created_at: new Date(r.created_at).toISOString(),
  };
}

export const riskAlertsRouter = createRouter()
  .openapi(createRiskAlert, async (c) => {
    const body = c.req.valid("json");
    const userId = c.get("principal").userId;
    const bp = parseScaled(body.threshold, 2);
    if (bp === null || bp <= 0 || bp > 10_000)
      throw new DomainError("validation_error", "threshold must be above 0 and at most 100 (percent)", { field: "threshold" });
    const h = await readHoldings(c.env, userId, body.account_id, c.get("requestId"));
    if (!h) throw new DomainError("not_found", "Account not found");
    if (!h.brokerage) throw new DomainError("not_brokerage", "Risk alerts are for brokerage accounts");
    const rule = {
      id: `rsk_${randomToken()}`,
      account_id: body.account_id,
      kind: body.kind,
      threshold: body.threshold,
      threshold_bp: bp,
      peak: Math.max(0, accountValue(h.holdings)),
      created_at: Date.now(),
    };
    const user = userObject(c.env, userId);
    const added = await user.addRiskRule(rule);
    if (!added.ok) throw new DomainError("unprocessable", `At most ${MAX_RISK_RULES} risk alerts per user; delete one first`);
    // The symbols held now: their daily closes re-evaluate the rule (trades add more).
    await Promise.all(h.holdings.positions.map((p) => marketStub(c.env, p.symbol).watchRisk(userId)));
    return c.json(view({ ...rule, last_fired_day: null, trigger_count: 0 }), 201);
  })
  .openapi(listRiskAlerts, async (c) => {
    const rules = (await userObject(c.env, c.get("principal").userId).listRiskRules()) as RiskRule[];
    return c.json({ object: "list" as const, data: rules.map(view) }, 200);
  })
  .openapi(deleteRiskAlert, async (c) => {
    const removed = await userObject(c.env, c.get("principal").userId).removeRiskRule(c.req.valid("param").id);
    if (!removed) throw new DomainError("not_found", "Risk alert not found");
    return c.body(null, 204);
  });
