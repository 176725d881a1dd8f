/**
 * /v1/alerts: the caller's open alerts (budget crossings today; investing and
 * intelligence alerts once they emit alert_created) with their reasons, and
 * acknowledge (seen, still listed) or dismiss (gone). An alert is an inbox
 * notification of an alert kind, so both views agree.
 */
import { createRoute } from "@hono/zod-openapi";
import { userObject } from "../auth/sessions";
import { DomainError } from "../domain/errors";
import { alertReasons } from "../domain/notifications/alert-reasons";
import { bearerSecurity, createRouter, errorResponses, jsonResponse, NoFields, optionalJsonBody } from "../lib/router";
import { requireAuth } from "../middleware/auth";
import type { Notification } from "../../durable/user/inbox";
import { Alert, AlertList, IdParam } from "./notification-schemas";

const tags = ["notifications"];
const MAX_ALERTS = 200;

const listAlerts = createRoute({
  method: "get",
  path: "/alerts",
  tags,
  operationId: "listAlerts",
  summary: "Open and acknowledged alerts, newest first",
  security: bearerSecurity,
  middleware: [requireAuth()] as const,
  description: `At most ${MAX_ALERTS}; dismissed alerts are left out.`,
  responses: { 200: jsonResponse(AlertList, "The alerts"), ...errorResponses(401) },
});

const changeAlert = (action: "acknowledge" | "dismiss") =>
  createRoute({
    method: "post",
    path: `/alerts/{id}/${action}`,
    tags,
    operationId: action === "acknowledge" ? "acknowledgeAlert" : "dismissAlert",
    summary: action === "acknowledge" ? "Acknowledge an alert (it stays listed)" : "Dismiss an alert (it leaves the list)",
    security: bearerSecurity,
    middleware: [requireAuth()] as const,
    description: "Idempotent; marks the alert's notification read. A dismissed alert stays dismissed.",
    request: { params: IdParam, body: optionalJsonBody(NoFields) },
    responses: { 200: jsonResponse(Alert, "The alert"), ...errorResponses(400, 401, 404, 413, 415) },
  });

function alertOf(n: Notification) {
  return {
    id: n.id,
    kind: n.kind,
    status: n.alert_state === "open" ? ("open" as const) : ("acknowledged" as const),
    title: n.title,
    reasons: alertReasons(n.kind, n.data, n.body),
    data: n.data,
    link: n.link,
    created_at: n.created_at,
  };
}

async function change(env: Env, userId: string, id: string, state: "acknowledged" | "dismissed") {
  const n = (await userObject(env, userId).setAlertState(id, state)) as unknown as Notification | null;
  if (!n) throw new DomainError("not_found", "Alert not found");
  return alertOf(n);
}

export const alertsRouter = createRouter()
  .openapi(listAlerts, async (c) => {
    // `data` is JSON of unknown shape, which the RPC types cannot carry: the row type is the inbox's.
    const rows = (await userObject(c.env, c.get("principal").userId).listAlerts(MAX_ALERTS)) as unknown as Notification[];
    return c.json({ object: "list" as const, data: rows.map(alertOf) }, 200);
  })
  .openapi(changeAlert("acknowledge"), async (c) =>
    c.json(await change(c.env, c.get("principal").userId, c.req.valid("param").id, "acknowledged"), 200),
  )
  .openapi(changeAlert("dismiss"), async (c) =>
    c.json(await change(c.env, c.get("principal").userId, c.req.valid("param").id, "dismissed"), 200),
  );
