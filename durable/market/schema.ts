/**
 * The MarketDO's SQLite schema: one object per symbol. V1: the symbol's state
 * row (its gap-free trade sequence `seq`), recent trades (bounded retention),
 * OHLCV bars per timeframe, the stream hubs listening, and an outbox of
 * pipeline events. Forward-only: a new version appends statements.
 */
import { runMigrations } from "../sqlite-migrations";

const V1 = [
  `CREATE TABLE market_state (
     id INTEGER PRIMARY KEY CHECK (id = 1),
     symbol TEXT NOT NULL,
     seq INTEGER NOT NULL DEFAULT 0,
     last_t INTEGER, last_price INTEGER, last_size INTEGER,
     status TEXT NOT NULL DEFAULT 'open',
     sim_step INTEGER NOT NULL DEFAULT 0,
     event_seq INTEGER NOT NULL DEFAULT 0,
     event_minute INTEGER NOT NULL DEFAULT 0,
     close_day INTEGER NOT NULL DEFAULT 0)`,
  // q is the trade's place in the symbol's sequence: 1, 2, 3… with no gap.
  `CREATE TABLE trades (q INTEGER PRIMARY KEY, t INTEGER NOT NULL, price INTEGER NOT NULL, size INTEGER NOT NULL)`,
  // v is at QTY_SCALE in SQLite's 64-bit integer (read back as text: it passes 2^53).
  `CREATE TABLE bars (
     tf TEXT NOT NULL, t INTEGER NOT NULL,
     o INTEGER NOT NULL, h INTEGER NOT NULL, l INTEGER NOT NULL, c INTEGER NOT NULL,
     v INTEGER NOT NULL, n INTEGER NOT NULL, last_t INTEGER NOT NULL,
     PRIMARY KEY (tf, t)) WITHOUT ROWID`,
  `CREATE TABLE listeners (hub TEXT PRIMARY KEY, since INTEGER NOT NULL)`,
  `CREATE TABLE outbox (id INTEGER PRIMARY KEY AUTOINCREMENT, body TEXT NOT NULL)`,
];

/** V2: resting limit orders and the fills owed to accounts (order-book.ts). */
const V2_BOOK = [
  `CREATE TABLE resting_orders (order_id TEXT PRIMARY KEY, account_id TEXT NOT NULL, side TEXT NOT NULL,
     limit_price INTEGER NOT NULL, remaining INTEGER NOT NULL CHECK (remaining > 0), seq INTEGER NOT NULL DEFAULT 0)`,
  `CREATE TABLE pending_fills (fill_id TEXT PRIMARY KEY, account_id TEXT NOT NULL, order_id TEXT NOT NULL,
     qty INTEGER NOT NULL, price INTEGER NOT NULL, created_at INTEGER NOT NULL)`,
];

/** V3: price alert rules (price-alerts.ts). */
const V3_PRICE_ALERTS = [
  `CREATE TABLE price_alerts (
     id TEXT PRIMARY KEY, user_id TEXT NOT NULL, condition TEXT NOT NULL, value TEXT NOT NULL,
     threshold INTEGER NOT NULL, frequency TEXT NOT NULL, expires_at INTEGER, created_at INTEGER NOT NULL,
     status TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'triggered', 'expired')),
     armed INTEGER NOT NULL DEFAULT 1, triggered_at INTEGER, trigger_count INTEGER NOT NULL DEFAULT 0,
     last_price INTEGER)`,
  `CREATE INDEX price_alerts_active ON price_alerts (status) WHERE status = 'active'`,
];

/** V4: the users whose risk alerts watch the symbol's daily close (risk-watchers.ts). */
const V4_RISK_WATCHERS = [`CREATE TABLE risk_watchers (user_id TEXT PRIMARY KEY, since INTEGER NOT NULL) WITHOUT ROWID`];

/**
 * V5: price alert rules indexed by level (price-alerts.ts reads only the threshold ranges a trade can change,
 * src/domain/alerts/price-rule-ranges.ts) and by expiry. Existing rules stay as they are; an active `once` rule
 * is stored armed (its verdict never reads the flag, so this changes no outcome) so the armed ranges find it.
 */
const V5_ALERT_LEVELS = [
  `CREATE INDEX price_alerts_level ON price_alerts (condition, armed, threshold) WHERE status = 'active'`,
  `CREATE INDEX price_alerts_expiry ON price_alerts (expires_at) WHERE status = 'active' AND expires_at IS NOT NULL`,
  `UPDATE price_alerts SET armed = 1 WHERE status = 'active' AND frequency = 'once' AND armed <> 1`,
];

export const MIGRATIONS: string[][] = [V1, V2_BOOK, V3_PRICE_ALERTS, V4_RISK_WATCHERS, V5_ALERT_LEVELS];

export function migrate(sql: SqlStorage): void {
  runMigrations(sql, MIGRATIONS);
}
