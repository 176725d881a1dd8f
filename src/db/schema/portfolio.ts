/**
 * Gold portfolio tables (issue 10): per brokerage account and UTC day its cash
 * and external flows, per account × day × symbol its position, and per symbol
 * × day the close (the day's latest `market_price_updated`). Every row is a sum
 * of per-event deltas (or, for a close, the latest of a day's prices), so a
 * replay of Bronze rebuilds them exactly; the running columns (`cash`, `qty`)
 * are recomputed from the sums like gold_daily_balances.closing_balance.
 * Market value is computed from these at read time, exactly in BigInt.
 */
import { index, integer, primaryKey, sqliteTable, text } from "drizzle-orm/sqlite-core";

/** Cash and flows per brokerage account and day. cash = running sum of cash_net (minor units). */
export const goldPortfolioDaily = sqliteTable(
  "gold_portfolio_daily",
  {
    accountId: text("account_id").notNull(),
    day: text("day").notNull(),
    userId: text("user_id").notNull(),
    currency: text("currency").notNull(),
    /** Every posted entry's signed amount that day (trades' cash legs included). */
    cashNet: integer("cash_net").notNull().default(0),
    /** Cash at the day's close: Σ cash_net up to the day. */
    cash: integer("cash").notNull().default(0),
    /** External money in: deposits and transfers in, net of their reversals. */
    contributions: integer("contributions").notNull().default(0),
    /** External money out: withdrawals and transfers out, net of their reversals. */
    withdrawals: integer("withdrawals").notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.accountId, t.day] }), index("gold_portfolio_daily_user_idx").on(t.userId, t.day)],
);

/** Positions per account, day and symbol. Quantities at 10^-9 (QTY_SCALE); qty = running sum of qty_delta. */
export const goldPortfolioPositions = sqliteTable(
  "gold_portfolio_positions",
  {
    accountId: text("account_id").notNull(),
    day: text("day").notNull(),
    symbol: text("symbol").notNull(),
    userId: text("user_id").notNull(),
    qtyDelta: integer("qty_delta").notNull().default(0),
    qty: integer("qty").notNull().default(0),
    fills: integer("fills").notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.accountId, t.symbol, t.day] }), index("gold_portfolio_positions_user_idx").on(t.userId, t.day)],
);

/** A symbol's close per UTC day: the latest price event of the day (by occurred_at, then q). Prices at 10^-8. */
export const goldMarketCloses = sqliteTable(
  "gold_market_closes",
  {
    symbol: text("symbol").notNull(),
    day: text("day").notNull(),
    assetClass: text("asset_class").notNull(),
    currency: text("currency").notNull(),
    price: integer("price").notNull(),
    occurredAt: text("occurred_at").notNull(),
    q: integer("q").notNull(),
  },
  (t) => [primaryKey({ columns: [t.symbol, t.day] })],
);
