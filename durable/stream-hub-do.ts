/**
 * StreamHubDO: one shard of the price stream's sockets (named hub-0 … hub-N-1;
 * the Worker places each new connection on a random shard). It accepts
 * sockets with the WebSocket Hibernation API — per-socket state in
 * attachments, pings answered by an auto-response without waking it — and
 * listens to the MarketDO of each symbol its sockets want; symbols call
 * `deliver` with ordered batches, which it fans out. Each hub is also the
 * registry of connections per user for the users that hash to it.
 * A thin shell over durable/stream/; public members are exactly its RPC API.
 */
import { DurableObject } from "cloudflare:workers";
import { AUTH_TIMEOUT_MS } from "../src/domain/market/stream-protocol";
import type { Batch } from "./market/frames";
import { Connections, newAttachment } from "./stream/connections";
import { deliverBatches, send } from "./stream/delivery";
import { ConnectionRegistry } from "./stream/registry";
import { armAuthDeadline, expireUnauthenticated } from "./socket/first-message-auth";
import { handleClose, handleMessage, type SessionDeps } from "./stream/session";

export const PING = '{"action":"ping"}';
export const PONG = '[{"T":"pong"}]';

export class StreamHubDO extends DurableObject<Env> {
  readonly #hub: string;
  readonly #conns: Connections;
  readonly #registry: ConnectionRegistry;
  readonly #deps: SessionDeps;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.#hub = ctx.id.name ?? "hub-0";
    // Everything a woken hub knows comes back from its sockets' attachments.
    this.#conns = new Connections(ctx.getWebSockets());
    ctx.setWebSocketAutoResponse(new WebSocketRequestResponsePair(PING, PONG));
    this.#registry = new ConnectionRegistry(ctx.storage.sql, {
      live: (hub, conns) => this.#hubStub(hub).liveConnections(conns),
    });
    this.#deps = {
      env,
      hub: this.#hub,
      conns: this.#conns,
      market: (symbol) => this.env.MARKET.get(this.env.MARKET.idFromName(symbol)),
      registry: (hub) => this.#hubStub(hub),
    };
  }

  #hubStub(hub: string) {
    return this.env.STREAM_HUB.get(this.env.STREAM_HUB.idFromName(hub));
  }

  /** The upgrade, forwarded by the Worker's GET /v1/market/stream. */
  override async fetch(request: Request): Promise<Response> {
    if (request.headers.get("upgrade")?.toLowerCase() !== "websocket") return new Response("expected a WebSocket upgrade", { status: 426 });
    const pair = new WebSocketPair();
    const [client, server] = [pair[0], pair[1]];
    this.ctx.acceptWebSocket(server);
    const deadline = Date.now() + AUTH_TIMEOUT_MS;
    const att = newAttachment(crypto.randomUUID(), deadline);
    server.serializeAttachment(att);
    const conn = this.#conns.add(server, att);
    send(conn, JSON.stringify([{ T: "success", msg: "connected" }]));
    await armAuthDeadline(this.ctx.storage, deadline);
    return new Response(null, { status: 101, webSocket: client });
  }

  override async webSocketMessage(ws: WebSocket, message: string | ArrayBuffer): Promise<void> {
    const conn = this.#conns.get(ws);
    if (!conn) return;
    const run = conn.chain.then(() => handleMessage(this.#deps, conn, message));
    conn.chain = run.catch((err) => console.error(JSON.stringify({ level: "error", msg: "stream message failed", error: String(err) })));
    await conn.chain;
  }

  override async webSocketClose(ws: WebSocket, code: number): Promise<void> {
    await handleClose(this.#deps, ws);
    try {
      ws.close(code === 1005 || code === 1006 ? 1000 : code, "closed");
    } catch {
      // already closed
    }
  }

  override async webSocketError(ws: WebSocket): Promise<void> {
    await handleClose(this.#deps, ws);
  }

  override async alarm(): Promise<void> {
    const now = Date.now();
    const { next, closed } = expireUnauthenticated(this.#conns.all(), now);
    await Promise.all(closed.map((ws) => handleClose(this.#deps, ws)));
    if (next !== null) await this.ctx.storage.setAlarm(next);
  }

  // ---- RPC from symbols and other hubs ----
  /** A symbol's ordered batches; false when no socket here wants the symbol (it stops sending). */
  deliver(symbol: string, batches: Batch[]): boolean {
    const subscribers = this.#conns.subscribers(symbol);
    if (!subscribers || subscribers.size === 0) return false;
    for (const slow of deliverBatches(subscribers, symbol, batches)) void handleClose(this.#deps, slow.ws);
    return true;
  }

  /** Which of these connection ids this hub still holds (the registry's check on lost releases). */
  liveConnections(conns: string[]): string[] {
    const ids = this.#conns.ids();
    return conns.filter((c) => ids.has(c));
  }

  claimConnection(userId: string, hub: string, conn: string, limit: number): Promise<boolean> {
    return this.#registry.claim(userId, hub, conn, limit, Date.now());
  }

  releaseConnection(userId: string, hub: string, conn: string): void {
    this.#registry.release(userId, hub, conn);
  }

  /** The hub's sockets as their attachments say (operations and tests). */
  connectionsView() {
    return [...this.#conns.all()].map((c) => ({ ...c.att, unacked: c.unacked }));
  }
}
