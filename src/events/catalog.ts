/**
 * The one catalog of FinEdge events, shared by producers (AccountDO outbox) and
 * consumers (Silver validation). Every event is an envelope plus a typed,
 * versioned payload; adding a version means adding a schema here, never
 * changing one that has shipped.
 */
import { z } from "zod";
import { ACCOUNT_TYPES } from "../domain/account/kinds";

const amount = z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER);
const signed = z.number().int().min(Number.MIN_SAFE_INTEGER).max(Number.MAX_SAFE_INTEGER);
const currency = z.string().regex(/^[A-Z]{3}$/);
const iso = z.string().datetime({ offset: true });
const nullableText = z.string().max(500).nullable();

export const TRANSACTION_KINDS = ["deposit", "withdrawal", "purchase", "refund", "fee", "interest"] as const;
export type TransactionKind = (typeof TRANSACTION_KINDS)[number];

/** `kind` of a journal entry: a transaction kind, a reversal, a transfer leg or a trade's cash leg. */
export const ENTRY_KINDS = [...TRANSACTION_KINDS, "reversal", "transfer_out", "transfer_in", "trade_buy", "trade_sell"] as const;
export type EntryKind = (typeof ENTRY_KINDS)[number];

export const accountOpenedV1 = z.object({
  account_type: z.enum(ACCOUNT_TYPES),
  currency,
  name: z.string().max(200),
  credit_limit: amount,
});

export const accountClosedV1 = z.object({ currency });

/** A posted journal entry: deposits, purchases, fees, transfer legs, reversals. */
export const transactionPostedV1 = z.object({
  entry_id: z.string(),
  kind: z.enum(ENTRY_KINDS),
  direction: z.enum(["credit", "debit"]),
  amount,
  currency,
  balance_after: signed,
  description: nullableText,
  merchant: nullableText,
  category: nullableText,
  transfer_id: z.string().nullable(),
  counterparty: z.string(),
  /** For reversals: the entry this one cancels and that entry's kind. */
  reverses_entry_id: z.string().nullable(),
  reverses_kind: z.enum(ENTRY_KINDS).nullable(),
});

/**
 * A journal entry's descriptive fields changed (the entry itself never does;
 * the latest annotation wins in every read). Carries the entry's money facts
 * and the effective values before and after, so a consumer moves the entry's
 * spending from the old category/merchant to the new one without reading
 * anything: the moves of successive annotations add up in any order.
 * Category and merchant never change on a reversal or a reversed entry.
 */
export const transactionAnnotatedV1 = z.object({
  entry_id: z.string(),
  kind: z.enum(ENTRY_KINDS),
  direction: z.enum(["credit", "debit"]),
  amount,
  currency,
  /** The annotated entry's own event time: its spending moves in that day and month. */
  entry_occurred_at: iso,
  previous: z.object({ description: nullableText, merchant: nullableText, category: nullableText }),
  description: nullableText,
  merchant: nullableText,
  category: nullableText,
  tags: z.array(z.string().max(50)).max(20),
  notes: z.string().max(2000).nullable(),
});

export const transferPendingV1 = z.object({
  transfer_id: z.string(),
  from_account_id: z.string(),
  to_account_id: z.string(),
  amount,
  currency,
  expires_at: iso.nullable(),
});

export const transferPostedV1 = z.object({
  transfer_id: z.string(),
  amount,
  released: amount,
  currency,
});

export const transferVoidedV1 = z.object({
  transfer_id: z.string(),
  amount,
  currency,
  reason: z.enum(["voided", "expired", "rejected"]),
});

export const budgetSetV1 = z.object({
  category: z.string(),
  limit: amount,
  period: z.enum(["monthly", "weekly"]),
  alert_at: z.array(z.number()),
  currency,
});

export const budgetDeletedV1 = z.object({ category: z.string() });

export const budgetThresholdCrossedV1 = z.object({
  category: z.string(),
  period: z.enum(["monthly", "weekly"]),
  period_start: z.string(),
  threshold: z.number(),
  spent: amount,
  limit: amount,
  currency,
});

/**
 * A symbol's price for the pipeline (MarketDO, issue 10): at most one per
 * symbol per minute plus each day's close, so Gold can value portfolios.
 * The envelope's account_id is `market:<symbol>` and user_id `market`.
 */
export const marketPriceUpdatedV1 = z.object({
  symbol: z.string().regex(/^[A-Z0-9][A-Z0-9.-]{0,11}$/),
  asset_class: z.enum(["us_equity", "crypto"]),
  currency,
  /** A decimal string, exact (never a float). */
  price: z.string().regex(/^(0|[1-9][0-9]*)(\.[0-9]{1,8})?$/),
  reason: z.enum(["minute", "daily_close"]),
  /** The symbol's trade sequence when the price was taken. */
  q: z.number().int().nonnegative(),
});

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

const decimal = z.string().regex(/^(0|[1-9][0-9]*)(\.[0-9]{1,9})?$/);
const symbol = z.string().regex(/^[A-Z0-9][A-Z0-9.-]{0,11}$/);

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

