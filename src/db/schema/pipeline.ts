/**
 * D1 tables of the event pipeline: Silver (de-duplicated events keyed by
 * event_id), the enrichment rules, dead letters, audit rows, background jobs
 * and the Gold aggregates. Every Gold table is derived: wiping it and replaying
 * Bronze rebuilds it exactly, because each row is a sum of per-event deltas.
 */
import { index, integer, primaryKey, sqliteTable, text } from "drizzle-orm/sqlite-core";

/** Silver: one row per distinct event_id; a second delivery is a duplicate, never applied twice. */
export const silverEvents = sqliteTable(
  "silver_events",
  {
    eventId: text("event_id").primaryKey(),
    type: text("type").notNull(),
    version: integer("version").notNull(),
    accountId: text("account_id").notNull(),
    userId: text("user_id").notNull(),
    seq: integer("seq").notNull(),
    /** UTC ISO-8601, normalized from whatever offset the producer used. */
    occurredAt: text("occurred_at").notNull(),
    eventDate: text("event_date").notNull(),
    recordedAt: text("recorded_at").notNull(),
    /** The pipeline run (consumer batch or replay chunk) that applied the event. */
    runId: text("run_id").notNull(),
    /** The validated payload, plus `merchant_normalized` and `category` for transactions. */
    payload: text("payload").notNull(),
  },
  (t) => [index("silver_events_user_date_idx").on(t.userId, t.eventDate), index("silver_events_date_idx").on(t.eventDate)],
);

/** Ordered enrichment rules: the first enabled rule whose pattern matches wins. */
export const merchantRules = sqliteTable(
  "merchant_rules",
  {
    id: text("id").primaryKey(),
    priority: integer("priority").notNull(),
    field: text("field", { enum: ["merchant", "description"] })
      .notNull()
      .default("merchant"),
    /** A case-insensitive JavaScript regular expression. */
    pattern: text("pattern").notNull(),
    merchant: text("merchant"),
    category: text("category"),
    enabled: integer("enabled", { mode: "boolean" }).notNull().default(true),
  },
  (t) => [index("merchant_rules_priority_idx").on(t.priority)],
);

/** Events the pipeline could not apply: kept with the reason until replayed or discarded. */
export const deadLetters = sqliteTable(
  "dead_letters",
  {
    /** `dl_` + SHA-256 prefix of the raw body: the same poison message is one row. */
    id: text("id").primaryKey(),
    eventId: text("event_id"),
    sourceQueue: text("source_queue").notNull(),
    rawBody: text("raw_body").notNull(),
    error: text("error").notNull(),
    /** How many times the body reached the dead-letter consumer. */
    attempts: integer("attempts").notNull().default(1),
    /** Delivery attempts on the source queue at the last arrival. */
    deliveryAttempts: integer("delivery_attempts").notNull().default(1),
    firstSeenAt: text("first_seen_at").notNull(),
    lastSeenAt: text("last_seen_at").notNull(),
    status: text("status", { enum: ["open", "replayed", "discarded"] })
      .notNull()
      .default("open"),
    resolvedAt: text("resolved_at"),
    resolvedBy: text("resolved_by"),
    /** The corrected body an operator replayed instead of raw_body (JSON text); null when replayed as stored. */
    correctedBody: text("corrected_body"),
  },
  (t) => [index("dead_letters_status_seen_idx").on(t.status, t.firstSeenAt)],
);

/**
 * Dead-lettered bodies a replay leaves out of Bronze, fixed when the replay
 * starts: the live pipeline never applied them (or applied a correction
 * instead), so a rebuild from the archive must not either.
 */
export const replayExclusions = sqliteTable(
  "replay_exclusions",
  {
    jobId: text("job_id").notNull(),
    deadLetterId: text("dead_letter_id").notNull(),
    eventId: text("event_id").notNull(),
  },
  (t) => [primaryKey({ columns: [t.jobId, t.deadLetterId] })],
);

/** Audit: one row per consumer batch or replay chunk, failures included. */
export const pipelineRuns = sqliteTable(
  "pipeline_runs",
  {
    id: text("id").primaryKey(),
    queue: text("queue").notNull(),
    jobId: text("job_id"),
    startedAt: text("started_at").notNull(),
    finishedAt: text("finished_at").notNull(),
    durationMs: integer("duration_ms").notNull(),
    messages: integer("messages").notNull(),
    bronzeObjects: integer("bronze_objects").notNull().default(0),
    valid: integer("valid").notNull().default(0),
    invalid: integer("invalid").notNull().default(0),
    duplicates: integer("duplicates").notNull().default(0),
    goldRows: integer("gold_rows").notNull().default(0),
    status: text("status", { enum: ["ok", "failed"] }).notNull(),
    error: text("error"),
  },
  (t) => [index("pipeline_runs_started_idx").on(t.startedAt, t.id), index("pipeline_runs_queue_idx").on(t.queue, t.startedAt)],
);

