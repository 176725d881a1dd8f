/**
 * The financial health score behind `GET /v1/insights/health` (issue 12,
 * "Health score"), version HEALTH_VERSION: four pillars 0–100, the score their
 * rounded mean, and the pillars as drivers, weakest first. Pure and
 * transaction-based; every pillar says what it observed against what.
 *
 * - spend_vs_income: savings rate r = (income − spend) / income over the last
 *   90 days; 50 + 250·r clamped (r = 0 → 50, r ≥ 20 % → 100, r ≤ −20 % → 0).
 *   No income: 0 when anything was spent, else 50. A refund is not income: it
 *   lowers the spend (src/domain/intel/types.ts spendOf/incomeOf).
 * - liquid_buffer: the balance at as-of over the essential spend per month
 *   (essential categories plus the charges of fixed recurring debit streams,
 *   over the 90 days, × 30/90); 6 months or more → 100, linear below. No
 *   essential spend: 100 when the balance is positive, else 0.
 * - negative_days: 100 − 10 per day of the 90 that closed below zero (≥ 10 → 0).
 * - bills_on_time: of the recurring debit charges due in the 90 days, the share
 *   that arrived within the date tolerance (a stream overdue past its tolerance
 *   counts one missed charge); no bills → 100.
 */
import { DATE_TOLERANCE, type RecurringStream } from "./recurring";
import { addDays, dayDiff, dayOf, type IntelTransaction, incomeOf, spendOf } from "./types";

export const HEALTH_VERSION = "health-v1";
export const WINDOW_DAYS = 90;
export const BUFFER_TARGET_MONTHS = 6;
export const ESSENTIAL_CATEGORIES: ReadonlySet<string> = new Set([
  "rent",
  "housing",
  "mortgage",
  "utilities",
  "groceries",
  "insurance",
  "healthcare",
  "transport",
  "childcare",
  "loan",
]);

export type Pillar = "spend_vs_income" | "liquid_buffer" | "negative_days" | "bills_on_time";

export interface PillarScore {
  pillar: Pillar;
  score: number;
  reason: string;
  observed: Record<string, number | null>;
  baseline: Record<string, number>;
}

export interface HealthInput {
  as_of: string;
  currency: string;
  /** The user's transactions (any range; the window is taken here). */
  transactions: readonly IntelTransaction[];
  /** Streams the user did not dismiss. */
  streams: readonly RecurringStream[];
  /** The balance at the end of as_of, minor units. */
  balance: number;
  /** Closing balances of the window's days (any order). */
  daily_balances: readonly { day: string; balance: number }[];
}

export interface HealthScore {
  version: string;
  as_of: string;
  currency: string;
  score: number;
  pillars: PillarScore[];
  /** The pillars ordered weakest first: what moves the score most. */
  drivers: PillarScore[];
}

const clamp = (x: number) => Math.max(0, Math.min(100, Math.round(x)));

/** The window's transactions of the currency: (as_of − 90 days, as_of]. */
export function inWindow(txs: readonly IntelTransaction[], asOf: string, currency: string, days = WINDOW_DAYS): IntelTransaction[] {
  const start = addDays(asOf, -days);
  return txs.filter((t) => t.currency === currency && dayOf(t.occurred_at) > start && dayOf(t.occurred_at) <= asOf);
}

export function spendVsIncome(window: readonly IntelTransaction[]): PillarScore {
  let income = 0;
  let spend = 0;
  for (const t of window) {
    income += incomeOf(t);
    spend += spendOf(t);
  }
  const rate = income > 0 ? (income - spend) / income : null;
  const score = rate === null ? (spend > 0 ? 0 : 50) : clamp(50 + 250 * rate);
  const reason =
    rate === null ? "No income in the last 90 days." : `You kept ${Math.round(rate * 100)} % of your income over the last 90 days.`;
  return { pillar: "spend_vs_income", score, reason, observed: { income, spend, savings_rate: rate }, baseline: { target_rate: 0.2 } };
}

export function essentialMonthly(window: readonly IntelTransaction[], streams: readonly RecurringStream[]): number {
  const fixed = new Set(streams.filter((s) => s.direction === "debit" && s.amount_kind === "fixed").flatMap((s) => s.transaction_ids));
  let sum = 0;
  for (const t of window) if (fixed.has(t.id) || ESSENTIAL_CATEGORIES.has(t.category ?? "")) sum += spendOf(t);
  return Math.max(0, Math.round((sum * 30) / WINDOW_DAYS));
}

export function liquidBuffer(balance: number, monthly: number): PillarScore {
  const months = monthly > 0 ? balance / monthly : null;
  const score = months === null ? (balance > 0 ? 100 : 0) : clamp((months / BUFFER_TARGET_MONTHS) * 100);
  const reason =
    months === null
      ? "No essential spending in the last 90 days."
      : `Your balance covers ${Math.max(0, months).toFixed(1)} months of essential spending.`;
  return {
    pillar: "liquid_buffer",
    score,
    reason,
    observed: { balance, essential_monthly: monthly, months: months === null ? null : Math.round(months * 100) / 100 },
    baseline: { target_months: BUFFER_TARGET_MONTHS },
  };
}

export function negativeDays(daily: readonly { day: string; balance: number }[]): PillarScore {
  const days = daily.filter((d) => d.balance < 0).length;
  return {
    pillar: "negative_days",
    score: clamp(100 - 10 * days),
    reason: days === 0 ? "No day closed below zero in the last 90 days." : `${days} of the last 90 days closed below zero.`,
    observed: { negative_days: days },
    baseline: { window_days: daily.length, points_per_day: 10 },
  };
}

export function billsOnTime(streams: readonly RecurringStream[], window: readonly IntelTransaction[], asOf: string): PillarScore {
  const start = addDays(asOf, -WINDOW_DAYS);
  const inWindowIds = new Set(window.map((t) => t.id));
  let paid = 0;
  let missed = 0;
  for (const s of streams) {
    if (s.direction !== "debit") continue;
    // The detector only keeps charges that fit the schedule: each one in the window arrived on time.
    paid += s.transaction_ids.filter((id) => inWindowIds.has(id)).length;
    const overdue = dayDiff(s.predicted_next_date, asOf) > DATE_TOLERANCE[s.frequency];
    if (overdue && s.predicted_next_date > start) missed++;
  }
  const due = paid + missed;
  return {
    pillar: "bills_on_time",
    score: due === 0 ? 100 : clamp((paid / due) * 100),
    reason: due === 0 ? "No recurring bills in the last 90 days." : `${paid} of ${due} recurring bills arrived on time.`,
    observed: { paid, missed },
    baseline: { window_days: WINDOW_DAYS },
  };
}

export function healthScore(input: HealthInput): HealthScore {
  const window = inWindow(input.transactions, input.as_of, input.currency);
  const streams = input.streams.filter((s) => s.currency === input.currency);
  const pillars = [
    spendVsIncome(window),
    liquidBuffer(input.balance, essentialMonthly(window, streams)),
    negativeDays(input.daily_balances),
    billsOnTime(streams, window, input.as_of),
  ];
  const score = Math.round(pillars.reduce((s, p) => s + p.score, 0) / pillars.length);
  const drivers = [...pillars].sort((a, b) => a.score - b.score || a.pillar.localeCompare(b.pillar));
  return { version: HEALTH_VERSION, as_of: input.as_of, currency: input.currency, score, pillars, drivers };
}
