/**
 * Zod schemas shared by the money routes: they validate requests and generate
 * the OpenAPI document, so the two cannot disagree.
 */
import { z } from "@hono/zod-openapi";
import { CURRENCY_CODES, MAX_AMOUNT, MAX_BALANCE } from "../domain/money";
import { ENTRY_KINDS, TRANSACTION_KINDS } from "../events/catalog";
import { IDEMPOTENCY_KEY_PATTERN } from "../domain/idempotency";
import { Instant } from "./date-schemas";
import { Metadata, text } from "./text-schemas";

export const Amount = z
  .number()
  .int()
  .positive()
  .max(MAX_AMOUNT)
  .openapi({ description: "Integer amount in minor units of the account's currency (e.g. cents)", example: 1250 });

/** The per-account cap, said where a client can run into it (a credit past it is a 422). */
const BALANCE_CAP = `An account holds at most ${MAX_BALANCE} minor units (MAX_BALANCE, 10^15); a credit that would pass it is refused with 422 and nothing is posted.`;

export const Currency = z.enum(CURRENCY_CODES).openapi({ description: "ISO 4217 code", example: "USD" });

export const AccountId = z
  .string()
  .regex(/^acc_[0-9a-z]{20}$/, "must be an account id")
  .openapi({ example: "acc_0123456789abcdefghjk" });
export const InstitutionId = z
  .string()
  .regex(/^ins_[0-9a-z]{20}$/, "must be an institution id")
  .openapi({ example: "ins_0123456789abcdefghjk" });
export const EntryId = z.string().regex(/^txn_[0-9a-z]{20}$/, "must be a transaction id");
export const TransferId = z.string().regex(/^trf_[0-9a-z]{20}_[0-9a-z]{12}$/, "must be a transfer id");

/**
 * Categories are canonical lowercase slugs, so budgets and spending line up.
 * Exact, never folded: `TRAVEL` or ` travel` is a 400, not another spelling of
 * `travel` (a path like DELETE …/budgets/TRAVEL must not end the `travel` budget).
 */
export const CATEGORY_PATTERN = /^[a-z0-9][a-z0-9_-]{0,39}$/;
export const Category = z
  .string()
  .regex(CATEGORY_PATTERN, "must be a lowercase slug of a-z, 0-9, _ and -, at most 40 characters")
  .openapi({ example: "groceries", description: "A lowercase slug, matched exactly: another spelling (TRAVEL, ' travel') is a 400" });

export const AccountType = z.enum(["checking", "savings", "credit", "brokerage"]);
export const AccountStatus = z.enum(["open", "closed"]);

export const CreateAccountBody = z
  .object({
    type: AccountType,
    currency: Currency.default("USD"),
    name: text(100),
    credit_limit: Amount.optional().openapi({ description: "Credit accounts only" }),
    institution_id: InstitutionId.optional().openapi({
      description: "The institution the account belongs to (404 if unknown); where it allows one account per type, a second is 409",
    }),
  })
  .strict()
  .refine((b) => b.type === "credit" || b.credit_limit === undefined, {
    message: "credit_limit is only for credit accounts",
    path: ["credit_limit"],
  })
  .openapi("CreateAccount");

export const Balance = z
  .object({
    posted: z.number().int().max(MAX_BALANCE).openapi({ description: BALANCE_CAP }),
    pending: z.number().int(),
    available: z.number().int(),
  })
  .openapi("Balance");

export const Account = z
  .object({
    id: z.string(),
    object: z.literal("account"),
    type: AccountType,
    currency: z.string(),
    name: z.string(),
    credit_limit: z.number().int(),
    status: AccountStatus,
    created_at: z.string(),
    closed_at: z.string().nullable(),
    balance: Balance,
    institution_id: z
      .string()
      .nullable()
      .optional()
      .openapi({ description: "In the account list, the reply to an open with institution_id, and /v1/me/banking" }),
  })
  .openapi("Account");

export const CreateTransactionBody = z
  .object({
    kind: z.enum(TRANSACTION_KINDS),
    amount: Amount.openapi({ description: `Integer amount in minor units, at most ${MAX_AMOUNT}. ${BALANCE_CAP}` }),
    description: text(500).optional(),
    merchant: text(200).optional(),
    category: Category.optional(),
    occurred_at: Instant.optional().openapi({
      description: "Event time; up to 90 days in the past (a local environment may raise it: BACKDATE_DAYS), never in the future",
    }),
    metadata: Metadata.optional(),
  })
  .strict()
  .refine((b) => b.merchant === undefined || b.kind === "purchase" || b.kind === "refund", {
    message: "merchant is only for purchases and refunds",
    path: ["merchant"],
  })
  .openapi("CreateTransaction");

export const Transaction = z
  .object({
    id: z.string(),
    object: z.literal("transaction"),
    seq: z.number().int(),
    kind: z.enum(ENTRY_KINDS),
    direction: z.enum(["credit", "debit"]),
    amount: z.number().int(),
    currency: z.string(),
    balance_after: z.number().int(),
    description: z.string().nullable(),
    merchant: z.string().nullable(),
    category: z.string().nullable(),
    tags: z.array(z.string()).openapi({ description: "Labels set by annotations (PATCH); empty until then" }),
    notes: z.string().nullable().openapi({ description: "Free-text note set by annotations (PATCH)" }),
    metadata: z.record(z.string(), z.string()).nullable(),
    transfer_id: z.string().nullable(),
    counterparty: z.string(),
    reverses: z.string().nullable(),
    reversed_by: z.string().nullable(),
    occurred_at: z.string(),
    recorded_at: z.string(),
    hash: z.string(),
  })
  .openapi("Transaction");

