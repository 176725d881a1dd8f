/**
 * Payments out of the platform (issue 13): each user's payees, and the
 * simulated external processor's keyed record of what it executed (one row
 * per payment id: a payment is never executed twice, and a repeated call
 * answers the first outcome).
 */
import { index, integer, sqliteTable, text } from "drizzle-orm/sqlite-core";

/**
 * A payee (a linked external account). The account reference is never stored
 * in the clear: its last 4 characters for display, and an HMAC-SHA-256 of it
 * under the server's key for the processor (equal references, equal hashes).
 * Deleted payees keep their row (`deleted_at`) so payments in flight settle.
 */
export const payees = sqliteTable(
  "payees",
  {
    id: text("id").primaryKey(),
    userId: text("user_id").notNull(),
    name: text("name").notNull(),
    institutionId: text("institution_id"),
    accountLast4: text("account_last4").notNull(),
    accountRefHash: text("account_ref_hash").notNull(),
    createdAt: text("created_at").notNull(),
    deletedAt: text("deleted_at"),
  },
  (t) => [index("payees_user_idx").on(t.userId, t.createdAt)],
);

/** The simulated processor's executions, by idempotency key (the payment id). */
export const processorExecutions = sqliteTable("processor_executions", {
  key: text("key").primaryKey(),
  outcome: text("outcome", { enum: ["success", "declined", "processor_unavailable"] }).notNull(),
  reference: text("reference"),
  message: text("message"),
  amount: integer("amount").notNull(),
  currency: text("currency").notNull(),
  /** The processor calls that reached it for this key (the first executes, the rest answer it). */
  calls: integer("calls").notNull().default(1),
  executedAt: integer("executed_at").notNull(),
});