/** Background jobs (replay, export), driven chunk by chunk through the JOBS queue. */
export const jobs = sqliteTable(
  "jobs",
  {
    id: text("id").primaryKey(),
    kind: text("kind", { enum: ["replay", "export", "rules_apply"] }).notNull(),
    status: text("status", { enum: ["queued", "running", "succeeded", "failed"] }).notNull(),
    createdBy: text("created_by").notNull(),
    params: text("params").notNull(),
    /** Where the next chunk starts; a redelivered step with a stale cursor is ignored. */
    cursor: text("cursor"),
    step: integer("step").notNull().default(0),
    processed: integer("processed").notNull().default(0),
    total: integer("total"),
    result: text("result"),
    error: text("error"),
    createdAt: text("created_at").notNull(),
    startedAt: text("started_at"),
    finishedAt: text("finished_at"),
    /** Last progress; a running job silent for long is re-driven by its next stale message. */
    heartbeatAt: text("heartbeat_at").notNull(),
  },
  (t) => [index("jobs_kind_status_idx").on(t.kind, t.status), index("jobs_created_by_idx").on(t.createdBy, t.createdAt)],
);

/** Gold: per account and UTC day. closing_balance = running sum of net, recomputed when an earlier day changes. */
export const goldDailyBalances = sqliteTable(
  "gold_daily_balances",
  {
    accountId: text("account_id").notNull(),
    day: text("day").notNull(),
    userId: text("user_id").notNull(),
    currency: text("currency").notNull(),
    inflow: integer("inflow").notNull().default(0),
    outflow: integer("outflow").notNull().default(0),
    net: integer("net").notNull().default(0),
    entries: integer("entries").notNull().default(0),
    closingBalance: integer("closing_balance").notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.accountId, t.day] }), index("gold_daily_balances_user_idx").on(t.userId, t.day)],
);

/** Gold: spending (purchases − refunds, reversals folded in) per user × month × category or merchant. */
export const goldSpending = sqliteTable(
  "gold_spending",
  {
    userId: text("user_id").notNull(),
    month: text("month").notNull(),
    dimension: text("dimension", { enum: ["category", "merchant"] }).notNull(),
    key: text("key").notNull(),
    currency: text("currency").notNull(),
    purchases: integer("purchases").notNull().default(0),
    refunds: integer("refunds").notNull().default(0),
    amount: integer("amount").notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.userId, t.month, t.dimension, t.key, t.currency] })],
);

/** Gold: per account × month × kind, reversals folded into the kind they cancel. Feeds income/expense summaries. */
export const goldMonthlyFlows = sqliteTable(
  "gold_monthly_flows",
  {
    accountId: text("account_id").notNull(),
    month: text("month").notNull(),
    kind: text("kind").notNull(),
    userId: text("user_id").notNull(),
    currency: text("currency").notNull(),
    count: integer("count").notNull().default(0),
    amount: integer("amount").notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.accountId, t.month, t.kind] }), index("gold_monthly_flows_user_idx").on(t.userId, t.month)],
);

/** Gold: the platform's daily mart — transactions and volume per day × currency × kind. */
export const goldPlatformDaily = sqliteTable(
  "gold_platform_daily",
  {
    day: text("day").notNull(),
    currency: text("currency").notNull(),
    kind: text("kind").notNull(),
    count: integer("count").notNull().default(0),
    volume: integer("volume").notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.day, t.currency, t.kind] })],
);

/**
 * Gold: transfer lifecycle, one row per (transfer, stage). A transfer is pending
 * while it has a `pending` row and no `resolved` row, whatever order they arrive in.
 */
export const goldTransfers = sqliteTable(
  "gold_transfers",
  {
    transferId: text("transfer_id").notNull(),
    stage: text("stage", { enum: ["pending", "resolved"] }).notNull(),
    accountId: text("account_id").notNull(),
    userId: text("user_id").notNull(),
    toAccountId: text("to_account_id"),
    currency: text("currency").notNull(),
    /** pending: amount held; resolved: amount posted (0 when voided). */
    amount: integer("amount").notNull(),
    released: integer("released").notNull().default(0),
    status: text("status", { enum: ["pending", "posted", "voided"] }).notNull(),
    day: text("day").notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.transferId, t.stage] }),
    index("gold_transfers_account_idx").on(t.accountId, t.stage),
    index("gold_transfers_day_idx").on(t.day),
  ],
);
