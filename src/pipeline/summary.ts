/**
 * Read-side rules over Gold: income and expenses from the monthly flows, and
 * a dense day-by-day balance series from sparse daily rows. Pure.
 */
import type { DayFigures } from "./reconcile";
import { addDays } from "./time";

/** income = deposits + interest; expenses = purchases − refunds + fees + withdrawals; transfers apart. */
export const INCOME_KINDS = ["deposit", "interest"] as const;
export const EXPENSE_KINDS = { purchase: 1, refund: -1, fee: 1, withdrawal: 1 } as const;

/** A month's flow of one kind; `amount` as D1 gives a SUM exactly (decimal text) or a plain integer. */
export interface FlowRow {
  month: string;
  currency: string;
  kind: string;
  amount: number | string | bigint;
}

/**
 * Totals across a user's accounts, as decimal integer strings: they can pass
 * 2^53 (50 accounts of up to 10^15 each), where a JSON number stops being exact.
 */
export interface MonthSummary {
  month: string;
  currency: string;
  income: string;
  expenses: string;
  net: string;
  transfers_in: string;
  transfers_out: string;
}

/** Summed in BigInt, so every cent survives whatever the totals reach. */
export function summarizeMonths(flows: readonly FlowRow[]): MonthSummary[] {
  const out = new Map<
    string,
    { month: string; currency: string; income: bigint; expenses: bigint; transfers_in: bigint; transfers_out: bigint }
  >();
  for (const f of flows) {
    const key = `${f.month}|${f.currency}`;
    let s = out.get(key);
    if (!s) {
      s = { month: f.month, currency: f.currency, income: 0n, expenses: 0n, transfers_in: 0n, transfers_out: 0n };
      out.set(key, s);
    }
    const amount = BigInt(f.amount);
    if ((INCOME_KINDS as readonly string[]).includes(f.kind)) s.income += amount;
    else if (f.kind in EXPENSE_KINDS) s.expenses += BigInt(EXPENSE_KINDS[f.kind as keyof typeof EXPENSE_KINDS]) * amount;
    else if (f.kind === "transfer_in") s.transfers_in += amount;
    else if (f.kind === "transfer_out") s.transfers_out += amount;
  }
  return [...out.values()]
    .sort((a, b) => a.month.localeCompare(b.month) || a.currency.localeCompare(b.currency))
    .map((s) => ({
      month: s.month,
      currency: s.currency,
      income: String(s.income),
      expenses: String(s.expenses),
      net: String(s.income - s.expenses),
      transfers_in: String(s.transfers_in),
      transfers_out: String(s.transfers_out),
    }));
}

/** One account-day of Gold, the same shape reconciliation recomputes from the journal. */
export type DailyRow = DayFigures;

/** Every day of [from, to]; a quiet day carries the previous closing balance forward. */
export function denseDays(from: string, to: string, opening: number, rows: readonly DailyRow[]): DailyRow[] {
  const byDay = new Map(rows.map((r) => [r.day, r]));
  const out: DailyRow[] = [];
  let closing = opening;
  for (let day = from; day <= to; day = addDays(day, 1)) {
    const r = byDay.get(day);
    if (r) closing = r.closing_balance;
    out.push(r ? { ...r } : { day, inflow: 0, outflow: 0, net: 0, entries: 0, closing_balance: closing });
  }
  return out;
}
