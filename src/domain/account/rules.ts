/**
 * Account rules as pure functions: what a command decides given the account's
 * state. The floor (0, or −credit_limit for credit) is checked against the
 * available balance, which counts holds, so no sequence of commands takes an
 * account below it.
 */
import type { TransactionKind } from "../../events/catalog";
import { DomainError } from "../errors";
import { MAX_BALANCE } from "../money";

import type { AccountStatus, AccountType } from "./kinds";

export { ACCOUNT_STATUSES, ACCOUNT_TYPES, type AccountStatus, type AccountType } from "./kinds";

/** The account's own facts and counters: what every decision about it reads. */
export interface Account {
  id: string;
  userId: string;
  type: AccountType;
  currency: string;
  name: string;
  creditLimit: number;
  status: AccountStatus;
  /** Sum of posted entries, signed. */
  posted: number;
  /** Sum of active holds (pending outgoing transfers, resting buy orders). */
  pending: number;
  createdAt: string;
  closedAt: string | null;
}

export interface Balance {
  posted: number;
  pending: number;
  available: number;
}

export function floorOf(a: Pick<Account, "type" | "creditLimit">): number {
  return a.type === "credit" ? -a.creditLimit : 0;
}

export function balanceOf(a: Account): Balance {
  return { posted: a.posted, pending: a.pending, available: a.posted - a.pending + (a.type === "credit" ? a.creditLimit : 0) };
}

export type Direction = "credit" | "debit";

/** Money in (credit) or out (debit) of the account for each transaction kind. */
export const DIRECTION: Record<TransactionKind, Direction> = {
  deposit: "credit",
  refund: "credit",
  interest: "credit",
  withdrawal: "debit",
  purchase: "debit",
  fee: "debit",
};

/** The other side of each kind's double entry. */
export function counterpartyOf(kind: TransactionKind, merchant: string | null): string {
  switch (kind) {
    case "deposit":
    case "withdrawal":
      return "external:cash";
    case "purchase":
    case "refund":
      return `merchant:${merchant ?? "unknown"}`;
    case "fee":
      return "platform:fees";
    case "interest":
      return "platform:interest";
  }
}

export function signed(direction: Direction, amount: number): number {
  return direction === "credit" ? amount : -amount;
}

export function assertOpen(a: Account): void {
  if (a.status !== "open") throw new DomainError("account_closed", "The account is closed");
}

/** The balance after moving `amount` in `direction`, or insufficient_funds when it would cross the floor. */
export function decideMovement(a: Account, direction: Direction, amount: number): number {
  assertOpen(a);
  const after = a.posted + signed(direction, amount);
  if (direction === "debit" && after - a.pending < floorOf(a)) {
    throw new DomainError("insufficient_funds", "Insufficient available balance for this debit", {
      available: balanceOf(a).available,
      requested: amount,
    });
  }
  if (direction === "credit" && !canReceive(a, amount)) {
    throw new DomainError("unprocessable", "The balance would exceed the maximum an account may hold", { max_balance: MAX_BALANCE });
  }
  return after;
}

/** Whether crediting `amount` keeps the balance within MAX_BALANCE (so it stays exact). */
export function canReceive(a: Pick<Account, "posted">, amount: number): boolean {
  return a.posted + amount <= MAX_BALANCE;
}

/** A hold reserves funds for an outgoing transfer or payment; it counts against the floor at once. */
export function decideHold(a: Account, amount: number, what: "transfer" | "payment" = "transfer"): void {
  assertOpen(a);
  if (a.posted - a.pending - amount < floorOf(a)) {
    throw new DomainError("insufficient_funds", `Insufficient available balance for this ${what}`, {
      available: balanceOf(a).available,
      requested: amount,
    });
  }
}

export function decideClose(a: Account): void {
  assertOpen(a);
  if (a.posted !== 0 || a.pending !== 0) {
    throw new DomainError("account_not_empty", "Only an account with a zero balance and no pending transfers can be closed", balanceOf(a));
  }
}

/** A reversal moves the same amount the other way, once, and may not take the account below its floor. */
export function decideReversal(
  a: Account,
  original: { kind: string; direction: Direction; amount: number; reversedBy: string | null },
): { direction: Direction; balanceAfter: number } {
  if (original.kind === "reversal") throw new DomainError("invalid_state", "A reversal cannot itself be reversed");
  if (original.kind === "transfer_in" || original.kind === "transfer_out") {
    throw new DomainError("invalid_state", "Transfer legs are settled through the transfer, not reversed");
  }
  if (original.kind === "trade_buy" || original.kind === "trade_sell") {
    throw new DomainError("invalid_state", "A trade's cash leg is part of the trade and cannot be reversed");
  }
  if (original.reversedBy)
    throw new DomainError("already_reversed", "This transaction has already been reversed", { reversed_by: original.reversedBy });
  const direction: Direction = original.direction === "credit" ? "debit" : "credit";
  return { direction, balanceAfter: decideMovement(a, direction, original.amount) };
}

export const BACKDATE_DAYS = 90;
export const BACKDATE_LIMIT_MS = BACKDATE_DAYS * 86_400_000;
/** Clock skew tolerated for a client-supplied event time "now". */
const FUTURE_SKEW_MS = 60_000;

/**
 * Event time may be in the past (within 90 days, or `limitDays` where a local environment raised it for the
 * demo year: src/config.ts backdateDays), never in the future.
 */
export function validateOccurredAt(occurredAt: string, nowMs: number, limitDays: number = BACKDATE_DAYS): string {
  const t = Date.parse(occurredAt);
  if (Number.isNaN(t)) throw new DomainError("validation_error", "occurred_at must be an ISO 8601 date-time");
  if (t > nowMs + FUTURE_SKEW_MS) throw new DomainError("validation_error", "occurred_at cannot be in the future");
  if (t < nowMs - limitDays * 86_400_000)
    throw new DomainError("validation_error", `occurred_at may be at most ${limitDays} days in the past`);
  return new Date(t).toISOString();
}
