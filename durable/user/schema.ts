/**
 * The UserDO's SQLite schema: one object per user, holding what belongs to
 * the person rather than to one account. V1: sign-in sessions and the user's
 * status. V2: the notification inbox (durable/user/inbox.ts), its
 * preferences and the devices the user signed in from. V3: the index of the
 * user's price alert rules. V4: their risk alert rules. V5: outbound webhook
 * endpoints and their delivery log (durable/user/webhook-endpoints.ts, webhook-deliveries.ts). V6: the user's
 * verdicts on detected recurring streams and their saved what-if simulations
 * (durable/user/recurring-states.ts, simulations.ts). Forward-only: a new
 * version appends statements, never edits old ones.
 */
import { hasSchema, runMigrations } from "../sqlite-migrations";

const V1 = [
  // One row per live session (a refresh-token family); revoking deletes it.
  `CREATE TABLE sessions (id TEXT PRIMARY KEY, opened_at INTEGER NOT NULL, expires_at INTEGER NOT NULL)`,
  `CREATE INDEX sessions_opened ON sessions (opened_at)`,
  // A single row once the user is disabled.
  `CREATE TABLE user_status (id INTEGER PRIMARY KEY CHECK (id = 1), disabled_at INTEGER NOT NULL)`,
];

const V2 = [
  // seq orders the inbox and makes the public id (ntf_ + 12 digits); AUTOINCREMENT never reuses a pruned one.
  `CREATE TABLE notifications (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    kind TEXT NOT NULL,
    title TEXT NOT NULL,
    body TEXT NOT NULL,
    link TEXT,
    source_event_id TEXT NOT NULL UNIQUE,
    data TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    read_at INTEGER,
    alert_state TEXT CHECK (alert_state IN ('open', 'acknowledged', 'dismissed')),
    alert_changed_at INTEGER
  )`,
  `CREATE INDEX notifications_unread ON notifications (seq) WHERE read_at IS NULL`,
  `CREATE INDEX notifications_kind ON notifications (kind, seq)`,
  `CREATE INDEX notifications_created ON notifications (created_at)`,
  `CREATE INDEX notifications_alerts ON notifications (seq) WHERE alert_state IN ('open', 'acknowledged')`,
  // Every source handled, kept longer than the notifications: a redelivery after a prune or a muted kind stays a no-op.
  `CREATE TABLE notification_sources (source_event_id TEXT PRIMARY KEY, seen_at INTEGER NOT NULL) WITHOUT ROWID`,
  `CREATE INDEX notification_sources_seen ON notification_sources (seen_at)`,
  `CREATE TABLE notification_preferences (id INTEGER PRIMARY KEY CHECK (id = 1), prefs TEXT NOT NULL, updated_at INTEGER NOT NULL)`,
  // A device is a user agent and an IP prefix (never the address).
  `CREATE TABLE known_devices (device TEXT PRIMARY KEY, user_agent TEXT NOT NULL, ip_prefix TEXT NOT NULL, first_seen INTEGER NOT NULL, last_seen INTEGER NOT NULL) WITHOUT ROWID`,
];

/** V3: the user's index of price alert rules (durable/user/price-alert-index.ts); each rule's state is in its symbol's MarketDO. */
const V3_PRICE_ALERTS = [
  `CREATE TABLE price_alert_index (seq INTEGER PRIMARY KEY AUTOINCREMENT, id TEXT NOT NULL UNIQUE, symbol TEXT NOT NULL, created_at INTEGER NOT NULL)`,
];

/** V4: risk alert rules on the user's brokerage accounts (durable/user/risk-rules.ts). */
const V4_RISK_RULES = [
  `CREATE TABLE risk_rules (id TEXT PRIMARY KEY, account_id TEXT NOT NULL, kind TEXT NOT NULL, threshold TEXT NOT NULL,
     threshold_bp INTEGER NOT NULL, peak INTEGER NOT NULL, created_at INTEGER NOT NULL, last_fired_day TEXT,
     trigger_count INTEGER NOT NULL DEFAULT 0)`,
];

/** V5: outbound webhook endpoints, their deliveries and attempts (durable/user/webhook-endpoints.ts, webhook-deliveries.ts). */
const V5_WEBHOOKS = [
  // An endpoint's secrets stay readable here (HMAC needs them); `previous_secret` signs too until `previous_secret_until`.
  `CREATE TABLE webhook_endpoints (
    id TEXT PRIMARY KEY,
    url TEXT NOT NULL,
    description TEXT,
    event_types TEXT NOT NULL,
    secret TEXT NOT NULL,
    previous_secret TEXT,
    previous_secret_until INTEGER,
    disabled_at INTEGER,
    disabled_reason TEXT,
    failing_since INTEGER,
    consecutive_failures INTEGER NOT NULL DEFAULT 0,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
  ) WITHOUT ROWID`,
  // One row per (endpoint, message) send, redeliveries included; message_id is the webhook-id header.
  `CREATE TABLE webhook_deliveries (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    id TEXT NOT NULL UNIQUE,
    endpoint_id TEXT NOT NULL,
    message_id TEXT NOT NULL,
    type TEXT NOT NULL,
    payload TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('pending', 'succeeded', 'failed')),
    attempts INTEGER NOT NULL DEFAULT 0,
    next_attempt_at INTEGER,
    lease_until INTEGER,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
  )`,
  `CREATE INDEX webhook_deliveries_endpoint ON webhook_deliveries (endpoint_id, seq)`,
  `CREATE INDEX webhook_deliveries_due ON webhook_deliveries (next_attempt_at) WHERE status = 'pending'`,
  `CREATE TABLE webhook_attempts (
    delivery_seq INTEGER NOT NULL,
    n INTEGER NOT NULL,
    at INTEGER NOT NULL,
    status_code INTEGER,
    duration_ms INTEGER NOT NULL,
    error TEXT,
    PRIMARY KEY (delivery_seq, n)
  ) WITHOUT ROWID`,
];

/** V6: intelligence state that belongs to the person: stream verdicts (streams are detected on read) and saved simulations. */
const V6_INTEL = [
  `CREATE TABLE recurring_states (stream_id TEXT PRIMARY KEY, state TEXT NOT NULL CHECK (state IN ('confirmed', 'dismissed')),
     updated_at INTEGER NOT NULL) WITHOUT ROWID`,
  `CREATE TABLE simulations (seq INTEGER PRIMARY KEY AUTOINCREMENT, id TEXT NOT NULL UNIQUE, name TEXT, scenario TEXT NOT NULL,
     result TEXT NOT NULL, created_at INTEGER NOT NULL)`,
];

export const MIGRATIONS: string[][] = [V1, V2, V3_PRICE_ALERTS, V4_RISK_RULES, V5_WEBHOOKS, V6_INTEL];

export { hasSchema };

export function migrate(sql: SqlStorage): void {
  runMigrations(sql, MIGRATIONS);
}
