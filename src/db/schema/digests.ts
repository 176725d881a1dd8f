/**
 * D1 table of stored digests (issue 12, "weekly and monthly digests built by a
 * cron trigger"): one row per user × period kind × period start × currency,
 * written once by the cron run (queues/digests.ts; INSERT OR IGNORE, so a re-run
 * keeps the first) and listed by `GET /v1/insights/digests`. `body` is the
 * digest as src/domain/intel/digest.ts builds it, as JSON.
 */
import { index, primaryKey, sqliteTable, text } from "drizzle-orm/sqlite-core";

export const digests = sqliteTable(
  "digests",
  {
    id: text("id").notNull().unique(),
    userId: text("user_id").notNull(),
    kind: text("kind", { enum: ["weekly", "monthly"] }).notNull(),
    /** The period's first day (YYYY-MM-DD, UTC). */
    periodStart: text("period_start").notNull(),
    /** The period's last day (inclusive). */
    periodEnd: text("period_end").notNull(),
    currency: text("currency").notNull(),
    body: text("body").notNull(),
    createdAt: text("created_at").notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.userId, t.kind, t.periodStart, t.currency] }),
    index("digests_user_start_idx").on(t.userId, t.periodStart),
  ],
);
