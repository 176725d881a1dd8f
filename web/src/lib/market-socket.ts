/**
 * The live price stream: a WebSocket on GET /v1/market/stream. The access
 * token (in memory) goes in the first message, never the URL; then it
 * subscribes to trades, bars and statuses of the symbols asked for. Each
 * trade's `q` must be the previous one's + 1 (the snapshot on subscribe gives
 * the start); on a gap the symbol is resynced from GET …/snapshot and trades
 * older than it are dropped. Frames are acknowledged as they arrive, so the
 * server never closes it as a slow consumer. Auth, reconnects and closing for
 * good are lib/authed-socket.ts.
 */
import type { Snapshot } from "../api/market-types";
import { openAuthedSocket } from "./authed-socket";
import { loadSnapshot } from "./market";

export interface Trade {
  S: string;
  p: string;
  s: string;
  t: string;
  q: number;
}
export interface MinuteBar {
  S: string;
  o: string;
  h: string;
  l: string;
  c: string;
  v: string;
  t: string;
  q: number;
}
export type MarketStatus = "open" | "closed" | "halted";

export interface MarketSocketHandlers {
  symbols: string[];
  /** A snapshot: on subscribe, and after a gap (resync). Trades that follow continue from its seq. */
  onSnapshot: (s: Snapshot) => void;
  onTrade: (t: Trade) => void;
  onBar?: (b: MinuteBar) => void;
  onStatus?: (symbol: string, status: MarketStatus) => void;
  /** Whether the socket is authenticated and subscribed. */
  onLive?: (live: boolean) => void;
}

/** Acknowledge at least every this many frames (the server allows 1,000 unacknowledged). */
const ACK_EVERY = 50;

export function openMarketSocket(h: MarketSocketHandlers): () => void {
  let stopped = false;
  /** Frames received since the last ack, on the current connection. */
  let unacked = 0;
  const ack = (socket: WebSocket) => {
    if (unacked > 0 && socket.readyState === WebSocket.OPEN) {
      socket.send(JSON.stringify({ action: "ack", frames: unacked }));
      unacked = 0;
    }
  };
  /** The last trade sequence applied per symbol (from a snapshot or a trade). */
  const last = new Map<string, number>();
  /** Symbols being resynced: their trades wait for the snapshot. */
  const resyncing = new Set<string>();

  const resync = async (symbol: string) => {
    if (resyncing.has(symbol)) return;
    resyncing.add(symbol);
    try {
      const snap = await loadSnapshot(symbol);
      if (stopped) return;
      last.set(symbol, snap.seq);
      h.onSnapshot(snap);
    } catch {
      // Left to the next trade: it shows the gap again and retries.
      last.delete(symbol);
    } finally {
      resyncing.delete(symbol);
    }
  };

  const onTrade = (t: Trade) => {
    if (resyncing.has(t.S)) return;
    const prev = last.get(t.S);
    if (prev !== undefined && t.q <= prev) return; // already covered by the snapshot or seen
    if (prev === undefined || t.q !== prev + 1) {
      void resync(t.S);
      return;
    }
    last.set(t.S, t.q);
    h.onTrade(t);
  };

  const close = openAuthedSocket({
    path: () => "/v1/market/stream",
    onConnect: (socket) => {
      unacked = 0;
      const ackTimer = setInterval(() => ack(socket), 5_000);
      return () => clearInterval(ackTimer);
    },
    onFrame: (socket) => {
      unacked++;
      if (unacked >= ACK_EVERY) ack(socket);
    },
    onAuthenticated: (socket) => {
      const list = h.symbols;
      socket.send(JSON.stringify({ action: "subscribe", trades: list, bars: list, statuses: list }));
    },
    onEvent: (ev) => {
      if (ev.T === "subscription") {
        h.onLive?.(true);
      } else if (ev.T === "snapshot") {
        const { T: _, S, ...rest } = ev;
        const snap = { symbol: S, ...rest } as unknown as Snapshot;
        last.set(snap.symbol, snap.seq);
        h.onSnapshot(snap);
      } else if (ev.T === "t") {
        onTrade(ev as unknown as Trade);
      } else if (ev.T === "b") {
        h.onBar?.(ev as unknown as MinuteBar);
      } else if (ev.T === "s") {
        h.onStatus?.(ev.S as string, ev.sc as MarketStatus);
      }
    },
    onDown: () => h.onLive?.(false),
  });
  return () => {
    stopped = true;
    close();
  };
}
