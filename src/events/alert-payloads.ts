/** Payloads of `alert_created` (v1 plain, v2 with price and risk reasons, v3 with anomaly reasons). */
import { z } from "zod";
import { amount, currency, decimal, iso, symbol } from "./payload-fields";

/**
 * An alert raised for a user by another capability (price and risk alerts
 * from investing, anomalies from intelligence): it becomes an open alert in
 * the user's inbox (issue 11). The envelope's account_id is the account it is
 * about, or `user:<user id>` when it is about no one account. Price alerts
 * (MarketDO) produce v2, below.
 */
export const alertCreatedV1 = z.object({
  alert_id: z.string().min(1).max(64),
  source: z.enum(["investing", "intelligence"]),
  severity: z.enum(["info", "warning", "critical"]),
  title: z.string().min(1).max(200),
  body: z.string().max(1000),
  /** A path in the web app, e.g. /market/AAPL. */
  link: z
    .string()
    .regex(/^\/[A-Za-z0-9/_.~-]{0,199}$/)
    .nullable(),
});

/**
 * v2 adds the alert's reason, the facts it fired on. A price alert (MarketDO):
 * the rule, its condition and value, the observed and previous trade prices,
 * the previous close and the trade's time; a risk alert: what it measured.
 * v1 stays valid for the producers that have no reason to give.
 */
export const priceAlertReason = z.object({
  kind: z.literal("price"),
  rule_id: z.string().min(1).max(64),
  symbol,
  condition: z.enum(["crossing_up", "crossing_down", "greater_than", "less_than", "percent_change_up", "percent_change_down"]),
  value: decimal,
  observed_price: decimal,
  previous_price: decimal.nullable(),
  previous_close: decimal.nullable(),
  t: iso,
});

/** A risk alert (the events consumer, queues/risk-alerts.ts): the rule, what it measured and the account's value (minor units). */
export const riskAlertReason = z.object({
  kind: z.literal("risk"),
  rule_id: z.string().min(1).max(64),
  /** The brokerage account (the envelope's account_id is user:<id>: an account's own event seq stays gap-free). */
  account_id: z.string().min(1).max(64),
  risk: z.enum(["concentration", "drawdown"]),
  threshold: decimal,
  /** The largest position's share, or the drawdown from the peak, as a percent. */
  measured: decimal,
  symbol: symbol.nullable(),
  value: amount,
  peak: amount,
  currency,
  t: iso,
});

export const alertCreatedV2 = alertCreatedV1.extend({ reason: z.discriminatedUnion("kind", [priceAlertReason, riskAlertReason]) });

/** One anomaly rule that fired (src/domain/intel/anomaly.ts), stored and returned as it is. */
const anomalyFinding = z.object({
  rule_id: z.string().min(1).max(64),
  reason: z.string().max(500),
  observed: z.record(z.string(), z.unknown()),
  baseline: z.record(z.string(), z.unknown()),
  transaction_ids: z.array(z.string().max(64)).max(50),
  points: z.number().int().nonnegative(),
});

/** An anomalous transaction (the events consumer, queues/anomalies.ts): its score, level and every reason. */
export const anomalyAlertReason = z.object({
  kind: z.literal("anomaly"),
  rule_id: z.literal("anomaly_score"),
  account_id: z.string().min(1).max(64),
  entry_id: z.string().min(1).max(64),
  amount,
  currency,
  merchant_key: z.string().max(200),
  merchant_name: z.string().max(200),
  score: z.number().int().min(0).max(100),
  risk_level: z.enum(["elevated", "highest"]),
  findings: z.array(anomalyFinding).min(1).max(20),
  t: iso,
});

/** v3 adds the anomaly reason; v2 stays for price and risk alerts. */
export const alertCreatedV3 = alertCreatedV1.extend({
  reason: z.discriminatedUnion("kind", [priceAlertReason, riskAlertReason, anomalyAlertReason]),
});
