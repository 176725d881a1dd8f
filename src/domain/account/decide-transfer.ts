/**
 * The transfer saga's steps as decisions. Source: place (hold), begin posting
 * (phase `crediting`: the credit may be at the destination), settle with the
 * destination's answer, void, expire. Destination: receive, once per
 * transfer id. The shell runs the steps and the alarm finishes them.
 */
import { DomainError } from "../errors";
import type { CommandOf } from "./commands";
import type { AccountEvent } from "./events";
import { assertOpen, canReceive, decideHold, type Account } from "./rules";
import type { DecideContext, Transfer } from "./state";
import { DEFAULT_PENDING_SECONDS, decidePost, decideVoid, isExpired, validateTransferRequest } from "./transfer-rules";

export const TRANSFER_REJECTED = "The destination account cannot receive this transfer";

function transferOf(ctx: DecideContext, id: string): Transfer {
  const t = ctx.reads.transfer(id);
  if (!t) throw new DomainError("not_found", "Transfer not found");
  return t;
}

export function decidePlaceTransfer(c: CommandOf<"place_transfer">, a: Account, ctx: DecideContext): AccountEvent[] {
  validateTransferRequest(a.id, c.toAccountId);
  if (!c.destinationAcceptable) throw new DomainError("transfer_rejected", TRANSFER_REJECTED);
  decideHold(a, c.amount);
  const immediate = c.mode === "immediate";
  const transfer: Transfer = {
    id: ctx.newTransferId(),
    userId: a.userId,
    fromAccountId: a.id,
    toAccountId: c.toAccountId,
    amount: c.amount,
    creditAmount: immediate ? c.amount : null,
    postedAmount: null,
    currency: a.currency,
    mode: c.mode,
    status: "pending",
    phase: immediate ? "crediting" : "reserved",
    description: c.description ?? null,
    expiresAt: immediate ? null : new Date(Date.parse(ctx.now) + (c.expiresInSeconds ?? DEFAULT_PENDING_SECONDS) * 1000).toISOString(),
    createdAt: ctx.now,
    updatedAt: ctx.now,
    op: immediate ? { key: c.key, name: "create", requestId: c.requestId } : null,
  };
  return [{ type: "transfer_pending", transfer }];
}

export function decideBeginPost(c: CommandOf<"begin_transfer_post">, ctx: DecideContext): AccountEvent[] {
  const t = transferOf(ctx, c.transferId);
  const creditAmount = decidePost(t, c.amount, ctx.now);
  return [{ type: "transfer_crediting", transferId: t.id, creditAmount, op: { key: c.key, name: "post", requestId: c.requestId } }];
}

/** The destination answered: post the debit leg and release the hold, or release it all. Nothing if already settled. */
export function decideSettle(c: CommandOf<"settle_transfer">, a: Account, ctx: DecideContext): AccountEvent[] {
  const t = transferOf(ctx, c.transferId);
  if (t.phase !== "crediting" || t.creditAmount === null) return [];
  if (!c.credited) return [{ type: "transfer_voided", transferId: t.id, amount: t.amount, reason: "rejected" }];
  const posted = t.creditAmount;
  return [
    {
      type: "transaction_posted",
      entry: {
        entryId: ctx.newEntryId(),
        kind: "transfer_out",
        direction: "debit",
        amount: posted,
        counterparty: `account:${t.toAccountId}`,
        occurredAt: ctx.now,
        // The hold already covered this debit against the floor.
        balanceAfter: a.posted - posted,
        description: t.description,
        merchant: null,
        category: null,
        metadata: null,
        transferId: t.id,
        reversesEntryId: null,
        reversesKind: null,
      },
    },
    { type: "transfer_posted", transferId: t.id, amount: posted, released: t.amount - posted },
  ];
}

export function decideVoidTransfer(c: CommandOf<"void_transfer">, ctx: DecideContext): AccountEvent[] {
  const t = transferOf(ctx, c.transferId);
  decideVoid(t);
  return [{ type: "transfer_voided", transferId: t.id, amount: t.amount, reason: "voided" }];
}

/** Void a pending transfer past its expiry; nothing if it was settled or is not due. */
export function decideExpire(c: CommandOf<"expire_transfer">, ctx: DecideContext): AccountEvent[] {
  const t = ctx.reads.transfer(c.transferId);
  if (!t || !isExpired(t, ctx.now)) return [];
  return [{ type: "transfer_voided", transferId: t.id, amount: t.amount, reason: "expired" }];
}

export type ReceiveRefusal = "closed" | "currency" | "limit";

/** Credit an incoming transfer once; a repeat decides nothing (the shell answers with the first entry). */
export function decideReceive(c: CommandOf<"receive_transfer">, a: Account, ctx: DecideContext): AccountEvent[] {
  if (ctx.reads.received(c.transferId)) return [];
  const refuse = (reason: ReceiveRefusal) => new DomainError("transfer_rejected", TRANSFER_REJECTED, { reason });
  try {
    assertOpen(a);
  } catch {
    throw refuse("closed");
  }
  if (a.currency !== c.currency) throw refuse("currency");
  if (!canReceive(a, c.amount)) throw refuse("limit");
  const entryId = ctx.newEntryId();
  return [
    {
      type: "transaction_posted",
      entry: {
        entryId,
        kind: "transfer_in",
        direction: "credit",
        amount: c.amount,
        counterparty: `account:${c.fromAccountId}`,
        occurredAt: ctx.now,
        balanceAfter: a.posted + c.amount,
        description: null,
        merchant: null,
        category: null,
        metadata: null,
        transferId: c.transferId,
        reversesEntryId: null,
        reversesKind: null,
      },
    },
    { type: "transfer_received", transferId: c.transferId, fromAccountId: c.fromAccountId, amount: c.amount, entryId },
  ];
}
