/**
 * The price stream's wire protocol (GET /v1/market/stream), pure: what a client
 * may send, the error codes (Alpaca's numbers where one fits) and the close
 * codes, shared with the inbox stream (src/domain/socket-protocol.ts).
 */
import { z } from "zod";
import { parseClientJson, type StreamErrorName } from "../socket-protocol";
import { symbolSpec } from "./symbols";

export { AUTH_TIMEOUT_MS, closeCodeOf, errorFrame, STREAM_ERRORS, type StreamErrorName } from "../socket-protocol";

/** Distinct symbols one connection may subscribe to, over all channels. */
export const MAX_SYMBOLS_PER_CONNECTION = 100;
/** Frames a client may leave unacknowledged before it is closed as a slow consumer. */
export const MAX_UNACKED_FRAMES = 1_000;

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
  const text = parseClientJson(raw);
  if (!text.ok) return { ok: false, error: "invalid_syntax", detail: text.detail };
  const json = text.json;
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
