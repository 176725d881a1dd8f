/**
 * /v1/me/notification-preferences: which kinds go to which channels, and
 * quiet hours. Stored in the caller's UserDO; in_app (a muted kind never
 * enters the inbox) and email are applied, webhook is stored for later.
 */
import { createRoute } from "@hono/zod-openapi";
import { userObject } from "../auth/sessions";
import { bearerSecurity, bodyErrors, createRouter, errorResponses, jsonBody, jsonResponse } from "../lib/router";
import { requireAuth } from "../middleware/auth";
import { NotificationPreferences, NotificationPreferencesPatch } from "./notification-schemas";

const tags = ["notifications"];

const getPrefs = createRoute({
  method: "get",
  path: "/me/notification-preferences",
  tags,
  operationId: "getNotificationPreferences",
  summary: "Notification preferences",
  security: bearerSecurity,
  middleware: [requireAuth()] as const,
  description:
    "The defaults until changed: every kind in the inbox; email for budgets, completed and failed transfers, large withdrawals and security notices (plus the sign-up confirmation, always sent); no webhooks.",
  responses: { 200: jsonResponse(NotificationPreferences, "The preferences"), ...errorResponses(401) },
});

const putPrefs = createRoute({
  method: "put",
  path: "/me/notification-preferences",
  tags,
  operationId: "putNotificationPreferences",
  summary: "Change notification preferences",
  security: bearerSecurity,
  middleware: [requireAuth()] as const,
  description:
    "Changes the kinds, channels and quiet hours named and keeps the rest. Quiet hours (`start`–`end` local time, `utc_offset_minutes` east of UTC, may cross midnight) defer email to the window's end and hold webhooks back; security kinds are exempt. Email is delivered through the notifications queue; webhook is stored, not yet delivered.",
  request: { body: jsonBody(NotificationPreferencesPatch) },
  responses: { 200: jsonResponse(NotificationPreferences, "The preferences now"), ...errorResponses(...bodyErrors, 401) },
});

export const notificationPreferencesRouter = createRouter()
  .openapi(getPrefs, async (c) => c.json(await userObject(c.env, c.get("principal").userId).notificationPreferences(), 200))
  .openapi(putPrefs, async (c) =>
    c.json(await userObject(c.env, c.get("principal").userId).setNotificationPreferences(c.req.valid("json")), 200),
  );
