/**
 * The live inbox: a WebSocket on GET /v1/notifications/stream. The URL only
 * routes it (user_id); the access token goes in the first message, never the
 * URL. After auth it asks to resume after the newest notification the page
 * already has, so nothing that arrived in between is lost; when the socket
 * drops it reconnects (backing off up to 30 s, refreshing the session first if
 * the token was refused) and resumes the same way.
 */
import type { Notification } from "../api/types";
import { refreshSession } from "../session/actions";
import { getSession } from "../session/state";
import { setUnread } from "./unread";

export interface InboxSocketHandlers {
  /** The newest notification id the caller holds (resume starts after it). */
  lastId: () => string | null;
  onNotification: (n: Notification) => void;
  onStatus?: (live: boolean) => void;
}

/** Close codes after which the token is refreshed before reconnecting (auth failed / not authenticated). */
const AUTH_CLOSES = new Set([4401, 4402]);

/** Opens the socket; the returned function closes it for good. */
export function openInboxSocket(h: InboxSocketHandlers): () => void {
  let ws: WebSocket | null = null;
  let stopped = false;
  let attempt = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;

  const connect = () => {
    const session = getSession();
    if (stopped || !session) return;
    const scheme = location.protocol === "https:" ? "wss" : "ws";
    const url = `${scheme}://${location.host}/v1/notifications/stream?user_id=${encodeURIComponent(session.user.id)}`;
    const socket = new WebSocket(url);
    ws = socket;
    socket.onopen = () => socket.send(JSON.stringify({ action: "auth", token: session.accessToken }));
    socket.onmessage = (e) => {
      let events: unknown;
      try {
        events = JSON.parse(String(e.data));
      } catch {
        return;
      }
      if (!Array.isArray(events)) return;
      for (const ev of events as { T?: string; [k: string]: unknown }[]) {
        if (ev.T === "success" && ev.msg === "authenticated") {
          attempt = 0;
          h.onStatus?.(true);
          socket.send(JSON.stringify({ action: "resume", after: h.lastId() }));
        } else if (ev.T === "notification") {
          const { T: _, ...n } = ev;
          h.onNotification(n as unknown as Notification);
        } else if (ev.T === "unread" && typeof ev.count === "number") {
          setUnread(ev.count);
        }
      }
    };
    socket.onclose = (e) => {
      if (ws === socket) ws = null;
      h.onStatus?.(false);
      if (stopped) return;
      const delay = Math.min(30_000, 500 * 2 ** attempt++);
      timer = setTimeout(async () => {
        if (AUTH_CLOSES.has(e.code)) await refreshSession().catch(() => false);
        connect();
      }, delay);
    };
  };

  connect();
  return () => {
    stopped = true;
    clearTimeout(timer);
    // Closing while still connecting logs an error in the browser: close once open instead.
    if (ws?.readyState === WebSocket.CONNECTING) {
      const pending = ws;
      pending.onopen = () => pending.close(1000, "page left");
    } else ws?.close(1000, "page left");
  };
}
