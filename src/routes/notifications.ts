/**
 * /v1/notifications: the caller's inbox in their UserDO (durable/user-do.ts),
 * newest first with a cursor, filtered by unread and kind; mark one or all
 * read. Identity comes only from the token: another user's id is not found.
 */
import { createRoute } from "@hono/zod-openapi";
import { userObject } from "../auth/sessions";
import { DomainError } from "../domain/errors";
import { bearerSecurity, createRouter, errorResponses, jsonResponse, NoFields, optionalJsonBody } from "../lib/router";
import { requireAuth } from "../middleware/auth";
import type { Notification as InboxRow } from "../../durable/user/inbox";
import { IdParam, Notification, NotificationList, NotificationQuery, ReadAllResult } from "./notification-schemas";

const tags = ["notifications"];

const listNotifications = createRoute({
  method: "get",
  path: "/notifications",
  tags,
  operationId: "listNotifications",
  summary: "The inbox, newest first",
  security: bearerSecurity,
  middleware: [requireAuth()] as const,
  description:
    "Newest first, at most `limit` per page, then `next_cursor`. `unread=true` leaves out the read ones; `kind` keeps one kind. Holds the newest 1,000 notifications of the last 90 days.",
  request: { query: NotificationQuery },
  responses: { 200: jsonResponse(NotificationList, "A page of notifications"), ...errorResponses(400, 401) },
});

const readOne = createRoute({
  method: "post",
  path: "/notifications/{id}/read",
  tags,
  operationId: "markNotificationRead",
  summary: "Mark a notification read",
  security: bearerSecurity,
  middleware: [requireAuth()] as const,
  description: "Idempotent: reading a read notification keeps its first read_at.",
  request: { params: IdParam, body: optionalJsonBody(NoFields) },
  responses: { 200: jsonResponse(Notification, "The notification, read"), ...errorResponses(400, 401, 404, 413, 415) },
});

const readAll = createRoute({
  method: "post",
  path: "/notifications/read-all",
  tags,
  operationId: "markAllNotificationsRead",
  summary: "Mark every notification read",
  description: "Every unread notification gets the same read_at; the open sockets hear the new unread count (0).",
  security: bearerSecurity,
  middleware: [requireAuth()] as const,
  request: { body: optionalJsonBody(NoFields) },
  responses: { 200: jsonResponse(ReadAllResult, "How many were unread"), ...errorResponses(400, 401, 413, 415) },
});

export const notificationsRouter = createRouter()
  .openapi(listNotifications, async (c) => {
    const q = c.req.valid("query");
    const user = userObject(c.env, c.get("principal").userId);
    const [page, unread] = await Promise.all([
      user.listNotifications({
        cursor: q.cursor ?? null,
        unread: q.unread === "true",
        kind: q.kind ?? null,
        limit: q.limit,
      }) as unknown as Promise<{
        items: InboxRow[];
        more: boolean;
      }>,
      user.unreadNotificationCount(),
    ]);
    const last = page.items[page.items.length - 1];
    return c.json(
      {
        object: "list" as const,
        data: page.items,
        has_more: page.more,
        next_cursor: page.more && last ? last.id : null,
        unread_count: unread,
      },
      200,
    );
  })
  .openapi(readOne, async (c) => {
    const n = (await userObject(c.env, c.get("principal").userId).markNotificationRead(
      c.req.valid("param").id,
    )) as unknown as InboxRow | null;
    if (!n) throw new DomainError("not_found", "Notification not found");
    return c.json(n, 200);
  })
  .openapi(readAll, async (c) => {
    const { marked } = await userObject(c.env, c.get("principal").userId).markAllNotificationsRead();
    return c.json({ marked, unread_count: 0 as const }, 200);
  });
