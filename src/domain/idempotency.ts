/**
 * The Idempotency-Key contract (Stripe / IETF draft): same key and same request
 * → the stored first reply byte for byte; same key, other request → 422; same
 * key while the first is still running → 409. Keys are kept at least 24 hours.
 */
import { DomainError } from "./errors";
import { sha256Hex } from "./hash-chain";

export const IDEMPOTENCY_RETENTION_MS = 48 * 3600 * 1000;
export const IDEMPOTENCY_KEY_PATTERN = /^[\x21-\x7e]{1,255}$/;

export interface StoredReply {
  status: number;
  body: string;
}

export interface IdempotencyRecord {
  fingerprint: string;
  status: "in_progress" | "done";
  reply: StoredReply | null;
}

/** Canonical fingerprint of an operation and its validated input (key order does not matter). */
export function fingerprint(operation: string, input: unknown): string {
  return sha256Hex(`${operation}\n${canonicalJson(input)}`);
}

function canonicalJson(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonicalJson).join(",")}]`;
  if (v && typeof v === "object") {
    const entries = Object.entries(v as Record<string, unknown>)
      .filter(([, x]) => x !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, x]) => `${JSON.stringify(k)}:${canonicalJson(x)}`).join(",")}}`;
  }
  return JSON.stringify(v);
}

/** What to do with a request given the key's record: replay the stored reply, refuse, or execute. */
export function decideIdempotency(record: IdempotencyRecord | null, fp: string): { replay: StoredReply } | { execute: true } {
  if (!record) return { execute: true };
  if (record.fingerprint !== fp) {
    throw new DomainError("idempotency_key_reused", "This Idempotency-Key was used with a different request");
  }
  if (record.status === "in_progress" || !record.reply) {
    throw new DomainError("idempotency_in_progress", "A request with this Idempotency-Key is still being processed; retry later");
  }
  return { replay: record.reply };
}
