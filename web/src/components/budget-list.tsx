/** Each budget's spending this period, what is left and the pace against the time gone. */
import type { ComponentChildren } from "preact";
import type { Budget, DashboardAccount } from "../api/types";
import { formatPercent } from "../lib/money";
import { Link } from "./link";
import { Money } from "./money";

export interface AccountBudgets {
  account: Pick<DashboardAccount, "id" | "name">;
  budgets: Budget[];
}

/** Spending as a share of the limit, against the share of the period gone: > 1 means ahead of pace. */
export function budgetPace(b: Budget, now = Date.now()): { elapsed: number; used: number } {
  const start = new Date(b.period_start).getTime();
  const end = new Date(b.period_end).getTime();
  const elapsed = end > start ? Math.min(1, Math.max(0, (now - start) / (end - start))) : 1;
  return { elapsed, used: b.limit > 0 ? b.spent / b.limit : 0 };
}

function paceText(b: Budget): string {
  const { elapsed, used } = budgetPace(b);
  if (b.status === "exceeded") return "over the limit";
  if (used > elapsed + 0.05)
    return `ahead of pace (${formatPercent(used)} spent, ${formatPercent(elapsed)} of the ${b.period === "weekly" ? "week" : "month"} gone)`;
  return `on pace (${formatPercent(used)} spent, ${formatPercent(elapsed)} of the ${b.period === "weekly" ? "week" : "month"} gone)`;
}

/** Budgets with their pace; `actions` adds controls to each (the budgets editor's edit and delete). */
export function Budgets({
  items,
  actions,
}: {
  items: AccountBudgets[];
  actions?: (a: AccountBudgets["account"], b: Budget) => ComponentChildren;
}) {
  if (items.length === 0)
    return (
      <p class="muted">
        No budgets yet. <Link href="/budgets">Set one</Link>.
      </p>
    );
  return (
    <ul class="budgets">
      {items.flatMap(({ account, budgets }) =>
        budgets.map((b) => (
          <li key={`${account.id}:${b.category}`} class={`budget ${b.status}`} data-testid={`budget-${b.category}`}>
            <div class="budget-head">
              <strong>{b.category}</strong>
              <span class="muted">
                <Link href={`/accounts/${account.id}`}>{account.name}</Link> · {b.period}
              </span>
            </div>
            <meter
              min={0}
              max={b.limit}
              low={b.limit * 0.8}
              high={b.limit * 0.99}
              optimum={0}
              value={Math.min(b.spent, b.limit)}
              aria-label={`${b.category} spent`}
            />
            <div class="budget-foot">
              <span>
                <Money amount={b.spent} currency={b.currency} /> of <Money amount={b.limit} currency={b.currency} />
              </span>
              <span data-testid="left-to-spend">
                {b.spent <= b.limit ? (
                  <>
                    <Money amount={b.remaining} currency={b.currency} /> left to spend
                  </>
                ) : (
                  <>
                    <Money amount={b.spent - b.limit} currency={b.currency} /> over
                  </>
                )}
              </span>
            </div>
            <p class="muted small">{paceText(b)}</p>
            {actions?.(account, b)}
          </li>
        )),
      )}
    </ul>
  );
}
