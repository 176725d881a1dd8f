/**
 * The account registry: which accounts a user has. Written when an account is
 * opened or closed; the money hot path never reads it (each AccountDO knows its owner).
 */
import { index, integer, sqliteTable, text } from "drizzle-orm/sqlite-core";

export const accounts = sqliteTable(
  "accounts",
  {
    id: text("id").primaryKey(),
    userId: text("user_id").notNull(),
    type: text("type", { enum: ["checking", "savings", "credit", "brokerage"] }).notNull(),
    currency: text("currency").notNull(),
    name: text("name").notNull(),
    creditLimit: integer("credit_limit").notNull().default(0),
    status: text("status", { enum: ["open", "closed"] })
      .notNull()
      .default("open"),
    createdAt: text("created_at").notNull(),
    closedAt: text("closed_at"),
  },
  (t) => [index("accounts_user_idx").on(t.userId, t.createdAt)],
);
