/**
 * The weekly and monthly digests behind `GET /v1/insights/digests` (issue 12,
 * "Health score, insights and budget suggestions"). Pure: the user's
 * transactions and streams in, one period's digest out, one currency.
 *
 * - The period is the last full one before the day after as-of: Monday to
 *   Sunday (UTC) for weekly, a calendar month for monthly; compared with the
 *   period before it (change in percent, null when the previous was 0).
 * - Spend = debits less refunds (a refund lowers its category's spend, it is
 *   not income), income = the other credits of the income and spending kinds;
 *   savings rate = (income − spend) / income (null without income).
 * - Anomalies: the stored anomaly scores (elevated or highest) of the period, with their reasons.
 * - New merchants: merchant keys with a debit in the period and none before it.
 * - Subscriptions: new = debit streams whose first charge is in the period;
 *   cancelled = TOMBSTONED debit streams whose missed charge was due in the
 *   period or the one before; price_changed = accepted price changes effective in the period.
 * - Bills due in 7 days: active debit streams predicted in (as_of, as_of + 7].
 * - Budget suggestions: per category, the 75th percentile (linear) of its
 *   spend over the 6 full months before the period's end month, rounded to minor units.
 */
import { quantileSorted } from "simple-statistics";
import { normalizeMerchant, rawMerchantText } from "./merchant-normalizer";
import type { RecurringStream } from "./recurring";
import type { Reason, RiskLevel } from "./anomaly";
import { addDays, dayOf, type IntelTransaction, incomeOf, monthDay, spendOf } from "./types";

export type DigestPeriod = "weekly" | "monthly";
export const SUGGESTION_MONTHS = 6;
export const SUGGESTION_QUANTILE = 0.75;

export interface Window {
  start: string;
  /** Exclusive. */
  end: string;
}

/** The last full period ending on or before the day after `asOf`, and the one before it. */
export function periodWindows(period: DigestPeriod, asOf: string): { current: Window; previous: Window } {
  const next = addDays(asOf, 1);
  if (period === "weekly") {
    const dow = (new Date(`${next}T00:00:00Z`).getUTCDay() + 6) % 7; // days since Monday
    const end = addDays(next, -dow);
    return { current: { start: addDays(end, -7), end }, previous: { start: addDays(end, -14), end: addDays(end, -7) } };
  }
  const end = `${next.slice(0, 7)}-01`;
  const start = monthDay(end, -1, 1);
  return { current: { start, end }, previous: { start: monthDay(end, -2, 1), end: start } };
}

const within = (day: string, w: Window) => day >= w.start && day < w.end;

function totals(txs: readonly IntelTransaction[], w: Window) {
  let spend = 0;
  let income = 0;
  for (const t of txs) {
    if (!within(dayOf(t.occurred_at), w)) continue;
    spend += spendOf(t);
    income += incomeOf(t);
  }
  return { spend, income };
}

const change = (now: number, before: number) => (before === 0 ? null : Math.round(((now - before) / before) * 1000) / 10);

/** Per category, the 75th percentile of the last 6 full months' spend before `monthEnd` (months without spend count as 0). */
export function budgetSuggestions(
  txs: readonly IntelTransaction[],
  monthEnd: string,
): { category: string; amount: number; months: number }[] {
  const months = Array.from({ length: SUGGESTION_MONTHS }, (_, i) => monthDay(monthEnd, -(i + 1), 1).slice(0, 7));
  const by = new Map<string, Map<string, number>>();
  for (const t of txs) {
    const month = t.occurred_at.slice(0, 7);
    if (spendOf(t) === 0 || !months.includes(month)) continue;
    const category = t.category ?? "uncategorized";
    const m = by.get(category) ?? new Map<string, number>();
    m.set(month, (m.get(month) ?? 0) + spendOf(t));
    by.set(category, m);
  }
  return [...by]
    .map(([category, m]) => {
      const values = months.map((mo) => m.get(mo) ?? 0).sort((a, b) => a - b);
      return { category, amount: Math.max(0, Math.round(quantileSorted(values, SUGGESTION_QUANTILE))), months: SUGGESTION_MONTHS };
    })
    .filter((s) => s.amount > 0)
    .sort((a, b) => b.amount - a.amount || a.category.localeCompare(b.category));
}

