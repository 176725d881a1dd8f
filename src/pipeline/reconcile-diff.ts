/**
 * Reconciliation, the comparing half: every difference between a Gold table
 * and its recomputation from the journal, named by table, row key and field
 * with both values. Sum tables (flows, spending) treat an absent row as zero,
 * which is what the read APIs show; a day row is compared as it stands. Pure.
 */
import type { MonthlyFlowDelta, SpendingDelta } from "./aggregate";
import type { DayFigures } from "./reconcile";

export interface Drift {
  table:
    | "gold_daily_balances"
    | "gold_monthly_flows"
    | "gold_spending"
    | "gold_transfers"
    | "gold_portfolio_daily"
    | "gold_portfolio_positions"
    | "silver_events";
  /** The Gold row's primary key (for totals, the account). */
  key: Record<string, string>;
  field: string;
  /** What Gold holds; null when the row is absent. */
  gold: number | null;
  /** What the journal entries Silver has ingested add up to; null when no entry makes the row. */
  journal: number | null;
}

interface RowDiff<T> {
  table: Drift["table"];
  key: (row: T) => Record<string, string>;
  fields: readonly (keyof T & string)[];
  /** Sum rows: an absent row equals a row of zeros. */
  absentIsZero: boolean;
}

function diffRows<T>(spec: RowDiff<T>, gold: readonly T[], journal: readonly T[]): Drift[] {
  const id = (row: T) => JSON.stringify(spec.key(row));
  const g = new Map(gold.map((r) => [id(r), r]));
  const j = new Map(journal.map((r) => [id(r), r]));
  const out: Drift[] = [];
  for (const k of [...new Set([...g.keys(), ...j.keys()])].sort()) {
    const a = g.get(k);
    const b = j.get(k);
    for (const field of spec.fields) {
      const gv = a ? (a[field] as number) : null;
      const jv = b ? (b[field] as number) : null;
      const differs = spec.absentIsZero ? (gv ?? 0) !== (jv ?? 0) : gv !== jv;
      if (differs) out.push({ table: spec.table, key: spec.key((a ?? b)!), field, gold: gv, journal: jv });
    }
  }
  return out;
}

export function diffDays(accountId: string, gold: readonly DayFigures[], journal: readonly DayFigures[]): Drift[] {
  return diffRows(
    {
      table: "gold_daily_balances",
      key: (d) => ({ account_id: accountId, day: d.day }),
      fields: ["inflow", "outflow", "net", "entries", "closing_balance"],
      absentIsZero: false,
    },
    gold,
    journal,
  );
}

export type FlowFigures = Pick<MonthlyFlowDelta, "account_id" | "month" | "kind" | "count" | "amount">;

export function diffFlows(gold: readonly FlowFigures[], journal: readonly FlowFigures[]): Drift[] {
  return diffRows(
    {
      table: "gold_monthly_flows",
      key: (f) => ({ account_id: f.account_id, month: f.month, kind: f.kind }),
      fields: ["count", "amount"],
      absentIsZero: true,
    },
    gold,
    journal,
  );
}

export function diffSpending(gold: readonly SpendingDelta[], journal: readonly SpendingDelta[]): Drift[] {
  return diffRows(
    {
      table: "gold_spending",
      key: (s) => ({ user_id: s.user_id, month: s.month, dimension: s.dimension, key: s.key, currency: s.currency }),
      fields: ["purchases", "refunds", "amount"],
      absentIsZero: true,
    },
    gold,
    journal,
  );
}

export interface AccountTotals {
  posted: number;
  pending: number;
  entries: number;
}

/** posted = latest closing and entries = Σ entries of the daily rows; pending = held transfers. */
export function diffTotals(accountId: string, gold: AccountTotals, journal: AccountTotals): Drift[] {
  const out: Drift[] = [];
  for (const field of ["posted", "entries", "pending"] as const) {
    if (gold[field] !== journal[field]) {
      out.push({
        table: field === "pending" ? "gold_transfers" : "gold_daily_balances",
        key: { account_id: accountId },
        field,
        gold: gold[field],
        journal: journal[field],
      });
    }
  }
  return out;
}
