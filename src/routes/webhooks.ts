/**
 * /v1/webhooks: the caller's outbound Standard Webhooks endpoints, stored in
 * their UserDO (durable/user/webhook-endpoints.ts, webhook-deliveries.ts) and sent by queues/webhooks.ts.
 * Identity comes only from the token: another user's endpoint is not found.
 * URLs pass the SSRF guard (src/domain/webhooks/url-guard.ts) here and again
 * before every send.
 */
import { createRoute } from "@hono/zod-openapi";
import type { Context } from "hono";
import { userObject } from "../auth/sessions";
import { DomainError } from "../domain/errors";
import { checkWebhookUrl } from "../domain/webhooks/url-guard";
import {
  bearerSecurity,
  bodyErrors,
  createRouter,
  errorResponses,
  jsonBody,
  jsonResponse,
  NoFields,
  noContent,
  optionalJsonBody,
} from "../lib/router";
import { requireAuth } from "../middleware/auth";
import type { AppEnv } from "../types";
import type { WebhookDelivery as DeliveryView, WebhookEndpoint as EndpointView } from "../../durable/user/webhook-rows";
import { MAX_DELIVERIES, MAX_ENDPOINTS, ROTATION_OVERLAP_MS } from "../../durable/user/webhook-rows";
import {
  CreateWebhookBody,
  DeliveryParams,
  DeliveryQuery,
  UpdateWebhookBody,
  WebhookDelivery,
  WebhookDeliveryList,
  WebhookEndpoint,
  WebhookEndpointList,
  WebhookEndpointWithSecret,
  WebhookParams,
} from "./webhook-schemas";

const tags = ["webhooks"];
const OVERLAP_HOURS = ROTATION_OVERLAP_MS / 3_600_000;

const createWebhook = createRoute({
  method: "post",
  path: "/webhooks",
  tags,
  operationId: "createWebhook",
  summary: "Add a webhook endpoint",
  security: bearerSecurity,
  middleware: [requireAuth()] as const,
  description: `At most ${MAX_ENDPOINTS} per user. The reply carries the endpoint's \`whsec_\` secret, the only time it is shown. A URL the SSRF guard refuses is a 422 naming the reason.`,
  request: { body: jsonBody(CreateWebhookBody) },
  responses: { 201: jsonResponse(WebhookEndpointWithSecret, "Created, with its secret"), ...errorResponses(...bodyErrors, 401, 422) },
});

const listWebhooks = createRoute({
  method: "get",
  path: "/webhooks",
  tags,
  operationId: "listWebhooks",
  summary: "Your webhook endpoints",
  security: bearerSecurity,
  middleware: [requireAuth()] as const,
  description: "Oldest first; secrets are never listed.",
  responses: { 200: jsonResponse(WebhookEndpointList, "The endpoints"), ...errorResponses(401) },
});

const getWebhook = createRoute({
  method: "get",
  path: "/webhooks/{id}",
  tags,
  operationId: "getWebhook",
  summary: "One webhook endpoint",
  security: bearerSecurity,
  middleware: [requireAuth()] as const,
  description: "Without its secret.",
  request: { params: WebhookParams },
  responses: { 200: jsonResponse(WebhookEndpoint, "The endpoint"), ...errorResponses(400, 401, 404) },
});

const updateWebhook = createRoute({
  method: "patch",
  path: "/webhooks/{id}",
  tags,
  operationId: "updateWebhook",
  summary: "Change a webhook endpoint",
  security: bearerSecurity,
  middleware: [requireAuth()] as const,
  description: "Changes the fields given. `enabled: false` stops deliveries; `enabled: true` re-enables (also after an automatic disable).",
  request: { params: WebhookParams, body: jsonBody(UpdateWebhookBody) },
  responses: { 200: jsonResponse(WebhookEndpoint, "The endpoint now"), ...errorResponses(...bodyErrors, 401, 404, 422) },
});

const deleteWebhook = createRoute({
  method: "delete",
  path: "/webhooks/{id}",
  tags,
  operationId: "deleteWebhook",
  summary: "Remove a webhook endpoint",
  security: bearerSecurity,
  middleware: [requireAuth()] as const,
  description: "With its delivery log; queued attempts are dropped.",
  request: { params: WebhookParams },
  responses: { 204: noContent("Deleted"), ...errorResponses(400, 401, 404) },
});

const rotateSecret = createRoute({
  method: "post",
  path: "/webhooks/{id}/rotate-secret",
  tags,
  operationId: "rotateWebhookSecret",
  summary: "Rotate the signing secret",
  security: bearerSecurity,
  middleware: [requireAuth()] as const,
  description: `A new secret, shown once in this reply. For ${OVERLAP_HOURS} h the previous one keeps signing too: \`webhook-signature\` carries both \`v1,\` signatures, so a receiver may switch at any time in that window.`,
  request: { params: WebhookParams, body: optionalJsonBody(NoFields) },
  responses: {
    200: jsonResponse(WebhookEndpointWithSecret, "The endpoint, with its new secret"),
    ...errorResponses(...bodyErrors, 401, 404),
  },
});

