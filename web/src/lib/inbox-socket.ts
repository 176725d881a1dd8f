/**
 * The live inbox: a WebSocket on GET /v1/notifications/stream. The URL only
 * routes it (user_id); auth, reconnects and closing are lib/authed-socket.ts.
 * After auth it asks to resume after the newest notification the page already
 * has, so nothing that arrived in between is lost, and on every reconnect the
 * same way.
 */
import type { Notification } from "../api/types";
import { openAuthedSocket } from "./authed-socket";
import { setUnread } from "./unread";

export interface InboxSocketHandlers {
  /** The newest notification id the caller holds (resume starts after it). */
  lastId: () => string | null;
  onNotification: (n: Notification) => void;
  onStatus?: (live: boolean) => void;
}

/** Opens the socket; the returned function closes it for good. */
export function openInboxSocket(h: InboxSocketHandlers): () => void {
  return openAuthedSocket({
    path: (session) => `/v1/notifications/stream?user_id=${encodeURIComponent(session.user.id)}`,
    onAuthenticated: (socket) => {
      h.onStatus?.(true);
      socket.send(JSON.stringify({ action: "resume", after: h.lastId() }));
    },
    onEvent: (ev) => {
      if (ev.T === "notification") {
        const { T: _, ...n } = ev;
        h.onNotification(n as unknown as Notification);
      } else if (ev.T === "unread" && typeof ev.count === "number") {
        setUnread(ev.count);
      }
    },
    onDown: () => h.onStatus?.(false),
  });
}
