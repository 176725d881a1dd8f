/**
 * What a hub does with each client message: auth (first, within 5 s),
 * subscribe / unsubscribe (acked with the full set, a snapshot per new
 * symbol), ack (the client's progress, for slow-consumer detection).
 */
import { sessionActive } from "../../src/auth/sessions";
import { applySubscription, type ClientMessage, errorFrame, parseClientMessage, symbolsOf } from "../../src/domain/market/stream-protocol";
import type { Snapshot } from "../market/frames";
import type { Conn, Connections } from "./connections";
import { closeWith, principalOfToken } from "../socket/first-message-auth";
import { deliverBatches, send } from "./delivery";
import { connectionLimit, registryHubOf, shardCount } from "./registry";

export interface SessionDeps {
  env: Env;
  hub: string;
  conns: Connections;
  market(symbol: string): { listen(hub: string): Promise<{ snapshot: Snapshot; b: number }>; unlisten(hub: string): Promise<void> };
  registry(hub: string): {
    claimConnection(userId: string, hub: string, conn: string, limit: number): Promise<boolean>;
    releaseConnection(userId: string, hub: string, conn: string): Promise<void>;
  };
}

const json = (frames: unknown[]) => JSON.stringify(frames);

export async function handleMessage(deps: SessionDeps, conn: Conn, raw: string | ArrayBuffer): Promise<void> {
  const parsed = parseClientMessage(raw);
  if (!parsed.ok) {
    send(conn, json([errorFrame(parsed.error, parsed.detail)]));
    return;
  }
  const m = parsed.message;
  if (m.action === "ack") {
    conn.unacked = Math.max(0, conn.unacked - m.frames);
    return;
  }
  if (m.action === "auth") return auth(deps, conn, m.token);
  if (!conn.att.userId) {
    send(conn, json([errorFrame("not_authenticated")]));
    return;
  }
  return subscribe(deps, conn, m);
}

async function auth(deps: SessionDeps, conn: Conn, token: string): Promise<void> {
  if (conn.att.userId) {
    send(conn, json([errorFrame("already_authenticated")]));
    return;
  }
  const verified = await principalOfToken(deps.env, token);
  if (!verified.ok) return closeWith(conn.ws, verified.error);
  const principal = verified.principal;
  if (!(await sessionActive(deps.env, principal.userId, principal.sessionId))) return closeWith(conn.ws, "auth_failed");
  const registry = registryHubOf(principal.userId, shardCount(deps.env));
  const claimed = await deps.registry(registry).claimConnection(principal.userId, deps.hub, conn.att.id, connectionLimit(deps.env));
  if (!claimed) return closeWith(conn.ws, "connection_limit_exceeded", `at most ${connectionLimit(deps.env)} per user`);
  deps.conns.update(conn, { ...conn.att, userId: principal.userId });
  send(conn, json([{ T: "success", msg: "authenticated" }]));
}

async function subscribe(deps: SessionDeps, conn: Conn, m: Extract<ClientMessage, { action: "subscribe" | "unsubscribe" }>) {
  const next = applySubscription(conn.att.subs, m.action, m);
  if (!next) {
    send(conn, json([errorFrame("symbol_limit_exceeded")]));
    return;
  }
  const before = symbolsOf(conn.att.subs);
  const added = [...symbolsOf(next)].filter((s) => !before.has(s));
  // Frames of a new symbol are held until its snapshot is out, so the first q after the snapshot is seq + 1.
  for (const s of added) conn.held.set(s, []);
  const orphaned = deps.conns.update(conn, { ...conn.att, subs: next });
  for (const s of orphaned) {
    conn.fromB.delete(s);
    void deps
      .market(s)
      .unlisten(deps.hub)
      .catch(() => {});
  }
  send(conn, json([{ T: "subscription", ...next }]));
  const snapshots = await Promise.all(
    added.map((s) =>
      deps
        .market(s)
        .listen(deps.hub)
        .then(
          (r) => ({ s, ...r }),
          () => ({ s, snapshot: null, b: 0 }),
        ),
    ),
  );
  for (const { s, snapshot, b } of snapshots) {
    const held = conn.held.get(s) ?? [];
    conn.held.delete(s);
    conn.fromB.set(s, b);
    if (snapshot) send(conn, json([{ T: "snapshot", S: s, ...snapshot }]));
    else send(conn, json([errorFrame("internal_error", `no snapshot for ${s}`)]));
    if (held.length > 0 && symbolsOf(conn.att.subs).has(s)) deliverBatches([conn], s, held);
  }
}

/** A socket closed or failed: forget it, release its claim, stop listening to symbols nobody here wants. */
export async function handleClose(deps: SessionDeps, ws: WebSocket): Promise<void> {
  const { conn, orphaned } = deps.conns.remove(ws);
  if (!conn) return;
  await Promise.all([
    ...orphaned.map((s) =>
      deps
        .market(s)
        .unlisten(deps.hub)
        .catch(() => {}),
    ),
    conn.att.userId
      ? deps
          .registry(registryHubOf(conn.att.userId, shardCount(deps.env)))
          .releaseConnection(conn.att.userId, deps.hub, conn.att.id)
          .catch(() => {})
      : Promise.resolve(),
  ]);
}
