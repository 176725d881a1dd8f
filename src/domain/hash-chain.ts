/**
 * The journal's hash chain: each entry commits to the previous entry's hash,
 * so any edit or deletion is detectable. SHA-256 must be synchronous to run
 * inside the Durable Object's synchronous transaction: @noble/hashes (audited,
 * pure JS) over the UTF-8 bytes, which in workerd costs a fraction of
 * node:crypto's stream-backed Hash objects and Buffer conversions.
 */
import { sha256 } from "@noble/hashes/sha2.js";
import { bytesToHex } from "@noble/hashes/utils.js";

const utf8 = new TextEncoder();

export const GENESIS_HASH = "0".repeat(64);

/** Fields covered by the hash, in a fixed order. */
export interface HashedEntry {
  seq: number;
  entry_id: string;
  kind: string;
  debit_account: string;
  credit_account: string;
  amount: number;
  currency: string;
  balance_after: number;
  occurred_at: string;
  recorded_at: string;
  transfer_id: string | null;
  reverses_entry_id: string | null;
  description: string | null;
  merchant: string | null;
  category: string | null;
  metadata: string | null;
}

export function entryHash(prevHash: string, e: HashedEntry): string {
  const canonical = JSON.stringify([
    e.seq,
    e.entry_id,
    e.kind,
    e.debit_account,
    e.credit_account,
    e.amount,
    e.currency,
    e.balance_after,
    e.occurred_at,
    e.recorded_at,
    e.transfer_id,
    e.reverses_entry_id,
    e.description,
    e.merchant,
    e.category,
    e.metadata,
  ]);
  return sha256Hex(`${prevHash}\n${canonical}`);
}

export function sha256Hex(text: string): string {
  return bytesToHex(sha256(utf8.encode(text)));
}
