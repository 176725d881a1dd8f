/**
 * Subscriptions and other recurring charges and income, detected from your
 * transactions (GET /v1/recurring): each stream with its frequency, amount in
 * force, next date and status, and confirm / dismiss buttons (PATCH); the
 * monthly total of fixed costs on top.
 */
import { api } from "../../api/client";
import { unwrap } from "../../api/errors";
import type { components } from "../../api/schema";
import { type Column, DataTable } from "../../components/data-table";
import { ErrorNote, Loading } from "../../components/status";
import { useAction } from "../../components/use-action";
import { useData } from "../../components/use-data";
import { formatMoney } from "../../lib/money";
import type { PageRoute } from "../../router";

type Stream = components["schemas"]["RecurringStream"];
type State = Stream["user_state"];

function SubscriptionsPage() {
  const { data, error, loading, reload } = useData(async () => unwrap(await api.GET("/v1/recurring", {})), []);
  const action = useAction();
  const setState = (s: Stream, user_state: State) =>
    action.run(async () => {
      unwrap(await api.PATCH("/v1/recurring/{id}", { params: { path: { id: s.id } }, body: { user_state } }));
      await reload();
    });
  if (loading && !data) return <Loading what="Loading your recurring charges" />;
  if (!data) return <ErrorNote error={error} />;
  const columns: Column<Stream>[] = [
    { header: "Merchant", cell: (s) => s.merchant_name, rowHeader: true },
    { header: "Kind", cell: (s) => (s.direction === "credit" ? "Income" : "Charge") },
    { header: "Every", cell: (s) => s.frequency.replace("_", "-") },
    { header: "Amount", num: true, cell: (s) => formatMoney(s.current_amount, s.currency) },
    { header: "Next", cell: (s) => s.predicted_next_date },
    {
      header: "Status",
      cell: (s) =>
        `${s.status === "TOMBSTONED" ? "Stopped" : s.status === "MATURE" ? "Regular" : "New"}${s.amount_kind === "variable" ? ", varies" : ""}`,
    },
    { header: "Yours", cell: (s) => s.user_state, testId: "stream-state" },
    {
      header: "Actions",
      cell: (s) => (
        <span class="row-actions">
          {s.user_state !== "confirmed" && (
            <button type="button" onClick={() => setState(s, "confirmed")} aria-label={`Confirm ${s.merchant_name}`}>
              Confirm
            </button>
          )}
          {s.user_state !== "dismissed" && (
            <button type="button" onClick={() => setState(s, "dismissed")} aria-label={`Dismiss ${s.merchant_name}`}>
              Dismiss
            </button>
          )}
        </span>
      ),
    },
  ];
  return (
    <>
      <h1>Subscriptions</h1>
      <section class="card" aria-labelledby="h-fixed">
        <h2 id="h-fixed">Fixed costs per month</h2>
        {data.monthly_fixed_costs.length === 0 ? (
          <p class="muted">No fixed recurring charges found yet.</p>
        ) : (
          <p data-testid="fixed-costs">{data.monthly_fixed_costs.map((c) => formatMoney(c.amount, c.currency)).join(" · ")}</p>
        )}
      </section>
      <section class="card" aria-labelledby="h-streams">
        <h2 id="h-streams">Recurring charges and income</h2>
        {action.error && <p role="alert">{action.error}</p>}
        {data.data.length === 0 ? (
          <p class="muted">Nothing recurring yet: a charge needs two occurrences on a schedule.</p>
        ) : (
          <DataTable caption="Detected from your transactions" columns={columns} rows={data.data} rowKey={(s) => s.id} rowTestId="stream" />
        )}
      </section>
    </>
  );
}

export const route: PageRoute = {
  path: "/subscriptions",
  title: "Subscriptions",
  access: "user",
  nav: { label: "Subscriptions", order: 32 },
  component: SubscriptionsPage,
};
