/**
 * What a webhook endpoint subscribes to, pure: `*` (everything) or
 * notification kinds (src/domain/notifications/kinds.ts). The envelope's
 * `type` is the kind; `webhook.test` is sent by POST /v1/webhooks/{id}/test
 * whatever the filter.
 */
import { NOTIFICATION_KINDS, type NotificationKind } from "../notifications/kinds";

export const WILDCARD = "*";
export const TEST_EVENT_TYPE = "webhook.test";
export const EVENT_TYPES = [WILDCARD, ...NOTIFICATION_KINDS] as const;
export type EventTypeFilter = (typeof EVENT_TYPES)[number];

export function matches(filters: readonly string[], kind: NotificationKind): boolean {
  return filters.includes(WILDCARD) || filters.includes(kind);
}
