/**
 * Cashback rules on the Rules page: your rules per account (GET
 * /v1/cashback/rules) with delete, and a form that adds one: scope (merchant
 * entity, category, the quarter's rotating categories, or every purchase),
 * rate in basis points, a cap per month or quarter with a fallback rate, a
 * validity window and one rotating quarter.
 */
import { useState } from "preact/hooks";
import { api } from "../../api/client";
import { errorMessage, unwrap } from "../../api/errors";
import type { Account, CashbackRule, CreateCashbackRule } from "../../api/types";
import { DataTable } from "../../components/data-table";
import { field, InputError, useSubmit } from "../../components/form";
import { FormStatus } from "../../components/form-status";
import { ErrorNote } from "../../components/status";
import { useData } from "../../components/use-data";
import { dayOf } from "../../lib/dates";

const whole = (f: FormData, name: string, label: string): number | undefined => {
  const v = field(f, name);
  if (v === undefined) return undefined;
  if (!/^\d+$/.test(v)) throw new InputError(`${label} is a whole number`);
  return Number(v);
};

function cashbackBody(f: FormData): CreateCashbackRule {
  const scope = (field(f, "scope") ?? "all") as CreateCashbackRule["scope"];
  const value = field(f, "scope_value");
  if ((scope === "merchant" || scope === "category") && !value) throw new InputError(`Name the ${scope}`);
  const quarter = field(f, "quarter");
  const categories = (field(f, "quarter_categories") ?? "")
    .split(",")
    .map((c) => c.trim())
    .filter(Boolean);
  if (scope === "rotating" && (!quarter || categories.length === 0)) throw new InputError("Give the quarter and its categories");
  const rate = whole(f, "rate_bps", "The rate");
  if (rate === undefined) throw new InputError("Give the rate in basis points");
  return {
    account_id: field(f, "account_id") ?? "",
    name: field(f, "name") ?? "",
    scope,
    scope_value: scope === "merchant" || scope === "category" ? (value ?? null) : null,
    rate_bps: rate,
    cap: whole(f, "cap", "The cap") ?? null,
    cap_period: (field(f, "cap_period") ?? "month") as CreateCashbackRule["cap_period"],
    fallback_bps: whole(f, "fallback_bps", "The fallback rate") ?? 0,
    valid_from: field(f, "valid_from") ?? dayOf(new Date()),
    valid_to: field(f, "valid_to") ?? null,
    rotating: scope === "rotating" && quarter ? { [quarter]: categories } : {},
  };
}

function CashbackForm({ accounts, onCreated }: { accounts: Account[]; onCreated: () => void }) {
  const s = useSubmit(async (f, _key, form) => {
    const made = unwrap(await api.POST("/v1/cashback/rules", { body: cashbackBody(f) }));
    form.reset();
    onCreated();
    return `Cashback rule added: ${made.name}`;
  });
  return (
    <form onSubmit={s.onSubmit} aria-labelledby="h-cashback-form" data-testid="cashback-form">
      <h3 id="h-cashback-form">New cashback rule</h3>
      <div class="form-row">
        <label>
          Account
          <select name="account_id" required>
            {accounts.map((a) => (
              <option key={a.id} value={a.id}>
                {a.name}
              </option>
            ))}
          </select>
        </label>
        <label>
          Name
          <input name="name" required maxLength={100} placeholder="Coffee 5 %" />
        </label>
        <label>
          Scope
          <select name="scope">
            <option value="merchant">merchant</option>
            <option value="category">category</option>
            <option value="rotating">rotating quarterly categories</option>
            <option value="all">every purchase</option>
          </select>
        </label>
        <label>
          Merchant key or category
          <input name="scope_value" maxLength={200} placeholder="blue-bottle" />
        </label>
      </div>
      <div class="form-row">
        <label>
          Rate (bps)
          <input name="rate_bps" inputMode="numeric" required placeholder="150" />
        </label>
        <label>
          Cap (minor units)
          <input name="cap" inputMode="numeric" />
        </label>
        <label>
          Cap per
          <select name="cap_period">
            <option value="month">month</option>
            <option value="quarter">quarter</option>
          </select>
        </label>
        <label>
          Fallback (bps)
          <input name="fallback_bps" inputMode="numeric" placeholder="0" />
        </label>
      </div>
      <div class="form-row">
        <label>
          Valid from
          <input name="valid_from" type="date" required value={dayOf(new Date())} />
        </label>
        <label>
          Valid to
          <input name="valid_to" type="date" />
        </label>
        <label>
          Rotating quarter
          <input name="quarter" placeholder="2026-Q4" maxLength={7} />
        </label>
        <label>
          Its categories
          <input name="quarter_categories" placeholder="groceries, dining" maxLength={500} />
        </label>
      </div>
      <FormStatus s={s} />
      <button type="submit" disabled={s.busy}>
        Add cashback rule
      </button>
    </form>
  );
}

const bps = (n: number) => `${(n / 100).toFixed(2)} %`;

export function CashbackRules({ accounts }: { accounts: Account[] }) {
  const { data, error, reload } = useData(async () => unwrap(await api.GET("/v1/cashback/rules")).data, []);
  const [actionError, setActionError] = useState<string | undefined>();
  const remove = async (r: CashbackRule) => {
    setActionError(undefined);
    try {
      unwrap(await api.DELETE("/v1/cashback/rules/{id}", { params: { path: { id: r.id } } }));
      await reload();
    } catch (err) {
      setActionError(errorMessage(err));
    }
  };
  const accountName = (id: string) => accounts.find((a) => a.id === id)?.name ?? id;
  return (
    <section class="card" aria-labelledby="h-cashback">
      <h2 id="h-cashback">Cashback rules</h2>
      <ErrorNote error={error ?? actionError} />
      <DataTable
        caption="Your cashback rules"
        rows={data ?? []}
        rowKey={(r) => r.id}
        rowTestId="cashback-rule"
        empty="No cashback rules yet."
        columns={[
          { header: "Name", cell: (r) => r.name, rowHeader: true, testId: "cashback-name" },
          { header: "Account", cell: (r) => accountName(r.account_id) },
          {
            header: "Scope",
            cell: (r) =>
              r.scope === "rotating"
                ? `rotating: ${Object.entries(r.rotating)
                    .map(([q, c]) => `${q} ${c.join(", ")}`)
                    .join("; ")}`
                : `${r.scope}${r.scope_value ? `: ${r.scope_value}` : ""}`,
          },
          { header: "Rate", cell: (r) => bps(r.rate_bps), num: true },
          {
            header: "Cap",
            cell: (r) => (r.cap === null ? "none" : `${r.cap} per ${r.cap_period}, then ${bps(r.fallback_bps)}`),
          },
          { header: "Valid", cell: (r) => `${r.valid_from} – ${r.valid_to ?? "open"}` },
          {
            header: "Actions",
            cell: (r) => (
              <button type="button" class="danger" onClick={() => void remove(r)} aria-label={`Delete the cashback rule ${r.name}`}>
                Delete
              </button>
            ),
          },
        ]}
      />
      {accounts.length > 0 ? (
        <CashbackForm accounts={accounts} onCreated={() => void reload()} />
      ) : (
        <p class="muted">Open an account to add cashback rules.</p>
      )}
    </section>
  );
}
