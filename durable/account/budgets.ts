/**
 * Budgets as the shell runs them: set, list with spent/remaining/status for
 * the current period, delete. Spending is read from the journal itself (with
 * annotations), so it cannot drift from the entries.
 */
import { MAX_BUDGETS, periodBounds, statusOf } from "../../src/domain/account/index";
import { type Caller, ok, type Result, type SetBudgetInput } from "./api";
import type { AccountExecutor } from "./executor";
import { toBudgetState } from "./queries";
import type { BudgetRow } from "./rows";
import type { AccountStore } from "./store";

export interface BudgetParts {
  store: AccountStore;
  exec: AccountExecutor;
}

function budgetView(p: BudgetParts, r: BudgetRow, currency: string, nowIso: string) {
  const b = toBudgetState(r);
  const { start, end } = periodBounds(b.period, nowIso);
  const spent = Math.max(0, p.store.queries.spent(b.category, start, end));
  return {
    object: "budget" as const,
    category: b.category,
    limit: b.limit,
    currency,
    period: b.period,
    alert_at: b.alertAt,
    period_start: start,
    period_end: end,
    spent,
    remaining: Math.max(0, b.limit - spent),
    status: statusOf({ ...b, currency }, spent),
    created_at: r.created_at,
    updated_at: r.updated_at,
  };
}
export type BudgetView = ReturnType<typeof budgetView>;

export function setBudget(p: BudgetParts, caller: Caller, cmd: SetBudgetInput): Result<BudgetView> {
  return p.exec.write(caller, (now) => {
    const a = p.exec.owned(caller.userId);
    const created = !p.store.queries.budgetRow(cmd.category);
    p.exec.apply({ type: "set_budget", category: cmd.category, limit: cmd.limit, period: cmd.period, alertAt: cmd.alert_at }, now);
    return ok(created ? 201 : 200, budgetView(p, p.store.queries.budgetRow(cmd.category)!, a.currency, now));
  });
}

export function listBudgets(p: BudgetParts, caller: Caller) {
  return p.exec.guarded(caller, () => {
    const a = p.exec.owned(caller.userId);
    const now = new Date().toISOString();
    const data = p.store.queries.budgets(MAX_BUDGETS).map((r) => budgetView(p, r, a.currency, now));
    return ok(200, { object: "list" as const, data, has_more: false });
  });
}

export function deleteBudget(p: BudgetParts, caller: Caller, category: string): Result<undefined> {
  return p.exec.write(caller, (now) => {
    p.exec.owned(caller.userId);
    p.exec.apply({ type: "delete_budget", category }, now);
    return ok(204, undefined);
  });
}
