/**
 * The `password_changed` source: not a catalog event (a password belongs to
 * the user, not to an account's journal) but a direct write to the user's
 * inbox by POST /v1/me/password, named by the change's own id so the notice
 * exists once per change.
 */
import type { NotificationDraft } from "./from-event";

export function passwordChanged(changeId: string, userAgent: string, ipPrefix: string): NotificationDraft {
  return {
    kind: "password_changed",
    title: "Your password was changed",
    body: `Your FinEdge password was changed from ${userAgent || "an unknown browser"} (network ${ipPrefix}); your other sessions were signed out. If this was not you, reset your password at once.`,
    link: null,
    source_event_id: `password:${changeId}`,
    data: { user_agent: userAgent, ip_prefix: ipPrefix },
  };
}
