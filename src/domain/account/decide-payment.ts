/**
 * The payment's steps as decisions: place (hold), begin (the processor is
 * about to be asked), settle with the processor's answer (post the hold as a
 * withdrawal, or release it), cancel while pending. Every step is one
 * `payment_status_changed` event carrying the payment after it; a step that
 * finds the payment past it decides nothing, so redeliveries change nothing.
 * A success's withdrawal is dated at the payment's creation (its event date).
 */
import { DomainError } from "../errors";
import type { CommandOf } from "./commands";
import type { AccountEvent } from "./events";
import { decideCancel, MEMO_MAX, type Payment, type PaymentStatus } from "./payment-rules";
import { decideHold, type Account } from "./rules";
import type { DecideContext } from "./state";

function paymentOf(ctx: DecideContext, id: string): Payment {
  const p = ctx.reads.payment(id);
  if (!p) throw new DomainError("not_found", "Payment not found");
  return p;
}

function changed(p: Payment, status: PaymentStatus, now: string, extra: Partial<Payment> = {}): AccountEvent {
  return { type: "payment_status_changed", previous: p.status, payment: { ...p, ...extra, status, updatedAt: now } };
}

export function decidePlacePayment(c: CommandOf<"place_payment">, a: Account, ctx: DecideContext): AccountEvent[] {
  if (c.memo !== undefined && c.memo.length > MEMO_MAX) throw new DomainError("validation_error", `memo is at most ${MEMO_MAX} characters`);
  if (!Number.isSafeInteger(c.amount) || c.amount <= 0) throw new DomainError("validation_error", "amount must be a positive integer");
  decideHold(a, c.amount, "payment");
  const payment: Payment = {
    id: c.paymentId,
    userId: a.userId,
    payeeId: c.payeeId,
    amount: c.amount,
    currency: a.currency,
    memo: c.memo ?? null,
    status: "pending",
    reason: null,
    processorRef: null,
    entryId: null,
    createdAt: ctx.now,
    updatedAt: ctx.now,
  };
  return [{ type: "payment_status_changed", previous: null, payment }];
}

/** pending → processing; nothing when it is already past pending (a redelivery, or canceled meanwhile). */
export function decideBeginPayment(c: CommandOf<"begin_payment">, ctx: DecideContext): AccountEvent[] {
  const p = paymentOf(ctx, c.paymentId);
  return p.status === "pending" ? [changed(p, "processing", ctx.now)] : [];
}

/** processing → success (the hold is posted as a withdrawal) or failed (the hold is released); once. */
export function decideSettlePayment(c: CommandOf<"settle_payment">, a: Account, ctx: DecideContext): AccountEvent[] {
  const p = paymentOf(ctx, c.paymentId);
  if (p.status !== "processing") return [];
  const o = c.outcome;
  if (!o.ok) return [changed(p, "failed", ctx.now, { reason: `${o.failure}: ${o.message}` })];
  const entryId = ctx.newEntryId();
  return [
    {
      type: "transaction_posted",
      entry: {
        entryId,
        kind: "withdrawal",
        direction: "debit",
        amount: p.amount,
        counterparty: `payee:${p.payeeId}`,
        // The financial date is the payment's (its authorization, when the hold was taken), not the
        // processor's answer: a settlement after midnight, or days later, lands on that day in Gold.
        // The entry's recorded_at stays the settlement time.
        occurredAt: p.createdAt,
        // The hold already covered this debit against the floor.
        balanceAfter: a.posted - p.amount,
        description: p.memo ?? "Payment",
        merchant: null,
        category: null,
        metadata: { payment_id: p.id },
        transferId: null,
        reversesEntryId: null,
        reversesKind: null,
      },
    },
    changed(p, "success", ctx.now, { processorRef: o.reference, entryId }),
  ];
}

export function decideCancelPayment(c: CommandOf<"cancel_payment">, ctx: DecideContext): AccountEvent[] {
  const p = paymentOf(ctx, c.paymentId);
  decideCancel(p);
  return [changed(p, "canceled", ctx.now, { reason: "canceled by the payer" })];
}
