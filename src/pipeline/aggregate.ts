/**
 * Gold deltas: a batch of new (de-duplicated) Silver events folded in memory
 * into one delta per Gold row. Every delta is a sum, and sums commute, so the
 * same set of events gives the same Gold in any order and in any batching.
 * Spending = purchases − refunds; a reversal cancels what it reverses, on the
 * original's day (reversals are back-valued by the producer). An annotation
 * moves its entry's signed spend from the previous category/merchant row to
 * the new one in the entry's month: a −/+ pair, so it commutes like the rest.
 */
import { spendingEffect } from "../domain/spending";
import type { Enrichment } from "./enrich";
import { PortfolioAccumulator, type PortfolioDeltas } from "./portfolio-deltas";
import { isAnnotation, isTransaction, type AnnotationEvent, type SilverEvent, type TransactionEvent } from "./normalize";

export interface DailyBalanceDelta {
  account_id: string;
  day: string;
  user_id: string;
  currency: string;
  inflow: number;
  outflow: number;
  net: number;
  entries: number;
}

export interface SpendingDelta {
  user_id: string;
  month: string;
  dimension: "category" | "merchant";
  key: string;
  currency: string;
  purchases: number;
  refunds: number;
  amount: number;
}

export interface MonthlyFlowDelta {
  account_id: string;
  month: string;
  kind: string;
  user_id: string;
  currency: string;
  count: number;
  amount: number;
}

export interface PlatformDailyDelta {
  day: string;
  currency: string;
  kind: string;
  count: number;
  volume: number;
}

export interface TransferStageRow {
  transfer_id: string;
  stage: "pending" | "resolved";
  account_id: string;
  user_id: string;
  to_account_id: string | null;
  currency: string;
  amount: number;
  released: number;
  status: "pending" | "posted" | "voided";
  day: string;
}

export interface GoldDeltas extends PortfolioDeltas {
  daily: DailyBalanceDelta[];
  spending: SpendingDelta[];
  flows: MonthlyFlowDelta[];
  platform: PlatformDailyDelta[];
  transfers: TransferStageRow[];
}

export const UNKNOWN_MERCHANT = "unknown";

/** The spending rows an enriched entry counts in, by dimension. */
function spendingKeys(en: Enrichment): [SpendingDelta["dimension"], string][] {
  return [
    ["category", en.category],
    ["merchant", en.merchant_normalized ?? UNKNOWN_MERCHANT],
  ];
}

function bump<T>(map: Map<string, T>, key: string, init: () => T, apply: (row: T) => void): void {
  let row = map.get(key);
  if (!row) {
    row = init();
    map.set(key, row);
  }
  apply(row);
}

/**
 * `bump` for rows summed across accounts (spending per user, the platform's
 * volume), whose sum can pass 2^53: when adding `amount` would leave the exact
 * range of a JS number, the event starts a second delta for the same Gold row.
 * The upsert adds both in SQLite's 64-bit integers, so Gold stays exact.
 */
function bumpExact<T>(
  map: Map<string, T>,
  key: string,
  init: () => T,
  sumOf: (row: T) => number,
  amount: number,
  apply: (row: T) => void,
): void {
  let slot = key;
  for (let i = 1; map.has(slot) && !Number.isSafeInteger(sumOf(map.get(slot)!) + amount); i++) slot = `${key}#${i}`;
  bump(map, slot, init, apply);
}

/**
 * Folds events one at a time into one delta per Gold row, so a caller can
 * stream events through it (reconciliation feeds journal pages) and keep only
 * the per-row sums in memory.
 */
export class GoldAccumulator {
  private readonly daily = new Map<string, DailyBalanceDelta>();
  private readonly spending = new Map<string, SpendingDelta>();
  private readonly flows = new Map<string, MonthlyFlowDelta>();
  private readonly platform = new Map<string, PlatformDailyDelta>();
  private readonly transfers = new Map<string, TransferStageRow>();
  private readonly portfolio = new PortfolioAccumulator();

  add(e: SilverEvent): void {
    this.portfolio.add(e);
    if (isTransaction(e)) this.addTransaction(e);
    else if (isAnnotation(e)) this.addAnnotation(e);
    else if (e.type === "transfer_pending") {
      const p = e.payload;
      this.transfers.set(`${p.transfer_id}|pending`, {
        transfer_id: p.transfer_id,
        stage: "pending",
        account_id: e.account_id,
        user_id: e.user_id,
        to_account_id: p.to_account_id,
        currency: p.currency,
        amount: p.amount,
        released: 0,
        status: "pending",
        day: e.event_date,
      });
    } else if (e.type === "transfer_posted" || e.type === "transfer_voided") {
      const p = e.payload;
      const posted = e.type === "transfer_posted";
      this.transfers.set(`${p.transfer_id}|resolved`, {
        transfer_id: p.transfer_id,
        stage: "resolved",
        account_id: e.account_id,
        user_id: e.user_id,
        to_account_id: null,
        currency: p.currency,
        amount: posted ? p.amount : 0,
        released: posted ? (e.payload as { released: number }).released : p.amount,
        status: posted ? "posted" : "voided",
        day: e.event_date,
      });
    }
  }

