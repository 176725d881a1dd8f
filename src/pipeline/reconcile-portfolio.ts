/**
 * Reconciliation of the Gold portfolio of a brokerage account: each day's
 * cash moved, external flows and closing cash against the journal's entries
 * (the same fold the live pipeline runs), and each symbol's latest quantity
 * against the account's own positions (the sum of its fills). Pure.
 */
import type { PortfolioDayDelta } from "./portfolio-deltas";
import type { Drift } from "./reconcile-diff";

export interface PortfolioDayFigures {
  day: string;
  cash_net: number;
  cash: number;
  contributions: number;
  withdrawals: number;
}

/** The journal's day rows with the running cash, oldest first. */
export function portfolioDays(deltas: readonly PortfolioDayDelta[]): PortfolioDayFigures[] {
  let cash = 0;
  return [...deltas]
    .sort((a, b) => (a.day < b.day ? -1 : 1))
    .map((d) => {
      cash += d.cash_net;
      return { day: d.day, cash_net: d.cash_net, cash, contributions: d.contributions, withdrawals: d.withdrawals };
    });
}

const FIELDS = ["cash_net", "cash", "contributions", "withdrawals"] as const;

export function diffPortfolioDays(
  accountId: string,
  gold: readonly PortfolioDayFigures[],
  journal: readonly PortfolioDayFigures[],
): Drift[] {
  const g = new Map(gold.map((r) => [r.day, r]));
  const j = new Map(journal.map((r) => [r.day, r]));
  const out: Drift[] = [];
  for (const day of [...new Set([...g.keys(), ...j.keys()])].sort()) {
    for (const field of FIELDS) {
      const gv = g.get(day)?.[field] ?? null;
      const jv = j.get(day)?.[field] ?? null;
      if (gv !== jv) out.push({ table: "gold_portfolio_daily", key: { account_id: accountId, day }, field, gold: gv, journal: jv });
    }
  }
  return out;
}

/** Latest Gold quantity per symbol vs the account's positions (QTY_SCALE); an absent symbol holds 0. */
export function diffPositions(accountId: string, gold: ReadonlyMap<string, number>, account: ReadonlyMap<string, number>): Drift[] {
  const out: Drift[] = [];
  for (const symbol of [...new Set([...gold.keys(), ...account.keys()])].sort()) {
    const gv = gold.get(symbol) ?? 0;
    const jv = account.get(symbol) ?? 0;
    if (gv !== jv)
      out.push({ table: "gold_portfolio_positions", key: { account_id: accountId, symbol }, field: "qty", gold: gv, journal: jv });
  }
  return out;
}