const testWebhook = createRoute({
  method: "post",
  path: "/webhooks/{id}/test",
  tags,
  operationId: "testWebhook",
  summary: "Send a test event",
  security: bearerSecurity,
  middleware: [requireAuth()] as const,
  description:
    "Queues a `webhook.test` message to the endpoint whatever its filter; its delivery appears in the log. A disabled endpoint is a 422.",
  request: { params: WebhookParams, body: optionalJsonBody(NoFields) },
  responses: { 202: jsonResponse(WebhookDelivery, "Queued"), ...errorResponses(...bodyErrors, 401, 404, 422) },
});

const listDeliveries = createRoute({
  method: "get",
  path: "/webhooks/{id}/deliveries",
  tags,
  operationId: "listWebhookDeliveries",
  summary: "The delivery log",
  security: bearerSecurity,
  middleware: [requireAuth()] as const,
  description: `Newest first, each with its attempts (status, duration, error). The newest ${MAX_DELIVERIES} deliveries per endpoint are kept.`,
  request: { params: WebhookParams, query: DeliveryQuery },
  responses: { 200: jsonResponse(WebhookDeliveryList, "Deliveries"), ...errorResponses(400, 401, 404) },
});

const redeliver = createRoute({
  method: "post",
  path: "/webhooks/{id}/deliveries/{delivery_id}/redeliver",
  tags,
  operationId: "redeliverWebhook",
  summary: "Send a logged message again",
  security: bearerSecurity,
  middleware: [requireAuth()] as const,
  description:
    "A new delivery of the same message: the same `webhook-id` and body (receivers dedupe by the id), a fresh timestamp and signature. A disabled endpoint is a 422.",
  request: { params: DeliveryParams, body: optionalJsonBody(NoFields) },
  responses: { 202: jsonResponse(WebhookDelivery, "Queued"), ...errorResponses(...bodyErrors, 401, 404, 422) },
});

const user = (c: Context<AppEnv>) => userObject(c.env, c.get("principal").userId);
const notFound = () => new DomainError("not_found", "Webhook endpoint not found");

function guardUrl(c: Context<AppEnv>, url: string): string {
  const verdict = checkWebhookUrl(url, { allowLoopback: c.get("config").webhooks.allowLoopback });
  if (!verdict.ok)
    throw new DomainError("unprocessable", `The URL is refused: ${verdict.reason}`, { field: "url", reason: verdict.reason });
  return verdict.url;
}

const disabled = () => new DomainError("invalid_state", "The endpoint is disabled; re-enable it first (PATCH enabled: true)");

export const webhooksRouter = createRouter()
  .openapi(createWebhook, async (c) => {
    const body = c.req.valid("json");
    const url = guardUrl(c, body.url);
    const made = await user(c).createWebhook({ url, event_types: body.event_types, description: body.description ?? null });
    if (!made.ok) throw new DomainError("unprocessable", `At most ${MAX_ENDPOINTS} webhook endpoints per user`, { limit: MAX_ENDPOINTS });
    return c.json({ ...(made.endpoint as EndpointView), secret: made.secret }, 201);
  })
  .openapi(listWebhooks, async (c) => c.json({ object: "list" as const, data: (await user(c).listWebhooks()) as EndpointView[] }, 200))
  .openapi(getWebhook, async (c) => {
    const e = (await user(c).getWebhook(c.req.valid("param").id)) as EndpointView | null;
    if (!e) throw notFound();
    return c.json(e, 200);
  })
  .openapi(updateWebhook, async (c) => {
    const body = c.req.valid("json");
    const patch = body.url === undefined ? body : { ...body, url: guardUrl(c, body.url) };
    const e = (await user(c).updateWebhook(c.req.valid("param").id, patch)) as EndpointView | null;
    if (!e) throw notFound();
    return c.json(e, 200);
  })
  .openapi(deleteWebhook, async (c) => {
    if (!(await user(c).deleteWebhook(c.req.valid("param").id))) throw notFound();
    return c.body(null, 204);
  })
  .openapi(rotateSecret, async (c) => {
    const r = await user(c).rotateWebhookSecret(c.req.valid("param").id);
    if (!r) throw notFound();
    return c.json({ ...(r.endpoint as EndpointView), secret: r.secret }, 200);
  })
  .openapi(testWebhook, async (c) => {
    const d = (await user(c).testWebhook(c.req.valid("param").id)) as DeliveryView | "disabled" | null;
    if (d === "disabled") throw disabled();
    if (!d) throw notFound();
    return c.json(d, 202);
  })
  .openapi(listDeliveries, async (c) => {
    const list = (await user(c).listWebhookDeliveries(c.req.valid("param").id, c.req.valid("query").limit)) as DeliveryView[] | null;
    if (!list) throw notFound();
    return c.json({ object: "list" as const, data: list }, 200);
  })
  .openapi(redeliver, async (c) => {
    const { id, delivery_id } = c.req.valid("param");
    const d = (await user(c).redeliverWebhook(id, delivery_id)) as DeliveryView | "disabled" | null;
    if (d === "disabled") throw disabled();
    if (!d) throw new DomainError("not_found", "Delivery not found");
    return c.json(d, 202);
  });
