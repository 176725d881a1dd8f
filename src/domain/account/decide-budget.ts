/**
 * Budget decisions: set and delete a budget, and the threshold alerts a
 * spending entry (or a recategorization) crosses, each once per period.
 */
import { DomainError } from "../errors";
import { spendingEffect } from "../spending";
import { crossedThresholds, periodBounds, validateBudget } from "./budget-rules";
import type { CommandOf } from "./commands";
import type { AccountEvent } from "./events";
import { assertOpen, type Account } from "./rules";
import type { DecideContext } from "./state";

export const MAX_BUDGETS = 50;

export function decideSetBudget(c: CommandOf<"set_budget">, a: Account, ctx: DecideContext): AccountEvent[] {
  assertOpen(a);
  const alertAt = [...c.alertAt].sort((x, y) => x - y);
  validateBudget({ category: c.category, limit: c.limit, period: c.period, alertAt, currency: a.currency });
  const existing = ctx.reads.budget(c.category);
  if (!existing && ctx.reads.budgetCount() >= MAX_BUDGETS)
    throw new DomainError("unprocessable", `At most ${MAX_BUDGETS} budgets per account`);
  return [
    {
      type: "budget_set",
      budget: {
        category: c.category,
        limit: c.limit,
        period: c.period,
        alertAt,
        createdAt: existing?.createdAt ?? ctx.now,
        updatedAt: ctx.now,
      },
    },
  ];
}

export function decideDeleteBudget(c: CommandOf<"delete_budget">, ctx: DecideContext): AccountEvent[] {
  if (!ctx.reads.budget(c.category)) throw new DomainError("not_found", "Budget not found");
  return [{ type: "budget_deleted", category: c.category }];
}

/**
 * The thresholds that `entry`'s spend, added to `category` (its own by
 * default), crosses in the period of its event time and that have not fired.
 */
export function budgetCrossings(
  entry: {
    kind: string;
    reversesKind: string | null;
    direction: "credit" | "debit";
    amount: number;
    occurredAt: string;
    category: string | null;
  },
  ctx: DecideContext,
  category: string | null = entry.category,
): AccountEvent[] {
  if (!category) return [];
  const effect = spendingEffect({ kind: entry.kind, reverses_kind: entry.reversesKind, direction: entry.direction, amount: entry.amount });
  const budget = effect && ctx.reads.budget(category);
  if (!effect || !budget) return [];
  const { start, end } = periodBounds(budget.period, entry.occurredAt);
  const before = ctx.reads.spent(category, start, end);
  const after = before + effect.amount;
  return crossedThresholds({ ...budget, currency: "" }, before, after)
    .filter((bp) => !ctx.reads.alerted(category, start, bp))
    .map((bp) => ({
      type: "budget_threshold_crossed" as const,
      category,
      period: budget.period,
      periodStart: start,
      thresholdBp: bp,
      spent: Math.max(after, 0),
      limit: budget.limit,
    }));
}
