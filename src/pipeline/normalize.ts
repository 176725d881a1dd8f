/**
 * Silver normalization: validate a raw event against the versioned catalog,
 * move every timestamp to UTC, keep money in integer minor units, and attach
 * the enrichment. Pure: the same raw body and rules always give the same row.
 * An annotation is enriched twice (its previous and its new values, by the
 * same rules as a posted entry) and dated by the entry it annotates.
 */
import { parseEvent, type AnyEvent, type EventEnvelope, type EventParser } from "../events/catalog";
import { isCurrency } from "../domain/money";
import { enrichTransaction, type CompiledRule, type Enrichment } from "./enrich";
import { dayOf, monthOf, toUtcIso } from "./time";

export type SilverEvent = AnyEvent & {
  event_date: string;
  month: string;
  /** Present for transaction_posted and transaction_annotated (its new values) only. */
  enrichment: Enrichment | null;
  /** transaction_annotated only: the enrichment of its `previous` values. */
  previous_enrichment?: Enrichment;
};

export type TransactionEvent = EventEnvelope<"transaction_posted"> & { event_date: string; month: string; enrichment: Enrichment };

/** An annotation, whose event_date and month are the annotated entry's (Gold moves its spend there). */
export type AnnotationEvent = EventEnvelope<"transaction_annotated"> & {
  event_date: string;
  month: string;
  enrichment: Enrichment;
  previous_enrichment: Enrichment;
};

export type NormalizeResult = { ok: true; event: SilverEvent } | { ok: false; reason: string };

function currencyOf(e: AnyEvent): string | null {
  const p = e.payload as { currency?: unknown };
  return typeof p.currency === "string" ? p.currency : null;
}

export function normalizeEvent(raw: unknown, rules: readonly CompiledRule[], parse: EventParser = parseEvent): NormalizeResult {
  const parsed = parse(raw);
  if (!parsed.ok) return parsed;
  const e = parsed.event;
  const occurred = toUtcIso(e.occurred_at);
  const recorded = toUtcIso(e.recorded_at);
  if (!occurred || !recorded) return { ok: false, reason: "timestamps: not a valid instant" };
  const currency = currencyOf(e);
  if (currency !== null && !isCurrency(currency)) return { ok: false, reason: `payload: unknown currency "${currency}"` };
  const event = {
    ...e,
    occurred_at: occurred,
    recorded_at: recorded,
    event_date: dayOf(occurred),
    month: monthOf(occurred),
    enrichment: null,
  } as SilverEvent;
  if (event.type === "transaction_posted") {
    const p = event.payload;
    if (p.amount <= 0) return { ok: false, reason: "payload: amount must be positive" };
    if (p.kind === "reversal" && !p.reverses_kind) return { ok: false, reason: "payload: a reversal needs reverses_kind" };
    event.enrichment = enrichTransaction(p, rules);
  } else if (event.type === "transaction_annotated") {
    const p = event.payload;
    const entryAt = toUtcIso(p.entry_occurred_at);
    if (!entryAt) return { ok: false, reason: "payload: entry_occurred_at is not a valid instant" };
    if (p.amount <= 0) return { ok: false, reason: "payload: amount must be positive" };
    event.payload = { ...p, entry_occurred_at: entryAt };
    event.event_date = dayOf(entryAt);
    event.month = monthOf(entryAt);
    event.enrichment = enrichTransaction(p, rules);
    event.previous_enrichment = enrichTransaction(p.previous, rules);
  }
  return { ok: true, event };
}

export function isTransaction(e: SilverEvent): e is TransactionEvent {
  return e.type === "transaction_posted";
}

export function isAnnotation(e: SilverEvent): e is AnnotationEvent {
  return e.type === "transaction_annotated";
}

/** The payload as Silver stores it: the validated payload plus its enrichment (an annotation's `previous` too). */
export function silverPayload(e: SilverEvent): Record<string, unknown> {
  if (!e.enrichment) return e.payload as Record<string, unknown>;
  const out: Record<string, unknown> = { ...(e.payload as Record<string, unknown>), ...e.enrichment };
  if (isAnnotation(e)) out.previous = { ...e.payload.previous, ...e.previous_enrichment };
  return out;
}
