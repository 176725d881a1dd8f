/** Schemas of the payee and payment routes: they validate the requests and document them in /openapi.json. */
import { z } from "@hono/zod-openapi";
import { MEMO_MAX, PAYMENT_STATUSES } from "../domain/account/payment-rules";
import { cursorQuery } from "../lib/cursor";
import { Instant } from "./date-schemas";
import { AccountId, Amount, InstitutionId, pageLimit } from "./schemas";

export { InstitutionId };

export const PayeeId = z
  .string()
  .regex(/^pye_[0-9a-z]{20}$/, "must be a payee id")
  .openapi({ example: "pye_0123456789abcdefghjk" });
export const PaymentId = z
  .string()
  .regex(/^pay_[0-9a-z]{20}_[0-9a-z]{12}$/, "must be a payment id")
  .openapi({ example: "pay_0123456789abcdefghjk_0123456789ab" });

/** An external account reference: 4 to 34 letters and digits (an IBAN is at most 34); spaces and dashes are ignored. */
export const AccountRef = z
  .string()
  .max(50)
  .transform((s) => s.replace(/[\s-]/g, "").toUpperCase())
  .pipe(z.string().regex(/^[A-Z0-9]{4,34}$/, "must be 4 to 34 letters and digits (spaces and dashes are ignored)"))
  .openapi({
    type: "string",
    description: "The payee's account number or IBAN; stored as its last 4 and a keyed hash",
    example: "DE89 3704 0044 0532 0130 00",
  });

const Name = z.string().trim().min(1).max(100);

export const CreatePayeeBody = z
  .object({ name: Name.openapi({ example: "Landlord" }), institution_id: InstitutionId.optional(), account_ref: AccountRef })
  .strict()
  .openapi("CreatePayee");

export const Payee = z
  .object({
    id: PayeeId,
    object: z.literal("payee"),
    name: z.string(),
    institution_id: z.string().nullable(),
    account_ref_masked: z.string().openapi({ example: "••••3000" }),
    created_at: z.string(),
  })
  .openapi("Payee");

export const PayeeParam = z.object({ id: PayeeId });
export const PaymentParam = z.object({ id: PaymentId });

export const CreatePaymentBody = z
  .object({
    from_account_id: AccountId,
    payee_id: PayeeId,
    amount: Amount,
    memo: z.string().trim().min(1).max(MEMO_MAX).optional(),
  })
  .strict()
  .openapi("CreatePayment", {
    example: { from_account_id: "acc_0123456789abcdefghjk", payee_id: "pye_0123456789abcdefghjk", amount: 12_500, memo: "Rent" },
  });

export const PaymentStatus = z
  .enum(PAYMENT_STATUSES)
  .openapi({ description: "pending → processing → success | failed; canceled from pending" });

export const Payment = z
  .object({
    id: PaymentId,
    object: z.literal("payment"),
    account_id: z.string(),
    payee_id: z.string(),
    amount: z.number().int(),
    currency: z.string(),
    memo: z.string().nullable(),
    status: PaymentStatus,
    failure_reason: z.string().nullable(),
    entry_id: z.string().nullable().openapi({ description: "The withdrawal entry of a successful payment" }),
    created_at: z.string(),
    updated_at: z.string(),
  })
  .openapi("Payment");

export const PaymentWithHistory = Payment.extend({
  history: z.array(z.object({ status: PaymentStatus, reason: z.string().nullable(), at: z.string() })),
}).openapi("PaymentWithHistory");

export const PaymentQuery = z.object({
  status: PaymentStatus.optional(),
  account_id: AccountId.optional(),
  from: Instant.optional().openapi({ description: "Created at or after" }),
  to: Instant.optional().openapi({ description: "Created before" }),
  limit: pageLimit(100, 25),
  cursor: cursorQuery,
});

export const PageQuery = z.object({ limit: pageLimit(100, 25), cursor: cursorQuery });
