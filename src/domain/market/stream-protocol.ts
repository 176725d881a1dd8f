/**
 * The price stream's wire protocol (GET /v1/market/stream), pure: what a client
 * may send, the error codes (Alpaca's numbers where one fits) and the close
 * codes (4000 + the error code, in the range RFC 6455 leaves to applications).
 */
import { z } from "zod";
import { symbolSpec } from "./symbols";

export const AUTH_TIMEOUT_MS = 5_000;
/** Distinct symbols one connection may subscribe to, over all channels. */
export const MAX_SYMBOLS_PER_CONNECTION = 100;
/** Frames a client may leave unacknowledged before it is closed as a slow consumer. */
export const MAX_UNACKED_FRAMES = 1_000;

export const STREAM_ERRORS = {
  invalid_syntax: { code: 400, msg: "invalid syntax" },
  not_authenticated: { code: 401, msg: "not authenticated" },
  auth_failed: { code: 402, msg: "auth failed" },
  already_authenticated: { code: 403, msg: "already authenticated" },
  auth_timeout: { code: 404, msg: "auth timeout" },
  symbol_limit_exceeded: { code: 405, msg: "symbol limit exceeded" },
  connection_limit_exceeded: { code: 406, msg: "connection limit exceeded" },
  slow_client: { code: 407, msg: "slow client" },
  unknown_symbol: { code: 409, msg: "unknown symbol" },
  internal_error: { code: 500, msg: "internal error" },
} as const;
export type StreamErrorName = keyof typeof STREAM_ERRORS;

/** The WebSocket close code for an error that ends the connection. */
export const closeCodeOf = (name: StreamErrorName) => 4000 + STREAM_ERRORS[name].code;

export const CHANNELS = ["trades", "bars", "statuses"] as const;
export type Channel = (typeof CHANNELS)[number];
export type Subscriptions = Record<Channel, string[]>;

export const emptySubscriptions = (): Subscriptions => ({ trades: [], bars: [], statuses: [] });

const symbols = z.array(z.string().max(16)).max(MAX_SYMBOLS_PER_CONNECTION).optional();
const ClientMessage = z.discriminatedUnion("action", [
  z.object({ action: z.literal("auth"), token: z.string().min(1).max(4096) }).strict(),
  z.object({ action: z.enum(["subscribe", "unsubscribe"]), trades: symbols, bars: symbols, statuses: symbols }).strict(),
  z.object({ action: z.literal("ack"), frames: z.number().int().min(0).max(1_000_000) }).strict(),
]);
export type ClientMessage = z.infer<typeof ClientMessage>;

export type Parsed = { ok: true; message: ClientMessage } | { ok: false; error: StreamErrorName; detail?: string };

/** A client frame (text, at most 16 KiB) as a message, or the error to answer. */
export function parseClientMessage(raw: string | ArrayBuffer): Parsed {
  if (typeof raw !== "string" || raw.length > 16_384)
    return { ok: false, error: "invalid_syntax", detail: "send JSON text frames of at most 16 KiB" };
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch {
    return { ok: false, error: "invalid_syntax", detail: "not JSON" };
  }
  const parsed = ClientMessage.safeParse(json);
  if (!parsed.success) return { ok: false, error: "invalid_syntax", detail: parsed.error.issues[0]?.message };
  if (parsed.data.action === "subscribe" || parsed.data.action === "unsubscribe") {
    for (const ch of CHANNELS) {
      const unknown = (parsed.data[ch] ?? []).find((s) => !symbolSpec(s));
      if (unknown !== undefined) return { ok: false, error: "unknown_symbol", detail: `unknown symbol ${JSON.stringify(unknown)}` };
    }
  }
  return { ok: true, message: parsed.data };
}

/** The set after a subscribe or unsubscribe, or null when it would pass the symbol limit. */
export function applySubscription(
  current: Subscriptions,
  action: "subscribe" | "unsubscribe",
  change: Partial<Record<Channel, string[]>>,
): Subscriptions | null {
  const next = emptySubscriptions();
  for (const ch of CHANNELS) {
    const set = new Set(current[ch]);
    for (const s of change[ch] ?? []) action === "subscribe" ? set.add(s) : set.delete(s);
    next[ch] = [...set].sort();
  }
  return symbolsOf(next).size > MAX_SYMBOLS_PER_CONNECTION ? null : next;
}

/** Every symbol a subscription set names, in any channel. */
export function symbolsOf(subs: Subscriptions): Set<string> {
  return new Set(CHANNELS.flatMap((ch) => subs[ch]));
}

export const errorFrame = (name: StreamErrorName, detail?: string) => ({
  T: "error" as const,
  code: STREAM_ERRORS[name].code,
  msg: detail ? `${STREAM_ERRORS[name].msg}: ${detail}` : STREAM_ERRORS[name].msg,
});
