/**
 * Schemas of the inbox routes (notifications, preferences, alerts): they
 * validate the requests and document them in /openapi.json.
 */
import { z } from "@hono/zod-openapi";
import { CHANNELS, NOTIFICATION_KINDS, Preferences, PreferencesPatch } from "../domain/notifications/kinds";
import { pageLimit } from "./schemas";

export const NotificationKind = z.enum(NOTIFICATION_KINDS).openapi({ description: "What the notification is about" });

export const NotificationId = z
  .string()
  .regex(/^ntf_\d{12}$/, "must be a notification id (ntf_ and 12 digits)")
  .openapi({ example: "ntf_000000000042", description: "Sortable: a later notification has a greater id" });

export const Notification = z
  .object({
    id: NotificationId,
    kind: NotificationKind,
    title: z.string(),
    body: z.string(),
    link: z.string().nullable().openapi({ description: "A path in the web app for the object it is about", example: "/budgets" }),
    source_event_id: z.string().openapi({ description: "The event it came from; one notification per source event" }),
    data: z.record(z.string(), z.unknown()).openapi({ description: "The source's facts (amounts in minor units)" }),
    created_at: z.string().openapi({ example: "2026-12-02T17:00:00.000Z" }),
    read_at: z.string().nullable(),
    alert_state: z.enum(["open", "acknowledged", "dismissed"]).nullable().openapi({ description: "For alert kinds; null otherwise" }),
  })
  .openapi("Notification");

export const NotificationList = z
  .object({
    object: z.literal("list"),
    data: z.array(Notification),
    has_more: z.boolean(),
    next_cursor: NotificationId.nullable(),
    unread_count: z.number().int().nonnegative(),
  })
  .openapi("NotificationList");

export const NotificationQuery = z.object({
  cursor: NotificationId.optional().openapi({ description: "next_cursor from the previous page" }),
  unread: z.enum(["true", "false"]).optional().openapi({ description: "`true`: unread ones only" }),
  kind: NotificationKind.optional(),
  limit: pageLimit(100, 50),
});

export const IdParam = z.object({ id: NotificationId });

export const ReadAllResult = z.object({ marked: z.number().int().nonnegative(), unread_count: z.literal(0) }).openapi("ReadAllResult");

export const NotificationPreferences = Preferences.openapi("NotificationPreferences", {
  description: `Per kind, the channels it goes to (${CHANNELS.join(", ")}); quiet hours defer email to their end and hold webhooks back (security kinds excepted). in_app and email are delivered; webhook is stored only.`,
});

export const NotificationPreferencesPatch = PreferencesPatch.openapi("NotificationPreferencesPatch", {
  description: "Only the kinds, channels and quiet hours named change; `quiet_hours: null` turns them off",
});

export const Alert = z
  .object({
    id: NotificationId,
    kind: NotificationKind,
    status: z.enum(["open", "acknowledged"]),
    title: z.string(),
    reasons: z.array(z.string()).openapi({ description: "Why the alert is raised, in words" }),
    data: z.record(z.string(), z.unknown()),
    link: z.string().nullable(),
    created_at: z.string(),
  })
  .openapi("Alert");

export const AlertList = z.object({ object: z.literal("list"), data: z.array(Alert) }).openapi("AlertList");
