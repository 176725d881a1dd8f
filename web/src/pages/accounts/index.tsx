/** The user's accounts with their balances and banks, and the form that opens a new one (optionally at a bank). */
import { api } from "../../api/client";
import { unwrap } from "../../api/errors";
import type { Account } from "../../api/types";
import { type Column, DataTable } from "../../components/data-table";
import { field, InputError, useSubmit } from "../../components/form";
import { FormStatus } from "../../components/form-status";
import { Link } from "../../components/link";
import { Money } from "../../components/money";
import { ErrorNote, Loading } from "../../components/status";
import { useData } from "../../components/use-data";
import { ACCOUNT_TYPES, COMMON_CURRENCIES, loadAccounts } from "../../lib/accounts";
import { parseAmount } from "../../lib/money";
import { navigate, type PageRoute } from "../../router";

interface Bank {
  id: string;
  name: string;
  code: string;
}

/** The institutions to choose from (the first 100 by name), for the picker and the Bank column. */
async function loadBanks(): Promise<Bank[]> {
  return unwrap(await api.GET("/v1/institutions", { params: { query: { limit: 100 } } })).data;
}

const columnsWith = (banks: Bank[]): Column<Account>[] => [
  { header: "Account", rowHeader: true, cell: (a) => <Link href={`/accounts/${a.id}`}>{a.name}</Link> },
  { header: "Type", cell: (a) => a.type },
  {
    header: "Bank",
    cell: (a) => (a.institution_id ? (banks.find((b) => b.id === a.institution_id)?.name ?? "—") : "—"),
    testId: "account-bank",
  },
  { header: "Status", cell: (a) => a.status },
  { header: "Balance", num: true, cell: (a) => <Money amount={a.balance.posted} currency={a.currency} />, testId: "account-balance" },
  { header: "Pending", num: true, cell: (a) => <Money amount={a.balance.pending} currency={a.currency} /> },
  { header: "Available", num: true, cell: (a) => <Money amount={a.balance.available} currency={a.currency} /> },
];

function OpenAccount({ banks }: { banks: Bank[] }) {
  const s = useSubmit(async (f) => {
    const currency = (field(f, "currency") ?? "USD").toUpperCase();
    const type = field(f, "type") as Account["type"];
    const limitText = field(f, "credit_limit");
    let credit_limit: number | undefined;
    if (type === "credit" && limitText) {
      const v = parseAmount(limitText, currency);
      if (v === null) throw new InputError("Enter the credit limit as a positive amount, e.g. 500.00");
      credit_limit = v;
    }
    const institution_id = field(f, "institution_id") || undefined;
    const body = {
      name: field(f, "name") ?? "",
      type,
      currency: currency as "USD",
      ...(credit_limit ? { credit_limit } : {}),
      ...(institution_id ? { institution_id } : {}),
    };
    const account = unwrap(await api.POST("/v1/accounts", { body }));
    navigate(`/accounts/${account.id}`);
    return undefined;
  });
  return (
    <form class="card" onSubmit={s.onSubmit} aria-labelledby="h-open">
      <h2 id="h-open">Open an account</h2>
      <div class="form-row">
        <label>
          Name
          <input name="name" required maxLength={100} />
        </label>
        <label>
          Type
          <select name="type">
            {ACCOUNT_TYPES.map((t) => (
              <option key={t}>{t}</option>
            ))}
          </select>
        </label>
        <label>
          Currency
          <input name="currency" list="currencies" defaultValue="USD" required pattern="[A-Za-z]{3}" maxLength={3} />
          <datalist id="currencies">
            {COMMON_CURRENCIES.map((c) => (
              <option key={c} value={c} />
            ))}
          </datalist>
        </label>
        <label>
          Bank (optional)
          <select name="institution_id" defaultValue="">
            <option value="">None</option>
            {banks.map((b) => (
              <option key={b.id} value={b.id}>
                {b.name} ({b.code})
              </option>
            ))}
          </select>
        </label>
        <label>
          Credit limit (credit accounts)
          <input name="credit_limit" inputMode="decimal" />
        </label>
      </div>
      <FormStatus s={s} />
      <button type="submit" disabled={s.busy}>
        Open account
      </button>
    </form>
  );
}

function AccountsPage() {
  const { data, error, loading } = useData(loadAccounts, []);
  const banks = useData(loadBanks, []).data ?? [];
  return (
    <>
      <h1>Accounts</h1>
      <ErrorNote error={error} />
      {loading && !data && <Loading what="Loading your accounts" />}
      {data && (
        <section class="card">
          <DataTable
            caption="Your accounts"
            columns={columnsWith(banks)}
            rows={data}
            rowKey={(a) => a.id}
            rowTestId="account-row"
            empty="No accounts yet: open one below."
          />
        </section>
      )}
      <OpenAccount banks={banks} />
    </>
  );
}

export const route: PageRoute = {
  path: "/accounts",
  title: "Accounts",
  access: "user",
  nav: { label: "Accounts", order: 10 },
  component: AccountsPage,
};
