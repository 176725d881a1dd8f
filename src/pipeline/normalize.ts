/**
 * Silver normalization: validate a raw event against the versioned catalog,
 * move every timestamp to UTC, keep money in integer minor units, and attach
 * the enrichment. Pure: the same raw body and rules always give the same row.
 */
import { parseEvent, type AnyEvent, type EventEnvelope } from "../events/catalog";
import { isCurrency } from "../domain/money";
import { enrichTransaction, type CompiledRule, type Enrichment } from "./enrich";
import { dayOf, monthOf, toUtcIso } from "./time";

export type SilverEvent = AnyEvent & {
  event_date: string;
  month: string;
  /** Present for transaction_posted only. */
  enrichment: Enrichment | null;
};

export type TransactionEvent = EventEnvelope<"transaction_posted"> & { event_date: string; month: string; enrichment: Enrichment };

export type NormalizeResult = { ok: true; event: SilverEvent } | { ok: false; reason: string };

function currencyOf(e: AnyEvent): string | null {
  const p = e.payload as { currency?: unknown };
  return typeof p.currency === "string" ? p.currency : null;
}

export function normalizeEvent(raw: unknown, rules: readonly CompiledRule[]): NormalizeResult {
  const parsed = parseEvent(raw);
  if (!parsed.ok) return parsed;
  const e = parsed.event;
  const occurred = toUtcIso(e.occurred_at);
  const recorded = toUtcIso(e.recorded_at);
  if (!occurred || !recorded) return { ok: false, reason: "timestamps: not a valid instant" };
  const currency = currencyOf(e);
  if (currency !== null && !isCurrency(currency)) return { ok: false, reason: `payload: unknown currency "${currency}"` };
  const event = { ...e, occurred_at: occurred, recorded_at: recorded, event_date: dayOf(occurred), month: monthOf(occurred), enrichment: null } as SilverEvent;
  if (event.type === "transaction_posted") {
    const p = event.payload;
    if (p.amount <= 0) return { ok: false, reason: "payload: amount must be positive" };
    if (p.kind === "reversal" && !p.reverses_kind) return { ok: false, reason: "payload: a reversal needs reverses_kind" };
    event.enrichment = enrichTransaction(p, rules);
  }
  return { ok: true, event };
}

export function isTransaction(e: SilverEvent): e is TransactionEvent {
  return e.type === "transaction_posted";
}

/** The payload as Silver stores it: the validated payload plus its enrichment. */
export function silverPayload(e: SilverEvent): Record<string, unknown> {
  if (!e.enrichment) return e.payload as Record<string, unknown>;
  return { ...(e.payload as Record<string, unknown>), ...e.enrichment };
}
