/**
 * Bronze layout: a delivered batch split by event date and hour into NDJSON
 * bodies under Hive-style paths. The object key is the SHA-256 of the body, so
 * a redelivered batch maps to the same keys and never overwrites anything different.
 */
import { dayOf, hourOf, toUtcIso } from "./time";

export const BRONZE_PREFIX = "bronze/events/";

export interface DeliveredMessage {
  body: unknown;
  /** Delivery time; partitions a body whose `occurred_at` is unreadable. */
  timestamp: Date;
}

export interface BronzeObjectPlan {
  dt: string;
  hr: string;
  ndjson: string;
  count: number;
  minOccurredAt: string;
  maxOccurredAt: string;
}

export interface BronzeMetadata {
  count: string;
  min_occurred_at: string;
  max_occurred_at: string;
  sha256: string;
  [key: string]: string;
}

/** JSON text of any message body; a body JSON cannot represent (a cycle, a BigInt) is kept as its string form. */
export function safeJson(body: unknown): string {
  try {
    return JSON.stringify(body ?? null) ?? "null";
  } catch {
    return JSON.stringify(String(body));
  }
}

/**
 * The instant a raw body belongs to: the instant Gold files it under, so a
 * ranged replay that reads a month's partitions finds every event of that
 * month. That is its own `occurred_at`, except for an annotation, which Gold
 * files under the entry it annotates (`payload.entry_occurred_at`) however
 * much later it was made; the delivery time when neither is readable.
 */
export function bronzeInstant(body: unknown, delivered: Date): string {
  if (!body || typeof body !== "object") return delivered.toISOString();
  const b = body as { type?: unknown; occurred_at?: unknown; payload?: { entry_occurred_at?: unknown } };
  const filedAt = b.type === "transaction_annotated" ? toUtcIso(b.payload?.entry_occurred_at) : null;
  return filedAt ?? toUtcIso(b.occurred_at) ?? delivered.toISOString();
}

/** One NDJSON line per delivered message, in delivery order, grouped by partition. */
export function planBronzeObjects(messages: readonly DeliveredMessage[]): BronzeObjectPlan[] {
  const groups = new Map<string, { dt: string; hr: string; lines: string[]; min: string; max: string }>();
  for (const m of messages) {
    const at = bronzeInstant(m.body, m.timestamp);
    const dt = dayOf(at);
    const hr = hourOf(at);
    const key = `${dt}/${hr}`;
    let g = groups.get(key);
    if (!g) {
      g = { dt, hr, lines: [], min: at, max: at };
      groups.set(key, g);
    }
    g.lines.push(safeJson(m.body));
    if (at < g.min) g.min = at;
    if (at > g.max) g.max = at;
  }
  return [...groups.values()].map((g) => ({
    dt: g.dt,
    hr: g.hr,
    ndjson: g.lines.join("\n") + "\n",
    count: g.lines.length,
    minOccurredAt: g.min,
    maxOccurredAt: g.max,
  }));
}

export function bronzeKey(dt: string, hr: string, sha256Hex: string): string {
  return `${BRONZE_PREFIX}dt=${dt}/hr=${hr}/${sha256Hex.slice(0, 32)}.ndjson.gz`;
}

export function bronzeDayPrefix(day: string): string {
  return `${BRONZE_PREFIX}dt=${day}/`;
}

/** The partition date of a Bronze key, or null for anything else under the prefix. */
export function dayOfBronzeKey(key: string): string | null {
  const m = /^bronze\/events\/dt=(\d{4}-\d{2}-\d{2})\//.exec(key);
  return m?.[1] ?? null;
}

export function parseNdjson(text: string): unknown[] {
  const out: unknown[] = [];
  for (const line of text.split("\n")) {
    if (!line) continue;
    try {
      out.push(JSON.parse(line));
    } catch {
      out.push(line);
    }
  }
  return out;
}
