/**
 * The UserDO's live sockets (WebSocket Hibernation): each socket's identity
 * and auth deadline live in its attachment, so a woken object rebuilds the
 * set from `ctx.getWebSockets()`. A socket authenticates with its first
 * message (durable/socket/first-message-auth.ts); the token must be this
 * user's and its session live here, so another user's notifications can
 * never reach it. What a socket was last sent stays in memory, so a live
 * push and a catch-up never send one notification twice.
 */
import { errorFrame } from "../../src/domain/socket-protocol";
import { MAX_PENDING_SOCKETS, parseInboxMessage, RESUME_FRAME_SIZE } from "../../src/domain/notifications/stream-protocol";
import { closeWith, principalOfToken } from "../socket/first-message-auth";
import { connectionLimit } from "../stream/registry";
import { idOf, type Inbox, type Notification, seqOf } from "./inbox";

export interface InboxAttachment {
  id: string;
  userId: string | null;
  /** The session the socket signed in with; its revocation closes the socket. */
  sessionId?: string | null;
  deadline: number;
}

interface Live {
  ws: WebSocket;
  att: InboxAttachment;
  /** The highest notification seq this socket was sent. */
  sent: number;
  chain: Promise<void>;
}

export interface SocketDeps {
  env: Env;
  userId: string;
  inbox: Inbox;
  sessionActive(sessionId: string): boolean;
}

const frame = (events: unknown[]) => JSON.stringify(events);
const notificationFrame = (n: Notification) => ({ T: "notification", ...n });

export class InboxSockets {
  readonly #live = new Map<WebSocket, Live>();

  constructor(
    sockets: WebSocket[],
    readonly deps: SocketDeps,
  ) {
    for (const ws of sockets) {
      const att = ws.deserializeAttachment() as InboxAttachment | null;
      if (att) this.#live.set(ws, { ws, att, sent: deps.inbox.lastSeq(), chain: Promise.resolve() });
    }
  }

  all(): IterableIterator<Live> {
    return this.#live.values();
  }

  /** A new socket; false (closed with 4406) when too many wait to authenticate. */
  accept(ws: WebSocket, deadline: number): boolean {
    const pending = [...this.#live.values()].filter((l) => !l.att.userId).length;
    const att: InboxAttachment = { id: crypto.randomUUID(), userId: null, deadline };
    ws.serializeAttachment(att);
    if (pending >= MAX_PENDING_SOCKETS) {
      closeWith(ws, "connection_limit_exceeded", `at most ${MAX_PENDING_SOCKETS} sockets waiting to authenticate`);
      return false;
    }
    this.#live.set(ws, { ws, att, sent: this.deps.inbox.lastSeq(), chain: Promise.resolve() });
    this.#send(ws, [{ T: "success", msg: "connected" }]);
    return true;
  }

  /** Messages of one socket are handled one after another. */
  message(ws: WebSocket, raw: string | ArrayBuffer): Promise<void> {
    const live = this.#live.get(ws);
    if (!live) return Promise.resolve();
    const run = live.chain.then(() => this.#handle(live, raw));
    live.chain = run.catch((err) =>
      console.error(JSON.stringify({ level: "error", msg: "inbox socket message failed", error: String(err) })),
    );
    return live.chain;
  }

  async #handle(live: Live, raw: string | ArrayBuffer): Promise<void> {
    const parsed = parseInboxMessage(raw);
    if (!parsed.ok) return this.#send(live.ws, [errorFrame(parsed.error, parsed.detail)]);
    const m = parsed.message;
    if (m.action === "auth") return this.#auth(live, m.token);
    if (!live.att.userId) return this.#send(live.ws, [errorFrame("not_authenticated")]);
    this.#resume(live, m.after === null ? 0 : (seqOf(m.after) ?? 0));
  }

  async #auth(live: Live, token: string): Promise<void> {
    if (live.att.userId) return this.#send(live.ws, [errorFrame("already_authenticated")]);
    const verified = await principalOfToken(this.deps.env, token);
    if (!verified.ok) return closeWith(live.ws, verified.error);
    const p = verified.principal;
    // Another user's token on this user's socket is refused like a bad one.
    if (p.userId !== this.deps.userId || !this.deps.sessionActive(p.sessionId)) return closeWith(live.ws, "auth_failed");
    const limit = connectionLimit(this.deps.env);
    if ([...this.#live.values()].filter((l) => l.att.userId).length >= limit)
      return closeWith(live.ws, "connection_limit_exceeded", `at most ${limit} per user`);
    live.att = { ...live.att, userId: p.userId, sessionId: p.sessionId };
    live.ws.serializeAttachment(live.att);
    live.sent = this.deps.inbox.lastSeq();
    this.#send(live.ws, [
      { T: "success", msg: "authenticated" },
      { T: "unread", count: this.deps.inbox.unreadCount() },
    ]);
  }

  /** Everything after `after` the inbox still holds, oldest first, in frames of RESUME_FRAME_SIZE. */
  #resume(live: Live, after: number): void {
    let from = after;
    for (;;) {
      const batch = this.deps.inbox.since(from, RESUME_FRAME_SIZE);
      if (batch.length === 0) break;
      this.#send(live.ws, batch.map(notificationFrame));
      from = seqOf(batch[batch.length - 1]!.id)!;
    }
    live.sent = Math.max(from, this.deps.inbox.lastSeq());
    this.#send(live.ws, [{ T: "resumed", last: from > after ? idOf(from) : null }]);
  }

  /** New notifications and the unread count to every authenticated socket. */
  push(added: readonly Notification[]): void {
    const unread = { T: "unread", count: this.deps.inbox.unreadCount() };
    for (const live of this.#live.values()) {
      if (!live.att.userId) continue;
      const fresh = added.filter((n) => seqOf(n.id)! > live.sent);
      if (fresh.length === 0 && added.length > 0) continue;
      if (fresh.length > 0) live.sent = seqOf(fresh[fresh.length - 1]!.id)!;
      this.#send(live.ws, [...fresh.map(notificationFrame), unread]);
    }
  }

  /** Closes (4411) every socket whose session is no longer live: a revoked session's socket gets nothing more. */
  closeRevoked(): number {
    let closed = 0;
    for (const live of [...this.#live.values()]) {
      const sid = live.att.sessionId;
      if (!live.att.userId || !sid || this.deps.sessionActive(sid)) continue;
      closeWith(live.ws, "session_revoked");
      this.#live.delete(live.ws);
      closed++;
    }
    return closed;
  }

  remove(ws: WebSocket): void {
    this.#live.delete(ws);
  }

  /** The runtime's close event: forget the socket and answer the close (1005/1006 carry no code to echo). */
  closed(ws: WebSocket, code: number): void {
    this.remove(ws);
    try {
      ws.close(code === 1005 || code === 1006 ? 1000 : code, "closed");
    } catch {
      // already closed
    }
  }

  #send(ws: WebSocket, events: unknown[]): void {
    try {
      ws.send(frame(events));
    } catch {
      // A socket closing under us: its close event cleans up.
    }
  }
}
