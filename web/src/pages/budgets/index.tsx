/**
 * The budgets editor: every budget of your open accounts with its pace
 * ("left to spend"), a form that creates or replaces one (PUT per account and
 * category), and delete. Limits are typed in major units, converted exactly.
 */
import { useState } from "preact/hooks";
import { api } from "../../api/client";
import { errorMessage, unwrap } from "../../api/errors";
import type { Account, Budget } from "../../api/types";
import { type AccountBudgets, Budgets } from "../../components/budget-list";
import { field, InputError, useSubmit } from "../../components/form";
import { FormStatus } from "../../components/form-status";
import { ErrorNote, Loading } from "../../components/status";
import { useData } from "../../components/use-data";
import { loadAccounts } from "../../lib/accounts";
import { formatMoney, parseAmount, toMajorString } from "../../lib/money";
import type { PageRoute } from "../../router";

interface Editing {
  accountId: string;
  budget?: Budget;
}

async function load(): Promise<{ accounts: Account[]; items: AccountBudgets[] }> {
  const accounts = (await loadAccounts()).filter((a) => a.status === "open");
  const items = await Promise.all(
    accounts.map(async (account) => ({
      account,
      budgets: unwrap(await api.GET("/v1/accounts/{id}/budgets", { params: { path: { id: account.id } } })).data,
    })),
  );
  return { accounts, items };
}

function BudgetForm({ accounts, editing, onDone }: { accounts: Account[]; editing: Editing; onDone: () => void }) {
  const s = useSubmit(async (f) => {
    const account = accounts.find((a) => a.id === field(f, "account"));
    if (!account) throw new InputError("Choose an account");
    const category = (field(f, "category") ?? "").toLowerCase();
    if (!/^[a-z0-9_-]{1,40}$/.test(category))
      throw new InputError("The category is a lowercase word of a-z, 0-9, _ and - (e.g. groceries)");
    const limit = parseAmount(field(f, "limit") ?? "", account.currency);
    if (limit === null) throw new InputError(`Enter the limit as a positive amount in ${account.currency}`);
    const period = field(f, "period") === "weekly" ? "weekly" : "monthly";
    const b = unwrap(
      await api.PUT("/v1/accounts/{id}/budgets/{category}", {
        params: { path: { id: account.id, category } },
        body: { limit, period, alert_at: editing.budget?.alert_at ?? [0.8, 1] },
      }),
    );
    onDone();
    return `Budget for ${b.category}: ${formatMoney(b.limit, b.currency)} ${b.period}.`;
  });
  const b = editing.budget;
  const currency = accounts.find((a) => a.id === editing.accountId)?.currency ?? "USD";
  return (
    <form class="card" onSubmit={s.onSubmit} aria-labelledby="h-budget-form" data-testid="budget-form">
      <h2 id="h-budget-form">{b ? `Edit the ${b.category} budget` : "New budget"}</h2>
      <div class="form-row">
        <label>
          Account
          <select name="account" defaultValue={editing.accountId} disabled={!!b}>
            {accounts.map((a) => (
              <option key={a.id} value={a.id}>
                {a.name} ({a.currency})
              </option>
            ))}
          </select>
        </label>
        {b && <input type="hidden" name="account" value={editing.accountId} />}
        <label>
          Category
          <input name="category" required maxLength={40} defaultValue={b?.category ?? ""} readOnly={!!b} />
        </label>
        <label>
          Limit
          <input name="limit" inputMode="decimal" required defaultValue={b ? toMajorString(b.limit, currency) : ""} />
        </label>
        <label>
          Period
          <select name="period" defaultValue={b?.period ?? "monthly"}>
            <option value="monthly">monthly</option>
            <option value="weekly">weekly</option>
          </select>
        </label>
      </div>
      <FormStatus s={s} />
      <button type="submit" disabled={s.busy}>
        {b ? "Save budget" : "Create budget"}
      </button>
    </form>
  );
}

function BudgetsPage() {
  const { data, error, loading, reload } = useData(load, []);
  const [editing, setEditing] = useState<Editing | null>(null);
  const [actionError, setActionError] = useState<string | undefined>();
  if (loading && !data) return <Loading what="Loading budgets" />;
  if (!data) return <ErrorNote error={error} />;
  const current = editing ?? { accountId: data.accounts[0]?.id ?? "" };
  const remove = async (accountId: string, category: string) => {
    setActionError(undefined);
    try {
      unwrap(await api.DELETE("/v1/accounts/{id}/budgets/{category}", { params: { path: { id: accountId, category } } }));
      if (editing?.budget?.category === category) setEditing(null);
      await reload();
    } catch (err) {
      setActionError(errorMessage(err));
    }
  };
  return (
    <>
      <h1>Budgets</h1>
      <ErrorNote error={error} />
      <section class="card" aria-labelledby="h-budget-list">
        <h2 id="h-budget-list">This period</h2>
        <ErrorNote error={actionError} />
        <Budgets
          items={data.items.filter((i) => i.budgets.length > 0)}
          actions={(a, b) => (
            <span class="actions">
              <button
                type="button"
                class="secondary"
                onClick={() => setEditing({ accountId: a.id, budget: b })}
                aria-label={`Edit the ${b.category} budget`}
              >
                Edit
              </button>
              <button
                type="button"
                class="danger"
                onClick={() => void remove(a.id, b.category)}
                aria-label={`Delete the ${b.category} budget`}
              >
                Delete
              </button>
            </span>
          )}
        />
      </section>
      {data.accounts.length === 0 ? (
        <p class="muted">Open an account to set budgets.</p>
      ) : (
        <BudgetForm
          key={`${current.accountId}:${current.budget?.category ?? "new"}`}
          accounts={data.accounts}
          editing={current}
          onDone={() => {
            setEditing(null);
            void reload();
          }}
        />
      )}
      {editing && (
        <button type="button" class="secondary" onClick={() => setEditing(null)}>
          New budget instead
        </button>
      )}
    </>
  );
}

export const route: PageRoute = {
  path: "/budgets",
  title: "Budgets",
  access: "user",
  nav: { label: "Budgets", order: 30 },
  component: BudgetsPage,
};
