/**
 * Two-phase transfers, after TigerBeetle's pending / post / void. The source
 * account owns the transfer: it reserves a hold, the destination credits
 * idempotently by transfer id, then the source posts. `phase` records what is
 * in flight so a crash between the two objects' steps can be finished later.
 */
import { DomainError } from "../errors";

export type TransferStatus = "pending" | "posted" | "voided" | "failed";
/** reserved: hold placed, nothing sent; crediting: credit of `creditAmount` may be at the destination; settled: final. */
export type TransferPhase = "reserved" | "crediting" | "settled";

export interface TransferState {
  id: string;
  fromAccountId: string;
  toAccountId: string;
  amount: number;
  creditAmount: number | null;
  postedAmount: number | null;
  currency: string;
  mode: "immediate" | "pending";
  status: TransferStatus;
  phase: TransferPhase;
  expiresAt: string | null;
}

export const MAX_PENDING_SECONDS = 30 * 24 * 3600;
export const DEFAULT_PENDING_SECONDS = 7 * 24 * 3600;

export function validateTransferRequest(fromId: string, toId: string): void {
  if (fromId === toId) throw new DomainError("transfer_rejected", "Source and destination must be different accounts");
}

/**
 * Begin posting: returns the amount to credit. Posting a smaller amount
 * releases the rest of the hold. A transfer past its expiry cannot be posted,
 * even before the alarm has voided it.
 */
export function decidePost(t: TransferState, requested: number | undefined, nowIso: string): number {
  if (t.status !== "pending" || t.phase !== "reserved") {
    throw new DomainError("invalid_state", `Transfer is ${t.phase === "crediting" ? "already being posted" : t.status}`);
  }
  if (isExpired(t, nowIso)) throw new DomainError("invalid_state", "Transfer expired", { expires_at: t.expiresAt });
  const amount = requested ?? t.amount;
  if (amount > t.amount) throw new DomainError("unprocessable", "Cannot post more than the pending amount", { pending: t.amount });
  return amount;
}

export function decideVoid(t: TransferState): void {
  if (t.status !== "pending" || t.phase !== "reserved") {
    throw new DomainError("invalid_state", `Transfer is ${t.phase === "crediting" ? "being posted" : t.status} and cannot be voided`);
  }
}

export function isExpired(t: TransferState, nowIso: string): boolean {
  return t.status === "pending" && t.phase === "reserved" && t.expiresAt !== null && t.expiresAt <= nowIso;
}
