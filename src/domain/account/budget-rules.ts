/**
 * Budgets: a spending limit per category and period (UTC calendar month, or
 * ISO week from Monday). Spent is purchases minus refunds in the period, each
 * reversal cancelling its original. Each alert threshold fires once per period.
 */
import { DomainError } from "../errors";

export const BUDGET_PERIODS = ["monthly", "weekly"] as const;
export type BudgetPeriod = (typeof BUDGET_PERIODS)[number];

export interface Budget {
  category: string;
  limit: number;
  period: BudgetPeriod;
  alertAt: number[];
  currency: string;
}

export function periodBounds(period: BudgetPeriod, atIso: string): { start: string; end: string } {
  const d = new Date(atIso);
  if (period === "monthly") {
    const start = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1));
    const end = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1));
    return { start: start.toISOString(), end: end.toISOString() };
  }
  const dayFromMonday = (d.getUTCDay() + 6) % 7;
  const start = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate() - dayFromMonday));
  const end = new Date(start.getTime() + 7 * 86_400_000);
  return { start: start.toISOString(), end: end.toISOString() };
}

/** Thresholds as integer basis points (0.8 → 8000) so comparisons stay exact. */
export function toBasisPoints(t: number): number {
  return Math.round(t * 10_000);
}

export function statusOf(budget: Budget, spent: number): "ok" | "warning" | "exceeded" {
  if (spent > budget.limit) return "exceeded";
  const warnAt = Math.min(...budget.alertAt.map(toBasisPoints), 10_000);
  return BigInt(spent) * 10_000n >= BigInt(warnAt) * BigInt(budget.limit) ? "warning" : "ok";
}

/** Thresholds (in basis points) that spending crossed going from `before` to `after`. */
export function crossedThresholds(budget: Budget, before: number, after: number): number[] {
  const limit = BigInt(budget.limit);
  const reached = (spent: number, bp: number) => BigInt(spent) * 10_000n >= BigInt(bp) * limit;
  return budget.alertAt.map(toBasisPoints).filter((bp) => !reached(before, bp) && reached(after, bp));
}

export function validateBudget(b: Budget): void {
  if (b.alertAt.length > 5) throw new DomainError("validation_error", "At most 5 alert thresholds");
  if (new Set(b.alertAt.map(toBasisPoints)).size !== b.alertAt.length)
    throw new DomainError("validation_error", "Alert thresholds must be distinct");
}