export const CreateTransferBody = z
  .object({
    from_account_id: AccountId,
    to_account_id: AccountId,
    amount: Amount.openapi({ description: `Integer amount in minor units, at most ${MAX_AMOUNT}. ${BALANCE_CAP} (for the destination)` }),
    description: text(500).optional(),
    mode: z.enum(["immediate", "pending"]).default("immediate"),
    expires_in_seconds: z
      .number()
      .int()
      .min(60)
      .max(30 * 24 * 3600)
      .optional()
      .openapi({ description: "Pending mode only; default 7 days" }),
  })
  .strict()
  .refine((b) => b.mode === "pending" || b.expires_in_seconds === undefined, {
    message: "expires_in_seconds is only for pending transfers",
    path: ["expires_in_seconds"],
  })
  .openapi("CreateTransfer");

export const Transfer = z
  .object({
    id: z.string(),
    object: z.literal("transfer"),
    from_account_id: z.string(),
    to_account_id: z.string(),
    amount: z.number().int(),
    posted_amount: z.number().int().nullable(),
    currency: z.string(),
    mode: z.enum(["immediate", "pending"]),
    status: z.enum(["pending", "posted", "voided", "failed"]),
    in_flight: z.boolean(),
    description: z.string().nullable(),
    expires_at: z.string().nullable(),
    created_at: z.string(),
    updated_at: z.string(),
  })
  .openapi("Transfer");

export const PutBudgetBody = z
  .object({
    limit: Amount,
    period: z.enum(["monthly", "weekly"]).default("monthly"),
    alert_at: z
      .array(z.number().gt(0).max(10))
      .min(1)
      .max(5)
      .refine((a) => new Set(a).size === a.length, "thresholds must be distinct")
      .default([0.8, 1.0])
      .openapi({ description: "Fractions of the limit, e.g. [0.8, 1.0], each once", uniqueItems: true }),
  })
  .strict()
  .openapi("PutBudget");

export const Budget = z
  .object({
    object: z.literal("budget"),
    category: z.string(),
    limit: z.number().int(),
    currency: z.string(),
    period: z.enum(["monthly", "weekly"]),
    alert_at: z.array(z.number()),
    period_start: z.string(),
    period_end: z.string(),
    spent: z.number().int(),
    remaining: z.number().int(),
    status: z.enum(["ok", "warning", "exceeded"]),
    created_at: z.string(),
    updated_at: z.string(),
  })
  .openapi("Budget");

/**
 * The Idempotency-Key header of every money-moving POST. Optional to the
 * validator so a missing key gets its own 400 (idempotency_key_required) from
 * the route, but documented as required, which it is.
 */
export const IdempotencyHeader = z.object({
  "idempotency-key": z
    .string()
    .optional()
    .openapi({
      param: { required: true },
      description:
        "A unique key per logical request (1 to 255 printable ASCII); a retry with the same key and body replays the first reply",
      minLength: 1,
      maxLength: 255,
      pattern: IDEMPOTENCY_KEY_PATTERN.source,
    }),
});

export const listOf = <T extends z.ZodType>(item: T) =>
  z.object({ object: z.literal("list"), data: z.array(item), has_more: z.boolean(), next_cursor: z.string().nullable().optional() });

/**
 * An integer query parameter, strictly decimal: `0x10`, `1e1`, `+5`, ` 5`,
 * `5.0` and `05` are a 400, where Number() would read each as a number. One
 * schema for every integer in a query string, documented as an integer.
 */
export function integerQuery(min: number, max: number) {
  return z
    .string()
    .regex(/^(0|[1-9][0-9]{0,15})$/, "must be a decimal integer")
    .transform(Number)
    .pipe(z.number().int().min(min).max(max))
    .openapi({ type: "integer", minimum: min, maximum: max });
}

/** A page size: an integer query parameter with a default. */
export const pageLimit = (max: number, def: number) =>
  integerQuery(1, max)
    .optional()
    .transform((v) => v ?? def)
    .openapi({ type: "integer", minimum: 1, maximum: max, default: def, description: `Page size, 1–${max}` });

export const Limit = pageLimit(200, 50);
/** The filters of every transaction list (one account's, or all of the caller's). */
export const TransactionFilters = z.object({
  from: Instant.optional().openapi({ description: "Entries at or after this event time" }),
  to: Instant.optional().openapi({ description: "Entries before this event time (exclusive)" }),
  kind: z.enum(ENTRY_KINDS).optional(),
  category: Category.optional(),
  merchant: z.string().min(1).max(200).optional(),
  min_amount: integerQuery(1, MAX_AMOUNT).optional(),
  max_amount: integerQuery(1, MAX_AMOUNT).optional(),
});

export const Cursor = z
  .string()
  .regex(/^[0-9]{1,15}$/)
  .optional()
  .openapi({ description: "next_cursor from the previous page" });
