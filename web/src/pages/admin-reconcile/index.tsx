/** Admin: reconcile Gold against the journals (every account, or one account or user) and show what drifted or lags. */
import { useState } from "preact/hooks";
import { api } from "../../api/client";
import { unwrap } from "../../api/errors";
import type { ReconcileAccount } from "../../api/types";
import { type Column, DataTable } from "../../components/data-table";
import { field, useSubmit } from "../../components/form";
import { FormStatus } from "../../components/form-status";
import type { PageRoute } from "../../router";
import { AdminNav } from "../admin/admin-nav";

type Result = Awaited<ReturnType<typeof run>>;

async function run(account_id?: string, user_id?: string) {
  return unwrap(await api.GET("/v1/admin/reconcile", { params: { query: { account_id, user_id, limit: 25 } } }));
}

const columns: Column<ReconcileAccount>[] = [
  { header: "Account", cell: (a) => a.account_id },
  { header: "Status", cell: (a) => a.status, testId: "reconcile-status" },
  { header: "Journal entries", num: true, cell: (a) => a.journal?.entries ?? "–" },
  { header: "Gold entries", num: true, cell: (a) => a.gold.entries },
  { header: "Not ingested", num: true, cell: (a) => a.not_ingested },
  { header: "Drift", num: true, cell: (a) => a.drift_count },
  {
    header: "Drifted fields",
    cell: (a) => a.drift.map((d) => `${d.table}.${d.field}: gold ${d.gold ?? "–"} vs journal ${d.journal ?? "–"}`).join("; ") || "–",
  },
];

function Reconcile() {
  const [result, setResult] = useState<Result | undefined>();
  const s = useSubmit(async (f) => {
    const r = await run(field(f, "account_id"), field(f, "user_id"));
    setResult(r);
    return `Checked ${r.checked}: ${r.drifted} drifted, ${r.lagging} lagging, ${r.spending_drifted} spending drifted.`;
  });
  return (
    <>
      <h1>Admin: reconcile</h1>
      <AdminNav />
      <form class="card" onSubmit={s.onSubmit} aria-labelledby="h-reconcile">
        <h2 id="h-reconcile">Check Gold against the journals</h2>
        <div class="form-row">
          <label>
            Account id (optional)
            <input name="account_id" autoComplete="off" />
          </label>
          <label>
            User id (optional)
            <input name="user_id" autoComplete="off" />
          </label>
        </div>
        <FormStatus s={s} />
        <button type="submit" disabled={s.busy}>
          Reconcile
        </button>
      </form>
      {result && (
        <section class="card" aria-labelledby="h-results">
          <h2 id="h-results">Results ({result.scope})</h2>
          <DataTable
            caption="Accounts checked"
            columns={columns}
            rows={result.data}
            rowKey={(a) => a.account_id}
            rowTestId="reconcile-row"
          />
        </section>
      )}
    </>
  );
}

export const route: PageRoute = { path: "/admin/reconcile", title: "Admin: reconcile", access: "admin", component: Reconcile };
