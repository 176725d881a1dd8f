/**
 * Recurring-charge detection (issue 12, "Recurring charges and subscriptions";
 * the schedules and their tolerances are in recurring-schedule.ts).
 * Per (merchant entity, direction, currency) stream, the first frequency whose
 * schedule fits every occurrence wins:
 *
 * - Schedules are anchored on the first occurrence, so month-end clamps and
 *   comes back: Jan 31 → Feb 28/29 → Mar 31. Semi-monthly has two anchors (the
 *   first two occurrences' days, e.g. the 15th and the 31st → month end).
 * - Date tolerance: ±2 days for weekly, biweekly and semi-monthly; ±3 days for
 *   monthly and longer. No occurrence may be skipped.
 * - Amount tolerance: 7.5 % of the amount in force. A new amount is accepted
 *   when two consecutive charges agree with each other (a `recurring_price_changed`
 *   finding with old and new amounts); any other charge outside the tolerance
 *   makes the stream `variable`.
 * - When a group's rows do not fit as a whole (a subscription among one-off
 *   purchases at one merchant), each cluster of amounts within 7.5 % of its
 *   smallest is tried on its own; such a stream's key ends in its first row's id.
 * - Status: EARLY_DETECTION with 2 occurrences, MATURE with 3 or more;
 *   TOMBSTONED when, at `asOf`, even the occurrence after the predicted one is
 *   more than the date tolerance late (the predicted date has passed by more
 *   than one period plus tolerance). `is_active` is not TOMBSTONED.
 */
import { merchantKeyOf, normalizeMerchant, rawMerchantText } from "./merchant-normalizer";
import {
  DATE_TOLERANCE,
  type Frequency,
  FREQUENCIES,
  fits,
  PER_YEAR,
  type Schedule,
  scheduledDate,
  scheduleFor,
} from "./recurring-schedule";
import { dayDiff, dayOf, type Direction, type Explanation, type IntelTransaction, withinPermille } from "./types";

export { DATE_TOLERANCE, FREQUENCIES, type Frequency, PER_YEAR, type Schedule, scheduledDate } from "./recurring-schedule";

/** 7.5 %, in permille. */
export const AMOUNT_TOLERANCE_PERMILLE = 75;

export type StreamStatus = "EARLY_DETECTION" | "MATURE" | "TOMBSTONED";

export interface RecurringStream {
  /** `${merchant_key}|${direction}|${currency}`: stable across runs, the wiring's stream id. */
  stream_key: string;
  merchant_key: string;
  merchant_name: string;
  direction: Direction;
  currency: string;
  frequency: Frequency;
  schedule: Schedule;
  /** Integer minor units (the rounded mean of every occurrence). */
  average_amount: number;
  last_amount: number;
  /** The amount in force after accepted price changes: what the next charge should be. */
  current_amount: number;
  amount_kind: "fixed" | "variable";
  first_date: string;
  last_date: string;
  predicted_next_date: string;
  status: StreamStatus;
  is_active: boolean;
  transaction_ids: string[];
  /** The last charge is outside the tolerance but not yet confirmed by a second one. */
  pending_amount: number | null;
  price_changes: Explanation[];
}

interface AmountAnalysis {
  kind: "fixed" | "variable";
  current: number;
  pending: number | null;
  changes: Explanation[];
}

function analyseAmounts(txs: readonly IntelTransaction[], streamKey: string): AmountAnalysis {
  let current = txs[0]!.amount;
  let pending: IntelTransaction | null = null;
  let variable = false;
  const changes: Explanation[] = [];
  for (const tx of txs.slice(1)) {
    if (withinPermille(tx.amount, current, AMOUNT_TOLERANCE_PERMILLE)) {
      if (pending) variable = true; // a lone outlier that came back
      pending = null;
      continue;
    }
    if (pending && withinPermille(tx.amount, pending.amount, AMOUNT_TOLERANCE_PERMILLE)) {
      changes.push({
        rule_id: "recurring_price_changed",
        reason: `Two consecutive charges of ${pending.amount} and ${tx.amount} replace ${current} (more than 7.5 % apart).`,
        observed: { stream_key: streamKey, new_amount: tx.amount, effective_date: dayOf(pending.occurred_at) },
        baseline: { old_amount: current, tolerance_permille: AMOUNT_TOLERANCE_PERMILLE },
        transaction_ids: [pending.id, tx.id],
      });
      current = tx.amount;
      pending = null;
      continue;
    }
    if (pending) variable = true;
    pending = tx;
  }
  return { kind: variable ? "variable" : "fixed", current, pending: pending?.amount ?? null, changes };
}

function statusAt(s: Schedule, count: number, asOf: string): StreamStatus {
  const afterPredicted = scheduledDate(s, count + 1);
  if (dayDiff(afterPredicted, asOf) > DATE_TOLERANCE[s.frequency]) return "TOMBSTONED";
  return count >= 3 ? "MATURE" : "EARLY_DETECTION";
}

export interface DetectOptions {
  /** The day (YYYY-MM-DD) or instant the streams are judged at. */
  asOf: string;
  /** The merchant entity of a row; by default the normalizer's key of its raw merchant text. */
  merchantKey?: (tx: IntelTransaction) => { key: string; name: string };
}