export interface DigestInput {
  period: DigestPeriod;
  as_of: string;
  currency: string;
  transactions: readonly IntelTransaction[];
  streams: readonly RecurringStream[];
  forecast_low: { date: string; p50: number } | null;
  /** Stored anomaly scores of the user (any range; the period's are taken here). */
  anomalies?: readonly DigestAnomaly[];
}

export interface DigestAnomaly {
  entry_id: string;
  occurred_at: string;
  amount: number;
  currency: string;
  score: number;
  risk_level: RiskLevel;
  reasons: Reason[];
}

export function buildDigest(input: DigestInput) {
  const { current, previous } = periodWindows(input.period, input.as_of);
  const txs = input.transactions.filter((t) => t.currency === input.currency);
  const streams = input.streams.filter((s) => s.currency === input.currency && s.direction === "debit");
  const now = totals(txs, current);
  const before = totals(txs, previous);
  const spending = txs.filter((t) => spendOf(t) !== 0 && within(dayOf(t.occurred_at), current));
  const inPeriod = spending.filter((t) => t.direction === "debit");
  const categories = new Map<string, number>();
  for (const t of spending)
    categories.set(t.category ?? "uncategorized", (categories.get(t.category ?? "uncategorized") ?? 0) + spendOf(t));
  const keyOf = (t: IntelTransaction) => normalizeMerchant(rawMerchantText(t)).key;
  const seenBefore = new Set(txs.filter((t) => dayOf(t.occurred_at) < current.start).map(keyOf));
  const newMerchants = new Map<string, string>();
  for (const t of inPeriod) if (!seenBefore.has(keyOf(t))) newMerchants.set(keyOf(t), normalizeMerchant(rawMerchantText(t)).display_name);
  const due = addDays(input.as_of, 7);
  return {
    period: input.period,
    start: current.start,
    end: addDays(current.end, -1),
    currency: input.currency,
    totals: {
      spend: now.spend,
      income: now.income,
      previous_spend: before.spend,
      previous_income: before.income,
      spend_change_pct: change(now.spend, before.spend),
      income_change_pct: change(now.income, before.income),
      savings_rate: now.income > 0 ? Math.round(((now.income - now.spend) / now.income) * 1000) / 1000 : null,
    },
    top_categories: [...categories]
      .filter(([, amount]) => amount > 0)
      .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
      .slice(0, 5)
      .map(([category, amount]) => ({ category, amount })),
    largest_expenses: [...inPeriod]
      .sort((a, b) => b.amount - a.amount || a.id.localeCompare(b.id))
      .slice(0, 5)
      .map((t) => ({ transaction_id: t.id, date: dayOf(t.occurred_at), merchant: rawMerchantText(t) || null, amount: t.amount })),
    new_merchants: [...newMerchants]
      .map(([merchant_key, name]) => ({ merchant_key, name }))
      .sort((a, b) => a.merchant_key.localeCompare(b.merchant_key)),
    subscriptions: {
      new: streams.filter((s) => within(s.first_date, current)).map((s) => s.stream_key),
      cancelled: streams
        .filter((s) => s.status === "TOMBSTONED" && within(s.predicted_next_date, { start: previous.start, end: current.end }))
        .map((s) => s.stream_key),
      price_changed: streams.flatMap((s) =>
        s.price_changes
          .filter((p) => within(String(p.observed.effective_date), current))
          .map((p) => ({ stream_key: s.stream_key, ...p.observed, ...p.baseline })),
      ),
    },
    bills_due_7d: streams
      .filter((s) => s.is_active && s.predicted_next_date > input.as_of && s.predicted_next_date <= due)
      .map((s) => ({ stream_key: s.stream_key, merchant_name: s.merchant_name, date: s.predicted_next_date, amount: s.current_amount }))
      .sort((a, b) => a.date.localeCompare(b.date) || a.stream_key.localeCompare(b.stream_key)),
    anomalies: (input.anomalies ?? [])
      .filter((a) => a.currency === input.currency && a.risk_level !== "normal" && within(dayOf(a.occurred_at), current))
      .map((a) => ({
        transaction_id: a.entry_id,
        date: dayOf(a.occurred_at),
        amount: a.amount,
        score: a.score,
        risk_level: a.risk_level,
        reasons: a.reasons,
      })),
    forecast_low: input.forecast_low,
    budget_suggestions: budgetSuggestions(txs, `${current.end.slice(0, 7)}-01`),
  };
}

export type Digest = ReturnType<typeof buildDigest>;