/**
 * Paper trading (issue 10): an order as the account holds it. Quantities and
 * prices as exact decimal strings, cash in minor units. Gold ignores these for
 * now; the cash leg of each fill is also a `transaction_posted` entry
 * (kind trade_buy / trade_sell), so balances and reconcile see it.
 */
export const orderPlacedV1 = z.object({
  order_id: z.string(),
  client_order_id: z.string(),
  symbol,
  side: z.enum(["buy", "sell"]),
  type: z.enum(["market", "limit"]),
  time_in_force: z.enum(["day", "gtc", "ioc"]),
  qty: decimal.nullable(),
  notional: amount.nullable(),
  limit_price: decimal.nullable(),
  hold: amount,
  currency,
});

/** One fill: its cash leg's entry, the position after it and the P/L a sell realized at average cost. */
export const portfolioTradeExecutedV1 = z.object({
  order_id: z.string(),
  fill_id: z.string(),
  entry_id: z.string(),
  symbol,
  side: z.enum(["buy", "sell"]),
  qty: decimal,
  price: decimal,
  cash: amount,
  realized_pl: signed,
  position_qty: decimal,
  cost_basis: amount,
  order_status: z.enum(["partially_filled", "filled"]),
  currency,
});

const orderClosed = z.object({ order_id: z.string(), symbol, hold_released: amount, reason: z.string().max(200), currency });
export const orderCanceledV1 = orderClosed;
export const orderExpiredV1 = orderClosed;
export const orderRejectedV1 = orderClosed;

/**
 * A payment out of the platform changed status (issue 13): placed (previous
 * null, the hold taken), processing, success (its withdrawal entry posted the
 * hold), failed (the hold released, with the reason) or canceled.
 */
export const paymentStatusChangedV1 = z.object({
  payment_id: z.string(),
  payee_id: z.string(),
  amount,
  currency,
  status: z.enum(["pending", "processing", "success", "failed", "canceled"]),
  previous_status: z.enum(["pending", "processing", "success", "failed", "canceled"]).nullable(),
  reason: nullableText,
  entry_id: z.string().nullable(),
});

/** type → version → payload schema. */
export const EVENT_SCHEMAS = {
  account_opened: { 1: accountOpenedV1 },
  account_closed: { 1: accountClosedV1 },
  transaction_posted: { 1: transactionPostedV1 },
  transaction_annotated: { 1: transactionAnnotatedV1 },
  transfer_pending: { 1: transferPendingV1 },
  transfer_posted: { 1: transferPostedV1 },
  transfer_voided: { 1: transferVoidedV1 },
  budget_set: { 1: budgetSetV1 },
  budget_deleted: { 1: budgetDeletedV1 },
  budget_threshold_crossed: { 1: budgetThresholdCrossedV1 },
  market_price_updated: { 1: marketPriceUpdatedV1 },
  alert_created: { 1: alertCreatedV1, 2: alertCreatedV2, 3: alertCreatedV3 },
  order_placed: { 1: orderPlacedV1 },
  portfolio_trade_executed: { 1: portfolioTradeExecutedV1 },
  order_canceled: { 1: orderCanceledV1 },
  order_expired: { 1: orderExpiredV1 },
  order_rejected: { 1: orderRejectedV1 },
  payment_status_changed: { 1: paymentStatusChangedV1 },
} as const;

export type EventType = keyof typeof EVENT_SCHEMAS;
export const EVENT_TYPES = Object.keys(EVENT_SCHEMAS) as EventType[];

/** The payload of any version of the type (one version for most). */
export type PayloadOf<T extends EventType> = z.infer<(typeof EVENT_SCHEMAS)[T][keyof (typeof EVENT_SCHEMAS)[T]]>;

export const envelopeSchema = z.object({
  event_id: z.string().min(1).max(64),
  type: z.string(),
  version: z.number().int().positive(),
  occurred_at: iso,
  recorded_at: iso,
  account_id: z.string().min(1).max(64),
  user_id: z.string().min(1).max(64),
  seq: z.number().int().positive(),
  payload: z.unknown(),
});

export type EventEnvelope<T extends EventType = EventType> = Omit<z.infer<typeof envelopeSchema>, "type" | "payload"> & {
  type: T;
  payload: PayloadOf<T>;
};

export type AnyEvent = { [T in EventType]: EventEnvelope<T> }[EventType];

export type ParseResult = { ok: true; event: AnyEvent } | { ok: false; reason: string };

/** Validate an event off the wire against its versioned schema. */
export function parseEvent(raw: unknown): ParseResult {
  const env = envelopeSchema.safeParse(raw);
  if (!env.success) return { ok: false, reason: `envelope: ${z.prettifyError(env.error)}` };
  const versions = (EVENT_SCHEMAS as Record<string, Record<number, z.ZodType>>)[env.data.type];
  if (!versions) return { ok: false, reason: `unknown event type "${env.data.type}"` };
  const schema = versions[env.data.version];
  if (!schema) return { ok: false, reason: `unknown version ${env.data.version} of "${env.data.type}"` };
  const payload = schema.safeParse(env.data.payload);
  if (!payload.success) return { ok: false, reason: `payload: ${z.prettifyError(payload.error)}` };
  return { ok: true, event: { ...env.data, payload: payload.data } as AnyEvent };
}