/** The normalizer's key and name of each raw text, normalized once per detection (it is pure). */
function defaultMerchant(): (tx: IntelTransaction) => { key: string; name: string } {
  const seen = new Map<string, { key: string; name: string }>();
  return (tx) => {
    const raw = rawMerchantText(tx);
    let m = seen.get(raw);
    if (!m) {
      const n = normalizeMerchant(raw);
      m = { key: n.key, name: n.display_name };
      seen.set(raw, m);
    }
    return m;
  };
}

/** One stream from the occurrences of one group, or null when no frequency fits. */
export function detectStream(
  txs: readonly IntelTransaction[],
  group: { merchant_key: string; merchant_name: string; direction: Direction; currency: string },
  asOf: string,
): RecurringStream | null {
  if (txs.length < 2) return null;
  const sorted = [...txs].sort((a, b) => a.occurred_at.localeCompare(b.occurred_at) || a.id.localeCompare(b.id));
  const days = sorted.map((t) => dayOf(t.occurred_at));
  for (const frequency of FREQUENCIES) {
    const schedule = scheduleFor(frequency, days);
    if (!schedule || !fits(schedule, days)) continue;
    const streamKey = `${group.merchant_key}|${group.direction}|${group.currency}`;
    const amounts = analyseAmounts(sorted, streamKey);
    const status = statusAt(schedule, sorted.length, dayOf(asOf));
    const total = sorted.reduce((sum, t) => sum + t.amount, 0);
    return {
      stream_key: streamKey,
      ...group,
      frequency,
      schedule,
      average_amount: Math.round(total / sorted.length),
      last_amount: sorted.at(-1)!.amount,
      current_amount: amounts.current,
      amount_kind: amounts.kind,
      first_date: days[0]!,
      last_date: days.at(-1)!,
      predicted_next_date: scheduledDate(schedule, sorted.length),
      status,
      is_active: status !== "TOMBSTONED",
      transaction_ids: sorted.map((t) => t.id),
      pending_amount: amounts.pending,
      price_changes: amounts.changes,
    };
  }
  return null;
}

/** Every recurring stream of one user's transactions, ordered by stream key. Rows after `asOf` are ignored. */
export function detectRecurring(txs: readonly IntelTransaction[], options: DetectOptions): RecurringStream[] {
  const asOf = dayOf(options.asOf);
  const merchantOf = options.merchantKey ?? defaultMerchant();
  const groups = new Map<string, { group: Parameters<typeof detectStream>[1]; txs: IntelTransaction[] }>();
  for (const tx of txs) {
    if (dayOf(tx.occurred_at) > asOf) continue;
    const m = merchantOf(tx);
    const key = `${m.key}|${tx.direction}|${tx.currency}`;
    const g = groups.get(key) ?? {
      group: { merchant_key: m.key || merchantKeyOf(m.name), merchant_name: m.name, direction: tx.direction, currency: tx.currency },
      txs: [],
    };
    g.txs.push(tx);
    groups.set(key, g);
  }
  const out: RecurringStream[] = [];
  for (const key of [...groups.keys()].sort()) {
    const g = groups.get(key)!;
    const stream = detectStream(g.txs, g.group, asOf);
    if (stream) {
      out.push(stream);
      continue;
    }
    // The whole group does not fit one schedule (a subscription among one-off purchases at the
    // same merchant): try each cluster of amounts within the tolerance of its smallest.
    for (const cluster of amountClusters(g.txs)) {
      const s = detectStream(cluster, g.group, asOf);
      if (s) out.push({ ...s, stream_key: `${s.stream_key}|${s.transaction_ids[0]}` });
    }
  }
  return out;
}

/** Groups of at least two rows whose amounts lie within 7.5 % of the group's smallest, smallest first. */
export function amountClusters(txs: readonly IntelTransaction[]): IntelTransaction[][] {
  const byAmount = [...txs].sort((a, b) => a.amount - b.amount || a.id.localeCompare(b.id));
  const clusters: IntelTransaction[][] = [];
  let current: IntelTransaction[] = [];
  for (const tx of byAmount) {
    if (current.length && !withinPermille(tx.amount, current[0]!.amount, AMOUNT_TOLERANCE_PERMILLE)) {
      clusters.push(current);
      current = [];
    }
    current.push(tx);
  }
  if (current.length) clusters.push(current);
  return clusters.filter((c) => c.length >= 2);
}

/** Every accepted price change of the streams, as findings. */
export function priceChangeFindings(streams: readonly RecurringStream[]): Explanation[] {
  return streams.flatMap((s) => s.price_changes);
}

/**
 * The monthly total of fixed costs per currency: active, fixed-amount debit
 * streams, each at its amount in force × occurrences per year / 12, rounded
 * once per stream to integer minor units.
 */
export function monthlyFixedCosts(streams: readonly RecurringStream[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const s of streams) {
    if (!s.is_active || s.direction !== "debit" || s.amount_kind !== "fixed") continue;
    out[s.currency] = (out[s.currency] ?? 0) + Math.round((s.current_amount * PER_YEAR[s.frequency]) / 12);
  }
  return out;
}
