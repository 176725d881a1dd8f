/**
 * Reconciliation: recompute an account's daily figures from its journal (the
 * source of truth) with the same rules Gold uses — UTC event day, credit in,
 * debit out, closing = running sum — and list every difference with Gold.
 * Pure: the route feeds it the journal pages and the Gold rows.
 */
import { dayOf, toUtcIso } from "./time";

export interface JournalEntry {
  seq: number;
  direction: "credit" | "debit";
  amount: number;
  occurred_at: string;
}

export interface DayFigures {
  day: string;
  inflow: number;
  outflow: number;
  net: number;
  entries: number;
  closing_balance: number;
}

export interface Drift {
  day: string | null;
  field: string;
  gold: number | null;
  journal: number | null;
}

export function journalDays(entries: Iterable<JournalEntry>): DayFigures[] {
  const days = new Map<string, DayFigures>();
  for (const e of entries) {
    const day = dayOf(toUtcIso(e.occurred_at) ?? e.occurred_at);
    let d = days.get(day);
    if (!d) {
      d = { day, inflow: 0, outflow: 0, net: 0, entries: 0, closing_balance: 0 };
      days.set(day, d);
    }
    if (e.direction === "credit") d.inflow += e.amount;
    else d.outflow += e.amount;
    d.net += e.direction === "credit" ? e.amount : -e.amount;
    d.entries += 1;
  }
  const sorted = [...days.values()].sort((a, b) => a.day.localeCompare(b.day));
  let running = 0;
  for (const d of sorted) {
    running += d.net;
    d.closing_balance = running;
  }
  return sorted;
}

const FIELDS = ["inflow", "outflow", "net", "entries", "closing_balance"] as const;

/** Day-by-day differences; a day present on one side only shows the other side as null. */
export function diffDays(gold: readonly DayFigures[], journal: readonly DayFigures[]): Drift[] {
  const g = new Map(gold.map((d) => [d.day, d]));
  const j = new Map(journal.map((d) => [d.day, d]));
  const days = [...new Set([...g.keys(), ...j.keys()])].sort();
  const out: Drift[] = [];
  for (const day of days) {
    const a = g.get(day);
    const b = j.get(day);
    for (const field of FIELDS) {
      const gv = a?.[field] ?? null;
      const jv = b?.[field] ?? null;
      if (gv !== jv) out.push({ day, field, gold: gv, journal: jv });
    }
  }
  return out;
}

export interface AccountTotals {
  posted: number;
  pending: number;
  entries: number;
}

export function diffTotals(gold: AccountTotals, journal: AccountTotals): Drift[] {
  const out: Drift[] = [];
  for (const field of ["posted", "pending", "entries"] as const) {
    if (gold[field] !== journal[field]) out.push({ day: null, field, gold: gold[field], journal: journal[field] });
  }
  return out;
}
