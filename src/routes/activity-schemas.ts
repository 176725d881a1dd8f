/**
 * Schemas of the transaction edits (annotate, delete) and of the lists across
 * all of a caller's accounts.
 */
import { z } from "@hono/zod-openapi";
import { Balance, CATEGORY_PATTERN, Category, Transaction } from "./schemas";
import { isPlainText, PLAIN_TEXT_MESSAGE, text } from "./text-schemas";

/** A tag: a short label of the same slug shape as a category. */
export const Tag = z.string().regex(CATEGORY_PATTERN, "must be a lowercase slug of a-z, 0-9, _ and -, at most 40 characters");

export const AnnotateTransactionBody = z
  .object({
    description: text(500).nullable().optional(),
    merchant: text(200).nullable().optional(),
    category: Category.nullable().optional(),
    tags: z
      .array(Tag)
      .max(20)
      .refine((t) => new Set(t).size === t.length, "tags must be distinct")
      .optional()
      .openapi({ uniqueItems: true, maxItems: 20 }),
    notes: z.string().max(2000).refine(isPlainText, PLAIN_TEXT_MESSAGE).nullable().optional(),
  })
  .strict()
  .refine((b) => Object.keys(b).length > 0, "name at least one field to change")
  .openapi("AnnotateTransaction", {
    description:
      "The descriptive fields to change (null clears one). Amount, kind, sides and the journal row never change; the latest annotation wins in every read.",
  });

export const DeleteTransactionBody = z
  .object({ reason: text(200).optional() })
  .strict()
  .openapi("DeleteTransaction", { description: "Why, kept on the reversing entry's metadata" });

export const DeletedTransaction = z
  .object({
    id: z.string(),
    object: z.literal("transaction"),
    deleted: z.literal(true),
    reversal: Transaction,
    balance: Balance,
  })
  .openapi("DeletedTransaction", { description: "Deleted the ledger way: the entry stays in the journal and this reversal cancels it" });

export const AccountTransaction = Transaction.extend({ account_id: z.string() }).openapi("AccountTransaction");

export const TransferLine = z
  .object({
    id: z.string(),
    object: z.literal("transfer"),
    direction: z.enum(["sent", "received"]),
    account_id: z.string().openapi({ description: "Your account this line belongs to" }),
    counterparty_account_id: z.string(),
    amount: z.number().int(),
    posted_amount: z.number().int().nullable(),
    currency: z.string(),
    status: z.enum(["pending", "posted", "voided", "failed"]),
    created_at: z.string(),
  })
  .openapi("TransferLine", {
    description: "A transfer one of your accounts sent, or one it received (a received one is listed once credited)",
  });
