/**
 * What every FinEdge socket of the app shares: the access token (in memory)
 * in the first message, never the URL; frames are JSON arrays of `{T: …}`
 * events; when the socket drops it reconnects, backing off up to 30 s and
 * refreshing the session first if the token was refused; the returned
 * function closes it for good. The market and inbox sockets add what their
 * protocols say (lib/market-socket.ts, lib/inbox-socket.ts).
 */
import { refreshSession } from "../session/actions";
import { getSession, type SessionState } from "../session/state";

export type Frame = { T?: string; [k: string]: unknown };

export interface AuthedSocketOptions {
  /** The socket's URL path and query for this session. */
  path: (session: SessionState) => string;
  /** Once the server answered the auth message. */
  onAuthenticated: (socket: WebSocket) => void;
  /** Each server event, in order. */
  onEvent: (ev: Frame, socket: WebSocket) => void;
  /** Per connection, when it opens; what it returns runs when that connection ends. */
  onConnect?: (socket: WebSocket) => () => void;
  /** Each frame received, before its events. */
  onFrame?: (socket: WebSocket) => void;
  /** The connection ended (it will be retried unless closed for good). */
  onDown?: () => void;
}

/** Close codes after which the token is refreshed before reconnecting (auth failed / not authenticated). */
const AUTH_CLOSES = new Set([4401, 4402]);

export function openAuthedSocket(o: AuthedSocketOptions): () => void {
  let ws: WebSocket | null = null;
  let stopped = false;
  let attempt = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let endConnection: (() => void) | undefined;

  const connect = () => {
    const session = getSession();
    if (stopped || !session) return;
    const scheme = location.protocol === "https:" ? "wss" : "ws";
    const socket = new WebSocket(`${scheme}://${location.host}${o.path(session)}`);
    ws = socket;
    endConnection = o.onConnect?.(socket);
    socket.onopen = () => socket.send(JSON.stringify({ action: "auth", token: session.accessToken }));
    socket.onmessage = (e) => {
      o.onFrame?.(socket);
      let events: unknown;
      try {
        events = JSON.parse(String(e.data));
      } catch {
        return;
      }
      if (!Array.isArray(events)) return;
      for (const ev of events as Frame[]) {
        if (ev.T === "success" && ev.msg === "authenticated") {
          attempt = 0;
          o.onAuthenticated(socket);
        } else o.onEvent(ev, socket);
      }
    };
    socket.onclose = (e) => {
      if (ws === socket) ws = null;
      endConnection?.();
      endConnection = undefined;
      o.onDown?.();
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
    endConnection?.();
    endConnection = undefined;
    // Closing while still connecting logs an error in the browser: close once open instead.
    if (ws?.readyState === WebSocket.CONNECTING) {
      const pending = ws;
      pending.onopen = () => pending.close(1000, "page left");
    } else ws?.close(1000, "page left");
  };
}
