/**
 * Gold cashback (issue 12, "Cashback"): the estimate per user × month × rule
 * × currency, maintained by the EVENTS consumer (src/lib/intel/cashback-gold.ts
 * recomputes a user's month from silver_transactions whenever a posted entry
 * or annotation of that month lands) and rebuilt by replays. Integer minor
 * units; `reversed` is what refunds and reversals took back.
 */
import { index, integer, primaryKey, sqliteTable, text } from "drizzle-orm/sqlite-core";

export const goldCashback = sqliteTable(
  "gold_cashback",
  {
    userId: text("user_id").notNull(),
    /** YYYY-MM (UTC) of the entries counted. */
    month: text("month").notNull(),
    ruleId: text("rule_id").notNull(),
    currency: text("currency").notNull(),
    accountId: text("account_id").notNull(),
    purchases: integer("purchases").notNull(),
    earned: integer("earned").notNull(),
    reversed: integer("reversed").notNull(),
    net: integer("net").notNull(),
  },
  (t) => [primaryKey({ columns: [t.userId, t.month, t.ruleId, t.currency] }), index("gold_cashback_month_idx").on(t.month)],
);
