/**
 * The MarketDO's SQLite schema: one object per symbol. V1: the symbol's state
 * row (its gap-free trade sequence `seq`), recent trades (bounded retention),
 * OHLCV bars per timeframe, the stream hubs listening, and an outbox of
 * pipeline events. Forward-only: a new version appends statements.
 */
import { runMigrations } from "../sqlite-migrations";
import { BOOK_MIGRATION } from "./order-book";
import { PRICE_ALERTS_MIGRATION } from "./price-alerts";
import { RISK_WATCHERS_MIGRATION } from "./risk-watchers";

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

/**
 * V2: resting limit orders and the fills owed to accounts (order-book.ts).
 * V3: price alert rules (price-alerts.ts). V4: the users whose risk alerts
 * watch the symbol's daily close (risk-watchers.ts).
 */
export const MIGRATIONS: string[][] = [V1, BOOK_MIGRATION, PRICE_ALERTS_MIGRATION, RISK_WATCHERS_MIGRATION];

export function migrate(sql: SqlStorage): void {
  runMigrations(sql, MIGRATIONS);
}
