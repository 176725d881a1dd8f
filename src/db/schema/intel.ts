/**
 * D1 tables of commerce intelligence (issue 12). `silver_transactions` is the
 * typed Silver view of posted entries: one row per entry with its merchant
 * entity and two-level category, derived from Silver events only (a replay
 * from Bronze rebuilds it exactly). `intel_anomalies` holds each scored
 * transaction whose score is above zero, with its reasons as stored JSON.
 */
import { index, integer, primaryKey, real, sqliteTable, text } from "drizzle-orm/sqlite-core";

export const silverTransactions = sqliteTable(
  "silver_transactions",
  {
    accountId: text("account_id").notNull(),
    entryId: text("entry_id").notNull(),
    userId: text("user_id").notNull(),
    /** The transaction_posted event; null while only an annotation has arrived. */
    eventId: text("event_id"),
    /** UTC ISO-8601 instant of the entry; event_date is its UTC day (replays wipe by it). */
    occurredAt: text("occurred_at").notNull(),
    eventDate: text("event_date").notNull(),
    kind: text("kind").notNull(),
    reversesKind: text("reverses_kind"),
    reversesEntryId: text("reverses_entry_id"),
    direction: text("direction", { enum: ["debit", "credit"] }).notNull(),
    /** Positive integer minor units. */
    amount: integer("amount").notNull(),
    currency: text("currency").notNull(),
    /** The raw texts as posted: never rewritten. */
    rawMerchant: text("raw_merchant"),
    rawDescription: text("raw_description"),
    /** The effective texts (the latest annotation's, else the raw ones). */
    merchant: text("merchant"),
    description: text("description"),
    merchantKey: text("merchant_key").notNull(),
    merchantName: text("merchant_name").notNull(),
    merchantConfidence: real("merchant_confidence").notNull(),
    category: text("category").notNull(),
    categoryPrimary: text("category_primary").notNull(),
    categoryDetailed: text("category_detailed").notNull(),
    categorySource: text("category_source", { enum: ["rule", "learned", "user"] }).notNull(),
    categoryConfidence: real("category_confidence").notNull(),
    /** JSON array of distinct tags: the effective annotation's, then those the user's rules add (in rank order). */
    tags: text("tags").notNull().default("[]"),
    /** The seq of the annotation the effective values come from; 0 = none (the latest annotation wins). */
    annotationSeq: integer("annotation_seq").notNull().default(0),
  },
  (t) => [
    primaryKey({ columns: [t.accountId, t.entryId] }),
    index("silver_transactions_user_merchant_idx").on(t.userId, t.merchantKey, t.occurredAt),
    index("silver_transactions_user_time_idx").on(t.userId, t.occurredAt),
    index("silver_transactions_date_idx").on(t.eventDate),
  ],
);

export const intelAnomalies = sqliteTable(
  "intel_anomalies",
  {
    accountId: text("account_id").notNull(),
    entryId: text("entry_id").notNull(),
    userId: text("user_id").notNull(),
    occurredAt: text("occurred_at").notNull(),
    amount: integer("amount").notNull(),
    currency: text("currency").notNull(),
    merchantKey: text("merchant_key").notNull(),
    /** 0–100, additive. */
    score: integer("score").notNull(),
    riskLevel: text("risk_level", { enum: ["normal", "elevated", "highest"] }).notNull(),
    /** JSON array of {rule_id, reason, observed, baseline, transaction_ids, points}. */
    reasons: text("reasons").notNull(),
    /** The alert_created event sent for an elevated or highest score, else null. */
    alertEventId: text("alert_event_id"),
    scoredAt: text("scored_at").notNull(),
  },
  (t) => [primaryKey({ columns: [t.accountId, t.entryId] }), index("intel_anomalies_user_time_idx").on(t.userId, t.occurredAt)],
);

/** Cashback rules per account (src/domain/intel/cashback.ts); estimates are computed from silver_transactions on read. */
export const cashbackRules = sqliteTable(
  "cashback_rules",
  {
    id: text("id").primaryKey(),
    userId: text("user_id").notNull(),
    accountId: text("account_id").notNull(),
    name: text("name").notNull(),
    scope: text("scope", { enum: ["merchant", "category", "rotating", "all"] }).notNull(),
    scopeValue: text("scope_value"),
    rateBps: integer("rate_bps").notNull(),
    cap: integer("cap"),
    capPeriod: text("cap_period", { enum: ["month", "quarter"] }).notNull(),
    fallbackBps: integer("fallback_bps").notNull().default(0),
    validFrom: text("valid_from").notNull(),
    validTo: text("valid_to"),
    /** JSON: quarter ("2026-Q4") → category keys. */
    rotating: text("rotating").notNull().default("{}"),
    createdAt: text("created_at").notNull(),
  },
  (t) => [index("cashback_rules_user_idx").on(t.userId, t.createdAt)],
);

/** User rules (src/domain/intel/user-rules.ts): conditions and actions as JSON, ranked by stage and specificity. */
export const userRules = sqliteTable(
  "user_rules",
  {
    id: text("id").primaryKey(),
    userId: text("user_id").notNull(),
    stage: text("stage", { enum: ["pre", "default", "post"] }).notNull(),
    conditions: text("conditions").notNull(),
    actions: text("actions").notNull(),
    enabled: integer("enabled", { mode: "boolean" }).notNull().default(true),
    /** user: written by the user; learned: accepted from a learned proposal. */
    source: text("source", { enum: ["user", "learned"] }).notNull(),
    /** A learned rule's confidence when accepted (wins of the last 5); null for the user's own rules. */
    confidence: real("confidence"),
    createdAt: text("created_at").notNull(),
  },
  (t) => [index("user_rules_user_idx").on(t.userId, t.createdAt)],
);
