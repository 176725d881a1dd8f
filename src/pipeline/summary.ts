/**
 * Read-side rules over Gold: income and expenses from the monthly flows, and
 * a dense day-by-day balance series from sparse daily rows. Pure.
 */
import type { DayFigures } from "./reconcile";
import { addDays } from "./time";

/** income = deposits + interest; expenses = purchases − refunds + fees + withdrawals; transfers apart. */
export const INCOME_KINDS = ["deposit", "interest"] as const;
export const EXPENSE_KINDS = { purchase: 1, refund: -1, fee: 1, withdrawal: 1 } as const;

export interface FlowRow {
  month: string;
  currency: string;
  kind: string;
  amount: number;
}

export interface MonthSummary {
  month: string;
  currency: string;
  income: number;
  expenses: number;
  net: number;
  transfers_in: number;
  transfers_out: number;
}

export function summarizeMonths(flows: readonly FlowRow[]): MonthSummary[] {
  const out = new Map<string, MonthSummary>();
  for (const f of flows) {
    const key = `${f.month}|${f.currency}`;
    let s = out.get(key);
    if (!s) {
      s = { month: f.month, currency: f.currency, income: 0, expenses: 0, net: 0, transfers_in: 0, transfers_out: 0 };
      out.set(key, s);
    }
    if ((INCOME_KINDS as readonly string[]).includes(f.kind)) s.income += f.amount;
    else if (f.kind in EXPENSE_KINDS) s.expenses += EXPENSE_KINDS[f.kind as keyof typeof EXPENSE_KINDS] * f.amount;
    else if (f.kind === "transfer_in") s.transfers_in += f.amount;
    else if (f.kind === "transfer_out") s.transfers_out += f.amount;
    s.net = s.income - s.expenses;
  }
  return [...out.values()].sort((a, b) => a.month.localeCompare(b.month) || a.currency.localeCompare(b.currency));
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
