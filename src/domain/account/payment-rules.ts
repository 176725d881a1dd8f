/**
 * Payments out of the platform: the account holds the amount at once, the
 * `payments` queue moves the payment pending → processing → success | failed
 * through the external processor, and success posts the hold as a withdrawal
 * to the payee's counter-account. A payment may be canceled while pending.
 */
import { DomainError } from "../errors";

export const PAYMENT_STATUSES = ["pending", "processing", "success", "failed", "canceled"] as const;
export type PaymentStatus = (typeof PAYMENT_STATUSES)[number];

/** Why a payment failed: the processor declined it, or it could not be reached after every retry. */
export const PAYMENT_FAILURES = ["declined", "processor_unavailable"] as const;
export type PaymentFailure = (typeof PAYMENT_FAILURES)[number];

export interface Payment {
  id: string;
  userId: string;
  payeeId: string;
  amount: number;
  currency: string;
  memo: string | null;
  status: PaymentStatus;
  /** For a failed payment: why (a failure code and the processor's words). */
  reason: string | null;
  /** The processor's reference of a successful payment. */
  processorRef: string | null;
  /** The withdrawal entry of a successful payment. */
  entryId: string | null;
  createdAt: string;
  updatedAt: string;
}

/** What the processor answered for a payment (keyed by payment id, so a repeat answers the same). */
export type ProcessorOutcome = { ok: true; reference: string } | { ok: false; failure: PaymentFailure; message: string };

export const MEMO_MAX = 140;

export function isFinal(s: PaymentStatus): boolean {
  return s === "success" || s === "failed" || s === "canceled";
}

export function decideCancel(p: Payment): void {
  if (p.status !== "pending") throw new DomainError("invalid_state", `Payment is ${p.status} and can no longer be canceled`);
}
