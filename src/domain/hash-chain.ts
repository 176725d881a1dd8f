/**
 * The journal's hash chain: each entry commits to the previous entry's hash,
 * so any edit or deletion is detectable. Synchronous SHA-256 (node:crypto) so
 * it runs inside the Durable Object's synchronous transaction.
 */
import { createHash } from "node:crypto";

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
    e.seq, e.entry_id, e.kind, e.debit_account, e.credit_account, e.amount, e.currency, e.balance_after,
    e.occurred_at, e.recorded_at, e.transfer_id, e.reverses_entry_id, e.description, e.merchant, e.category, e.metadata,
  ]);
  return createHash("sha256").update(prevHash).update("\n").update(canonical).digest("hex");
}

export function sha256Hex(text: string): string {
  return createHash("sha256").update(text).digest("hex");
}
