/**
 * One hub's sockets: each socket's state lives in its attachment (who it is,
 * what it subscribed to, when its auth deadline is), so a hub woken from
 * hibernation rebuilds everything from `ctx.getWebSockets()`. Counters that
 * only matter while frames flow (unacked frames, the snapshot each symbol
 * started from, frames held while a snapshot is fetched) stay in memory.
 */
import { CHANNELS, type Channel, emptySubscriptions, type Subscriptions, symbolsOf } from "../../src/domain/market/stream-protocol";
import type { Batch } from "../market/frames";

export interface Attachment {
  id: string;
  userId: string | null;
  /** Epoch ms by which an unauthenticated socket must have sent its auth message. */
  deadline: number;
  subs: Subscriptions;
}

export interface Conn {
  ws: WebSocket;
  att: Attachment;
  unacked: number;
  /** Per symbol: batches up to this number are covered by the snapshot the socket got. */
  fromB: Map<string, number>;
  /** Per symbol whose snapshot is being fetched: the batches that arrived meanwhile. */
  held: Map<string, Batch[]>;
  /** Messages of one socket are handled one after another. */
  chain: Promise<void>;
}

export class Connections {
  readonly #byWs = new Map<WebSocket, Conn>();
  readonly #bySymbol = new Map<string, Set<Conn>>();

  constructor(sockets: WebSocket[]) {
    for (const ws of sockets) {
      const att = ws.deserializeAttachment() as Attachment | null;
      if (att) this.add(ws, att);
    }
  }

  add(ws: WebSocket, att: Attachment): Conn {
    const conn: Conn = { ws, att, unacked: 0, fromB: new Map(), held: new Map(), chain: Promise.resolve() };
    this.#byWs.set(ws, conn);
    this.#index(conn, att.subs, true);
    return conn;
  }

  get(ws: WebSocket): Conn | undefined {
    return this.#byWs.get(ws);
  }

  all(): IterableIterator<Conn> {
    return this.#byWs.values();
  }

  ids(): Set<string> {
    return new Set([...this.#byWs.values()].map((c) => c.att.id));
  }

  subscribers(symbol: string): Set<Conn> | undefined {
    return this.#bySymbol.get(symbol);
  }

  /** Saves the attachment and moves the socket in the symbol index; returns the symbols no socket wants any more. */
  update(conn: Conn, att: Attachment): string[] {
    const before = symbolsOf(conn.att.subs);
    this.#index(conn, conn.att.subs, false);
    conn.att = att;
    conn.ws.serializeAttachment(att);
    this.#index(conn, att.subs, true);
    const after = symbolsOf(att.subs);
    return [...before].filter((s) => !after.has(s) && !this.#bySymbol.has(s));
  }

  /** Forgets a socket; returns the symbols no socket wants any more. */
  remove(ws: WebSocket): { conn: Conn | undefined; orphaned: string[] } {
    const conn = this.#byWs.get(ws);
    if (!conn) return { conn, orphaned: [] };
    this.#byWs.delete(ws);
    this.#index(conn, conn.att.subs, false);
    return { conn, orphaned: [...symbolsOf(conn.att.subs)].filter((s) => !this.#bySymbol.has(s)) };
  }

  #index(conn: Conn, subs: Subscriptions, add: boolean): void {
    for (const s of symbolsOf(subs)) {
      let set = this.#bySymbol.get(s);
      if (add) {
        if (!set) {
          set = new Set();
          this.#bySymbol.set(s, set);
        }
        set.add(conn);
      } else if (set) {
        set.delete(conn);
        if (set.size === 0) this.#bySymbol.delete(s);
      }
    }
  }
}

const CHANNEL_OF: Record<string, Channel> = { t: "trades", b: "bars", s: "statuses" };

/** The channels of a symbol a socket takes, as a bit mask (trades 1, bars 2, statuses 4). */
export function maskOf(subs: Subscriptions, symbol: string): number {
  let mask = 0;
  CHANNELS.forEach((ch, i) => {
    if (subs[ch].includes(symbol)) mask |= 1 << i;
  });
  return mask;
}

export function frameInMask(frame: { T: string }, mask: number): boolean {
  const ch = CHANNEL_OF[frame.T];
  return ch !== undefined && (mask & (1 << CHANNELS.indexOf(ch))) !== 0;
}

export const newAttachment = (id: string, deadline: number): Attachment => ({ id, userId: null, deadline, subs: emptySubscriptions() });