  private addTransaction(e: TransactionEvent): void {
    const p = e.payload;
    const credit = p.direction === "credit";
    this.portfolio.addTransaction(e);
    bump(
      this.daily,
      `${e.account_id}|${e.event_date}`,
      () => ({
        account_id: e.account_id,
        day: e.event_date,
        user_id: e.user_id,
        currency: p.currency,
        inflow: 0,
        outflow: 0,
        net: 0,
        entries: 0,
      }),
      (r) => {
        if (credit) r.inflow += p.amount;
        else r.outflow += p.amount;
        r.net += credit ? p.amount : -p.amount;
        r.entries += 1;
      },
    );

    const reversal = p.kind === "reversal";
    const flowKind = reversal ? (p.reverses_kind ?? "reversal") : p.kind;
    const sign = reversal && p.reverses_kind ? -1 : 1;
    bump(
      this.flows,
      `${e.account_id}|${e.month}|${flowKind}`,
      () => ({ account_id: e.account_id, month: e.month, kind: flowKind, user_id: e.user_id, currency: p.currency, count: 0, amount: 0 }),
      (r) => {
        r.count += sign;
        r.amount += sign * p.amount;
      },
    );

    bumpExact(
      this.platform,
      `${e.event_date}|${p.currency}|${p.kind}`,
      () => ({ day: e.event_date, currency: p.currency, kind: p.kind, count: 0, volume: 0 }),
      (r) => r.volume,
      p.amount,
      (r) => {
        r.count += 1;
        r.volume += p.amount;
      },
    );

    const effect = spendingEffect(p);
    if (!effect) return;
    for (const [dimension, key] of spendingKeys(e.enrichment)) this.addSpending(e.user_id, e.month, dimension, key, p.currency, effect, 1);
  }

  /**
   * Category and merchant never change on a reversal (the account refuses it),
   * and a reversal posted after an annotation carries the effective values, so
   * moving the original alone keeps the pair cancelling in one row.
   */
  private addAnnotation(e: AnnotationEvent): void {
    const p = e.payload;
    const effect = spendingEffect({ kind: p.kind, reverses_kind: null, direction: p.direction, amount: p.amount });
    if (!effect) return;
    const before = spendingKeys(e.previous_enrichment);
    const after = spendingKeys(e.enrichment);
    for (let i = 0; i < before.length; i++) {
      const [dimension, from] = before[i]!;
      const to = after[i]![1];
      if (from === to) continue;
      this.addSpending(e.user_id, e.month, dimension, from, p.currency, effect, -1);
      this.addSpending(e.user_id, e.month, dimension, to, p.currency, effect, 1);
    }
  }

  private addSpending(
    user_id: string,
    month: string,
    dimension: SpendingDelta["dimension"],
    key: string,
    currency: string,
    effect: { purchases: number; refunds: number; amount: number },
    sign: 1 | -1,
  ): void {
    bumpExact(
      this.spending,
      `${user_id}|${month}|${dimension}|${key}|${currency}`,
      () => ({ user_id, month, dimension, key, currency, purchases: 0, refunds: 0, amount: 0 }),
      (r) => r.amount,
      sign * effect.amount,
      (r) => {
        r.purchases += sign * effect.purchases;
        r.refunds += sign * effect.refunds;
        r.amount += sign * effect.amount;
      },
    );
  }

  deltas(): GoldDeltas {
    return {
      daily: [...this.daily.values()],
      spending: [...this.spending.values()],
      flows: [...this.flows.values()],
      platform: [...this.platform.values()],
      transfers: [...this.transfers.values()],
      ...this.portfolio.deltas(),
    };
  }
}

export function aggregate(events: Iterable<SilverEvent>): GoldDeltas {
  const acc = new GoldAccumulator();
  for (const e of events) acc.add(e);
  return acc.deltas();
}

/**
 * Number of Gold rows the deltas touch (closing-balance recomputation not
 * included). Portfolio day rows are left out: the writer keeps only those of
 * brokerage accounts, which the deltas cannot tell.
 */
export function deltaRowCount(d: GoldDeltas): number {
  return (
    d.daily.length + d.spending.length + d.flows.length + d.platform.length + d.transfers.length + d.positions.length + d.closes.length
  );
}
