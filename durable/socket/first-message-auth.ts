/**
 * First-message authentication for every FinEdge WebSocket (the price
 * stream's hubs and the UserDO's inbox stream): the token arrives in the
 * socket's first message, never in the URL; a socket that sends none within
 * AUTH_TIMEOUT_MS is closed with 4404, a bad token with 4402.
 */
import { type Principal, verifyAccessToken } from "../../src/auth/access-token";
import { loadConfig } from "../../src/config";
import { closeCodeOf, errorFrame, type StreamErrorName } from "../../src/domain/socket-protocol";

/** The token's principal (signature, issuer, audience, expiry checked; the session is the caller's check), or why not. */
export async function principalOfToken(
  env: Env,
  token: string,
): Promise<{ ok: true; principal: Principal } | { ok: false; error: StreamErrorName }> {
  const config = loadConfig(env);
  if (!config.ok) return { ok: false, error: "internal_error" };
  const principal = await verifyAccessToken(config.config, token);
  return principal ? { ok: true, principal } : { ok: false, error: "auth_failed" };
}

/** Sends the error frame, then closes with 4000 + its code. */
export function closeWith(ws: WebSocket, error: StreamErrorName, detail?: string): void {
  try {
    ws.send(JSON.stringify([errorFrame(error, detail)]));
    ws.close(closeCodeOf(error), errorFrame(error).msg);
  } catch {
    // already closed
  }
}

export interface PendingSocket {
  ws: WebSocket;
  att: { userId: string | null; deadline: number };
}

/** Closes sockets that did not authenticate in time; returns them and the next deadline still pending. */
export function expireUnauthenticated(sockets: Iterable<PendingSocket>, now: number): { next: number | null; closed: WebSocket[] } {
  let next: number | null = null;
  const closed: WebSocket[] = [];
  for (const c of sockets) {
    if (c.att.userId) continue;
    if (c.att.deadline <= now) {
      closeWith(c.ws, "auth_timeout");
      closed.push(c.ws);
    } else next = next === null ? c.att.deadline : Math.min(next, c.att.deadline);
  }
  return { next, closed };
}

/** Arms the object's alarm for an auth deadline unless an earlier one is set. */
export async function armAuthDeadline(storage: DurableObjectStorage, deadline: number): Promise<void> {
  const alarm = await storage.getAlarm();
  if (alarm === null || alarm > deadline) await storage.setAlarm(deadline);
}
