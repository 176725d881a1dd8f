/**
 * The live price stream: a WebSocket on GET /v1/market/stream. The access
 * token (in memory) goes in the first message, never the URL; then it
 * subscribes to trades, bars and statuses of the symbols asked for. Each
 * trade's `q` must be the previous one's + 1 (the snapshot on subscribe gives
 * the start); on a gap the symbol is resynced from GET …/snapshot and trades
 * older than it are dropped. Frames are acknowledged as they arrive, so the
 * server never closes it as a slow consumer. When the socket drops it
 * reconnects (backing off up to 30 s, refreshing the session first if the
 * token was refused); the returned function closes it for good.
 */
import type { Snapshot } from "../api/market-types";
import { refreshSession } from "../session/actions";
import { getSession } from "../session/state";
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

/** Close codes after which the token is refreshed before reconnecting (auth failed / not authenticated). */
const AUTH_CLOSES = new Set([4401, 4402]);
/** Acknowledge at least every this many frames (the server allows 1,000 unacknowledged). */
const ACK_EVERY = 50;

type Frame = { T?: string; [k: string]: unknown };

export function openMarketSocket(h: MarketSocketHandlers): () => void {
  let ws: WebSocket | null = null;
  let stopped = false;
  let attempt = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let ackTimer: ReturnType<typeof setInterval> | undefined;
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

  const connect = () => {
    const session = getSession();
    if (stopped || !session) return;
    const scheme = location.protocol === "https:" ? "wss" : "ws";
    const socket = new WebSocket(`${scheme}://${location.host}/v1/market/stream`);
    ws = socket;
    let unacked = 0;
    const ack = () => {
      if (unacked > 0 && socket.readyState === WebSocket.OPEN) {
        socket.send(JSON.stringify({ action: "ack", frames: unacked }));
        unacked = 0;
      }
    };
    clearInterval(ackTimer);
    ackTimer = setInterval(ack, 5_000);
    socket.onopen = () => socket.send(JSON.stringify({ action: "auth", token: session.accessToken }));
    socket.onmessage = (e) => {
      unacked++;
      let events: unknown;
      try {
        events = JSON.parse(String(e.data));
      } catch {
        return;
      }
      if (Array.isArray(events)) {
        for (const ev of events as Frame[]) {
          if (ev.T === "success" && ev.msg === "authenticated") {
            attempt = 0;
            const list = h.symbols;
            socket.send(JSON.stringify({ action: "subscribe", trades: list, bars: list, statuses: list }));
          } else if (ev.T === "subscription") {
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
        }
      }
      if (unacked >= ACK_EVERY) ack();
    };
    socket.onclose = (e) => {
      if (ws === socket) ws = null;
      h.onLive?.(false);
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
    clearInterval(ackTimer);
    // Closing while still connecting logs an error in the browser: close once open instead.
    if (ws?.readyState === WebSocket.CONNECTING) {
      const pending = ws;
      pending.onopen = () => pending.close(1000, "page left");
    } else ws?.close(1000, "page left");
  };
}
