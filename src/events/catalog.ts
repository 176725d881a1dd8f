/**
 * The one catalog of FinEdge events, shared by producers (AccountDO outbox) and
 * consumers (Silver validation). Every event is an envelope plus a typed,
 * versioned payload; adding a version means adding a schema here, never
 * changing one that has shipped.
 */
import { z } from "zod";
import { ACCOUNT_TYPES } from "../domain/account/kinds";
import { amount, currency, iso, nullableText, signed } from "./payload-fields";
import { alertCreatedV1, alertCreatedV2, alertCreatedV3 } from "./alert-payloads";
import {
  orderCanceledV1,
  orderExpiredV1,
  orderPlacedV1,
  orderRejectedV1,
  paymentStatusChangedV1,
  portfolioTradeExecutedV1,
} from "./trading-payloads";

export * from "./alert-payloads";
export * from "./trading-payloads";

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

export type EventParser = (raw: unknown) => ParseResult;

/**
 * parseEvent remembered per body object, for one queue batch whose several
 * readers (Silver, cashback, the inbox, risk alerts, scoring) each look at
 * every body: each is validated once. Only for bodies nobody changes meanwhile.
 */
export function batchParser(): EventParser {
  const seen = new WeakMap<object, ParseResult>();
  return (raw) => {
    if (typeof raw !== "object" || raw === null) return parseEvent(raw);
    let r = seen.get(raw);
    if (r === undefined) {
      r = parseEvent(raw);
      seen.set(raw, r);
    }
    return r;
  };
}

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
