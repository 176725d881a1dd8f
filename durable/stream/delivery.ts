/**
 * A symbol's batches to the hub's sockets that take it: each socket gets one
 * frame (a JSON array) per delivery holding the events of its channels in the
 * batches its snapshot does not cover. The text is built once per distinct
 * (channels, first batch) and shared. A socket past MAX_UNACKED_FRAMES is a
 * slow consumer and is closed (4407) instead of buffered without bound.
 */
import { MAX_UNACKED_FRAMES } from "../../src/domain/market/stream-protocol";
import { closeWith } from "../socket/first-message-auth";
import type { Batch } from "../market/frames";
import { type Conn, frameInMask, maskOf } from "./connections";

/** Returns the sockets closed as slow consumers. */
export function deliverBatches(subscribers: Iterable<Conn>, symbol: string, batches: Batch[]): Conn[] {
  const closed: Conn[] = [];
  const texts = new Map<string, string | null>();
  for (const conn of subscribers) {
    const held = conn.held.get(symbol);
    if (held) {
      held.push(...batches);
      continue;
    }
    const from = conn.fromB.get(symbol) ?? 0;
    const first = batches.findIndex((b) => b.b > from);
    if (first < 0) continue;
    const mask = maskOf(conn.att.subs, symbol);
    const key = `${mask}:${first}`;
    let text = texts.get(key);
    if (text === undefined) {
      const frames = batches.slice(first).flatMap((b) => b.frames.filter((f) => frameInMask(f, mask)));
      text = frames.length > 0 ? JSON.stringify(frames) : null;
      texts.set(key, text);
    }
    if (text !== null && !send(conn, text)) closed.push(conn);
  }
  return closed;
}

/** Sends one frame, counting it against the socket's unacknowledged window; false when that closed the socket. */
export function send(conn: Conn, text: string): boolean {
  if (conn.unacked >= MAX_UNACKED_FRAMES) {
    closeWith(conn.ws, "slow_client", `more than ${MAX_UNACKED_FRAMES} frames unacknowledged`);
    return false;
  }
  conn.unacked += 1;
  try {
    conn.ws.send(text);
  } catch {
    // A socket closing under us: its close event cleans up.
  }
  return true;
}
