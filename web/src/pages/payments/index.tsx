/**
 * Payments: your payees, the pay form, and your payments with their live
 * status (polled every 2 s while the page is visible; the payments queue
 * settles them); a pending one can be canceled.
 */
import { useState } from "preact/hooks";
import { api } from "../../api/client";
import { errorMessage, unwrap } from "../../api/errors";
import type { Account, Payee, Payment } from "../../api/types";
import { type Column, DataTable } from "../../components/data-table";
import { field, InputError, useSubmit } from "../../components/form";
import { FormStatus } from "../../components/form-status";
import { Money } from "../../components/money";
import { ErrorNote, Loading } from "../../components/status";
import { useData } from "../../components/use-data";
import { loadAccounts } from "../../lib/accounts";
import { formatDateTime } from "../../lib/dates";
import { formatMoney, parseAmount } from "../../lib/money";
import type { PageRoute } from "../../router";
import { Payees } from "./payees";

async function load(): Promise<{ accounts: Account[]; payees: Payee[]; payments: Payment[] }> {
  const [accounts, payees, payments] = await Promise.all([
    loadAccounts(),
    api.GET("/v1/payees", { params: { query: { limit: 100 } } }).then(unwrap),
    api.GET("/v1/payments", { params: { query: { limit: 50 } } }).then(unwrap),
  ]);
  return { accounts, payees: payees.data, payments: payments.data };
}

function PayForm({ accounts, payees, onDone }: { accounts: Account[]; payees: Payee[]; onDone: () => void }) {
  const open = accounts.filter((a) => a.status === "open");
  const s = useSubmit(async (f, key, form) => {
    const from = open.find((a) => a.id === field(f, "from"));
    if (!from) throw new InputError("Choose the account to pay from");
    const payee = field(f, "payee");
    if (!payee) throw new InputError("Choose a payee");
    const amount = parseAmount(field(f, "amount") ?? "", from.currency);
    if (amount === null) throw new InputError(`Enter a positive amount in ${from.currency}`);
    const memo = field(f, "memo");
    const p = unwrap(
      await api.POST("/v1/payments", {
        params: { header: { "idempotency-key": key } },
        body: { from_account_id: from.id, payee_id: payee, amount, ...(memo && { memo }) },
      }),
    );
    form.reset();
    onDone();
    return `Payment of ${formatMoney(p.amount, p.currency)} accepted: ${p.status}.`;
  });
  if (open.length === 0) return <p class="muted">Open an account first.</p>;
  if (payees.length === 0) return <p class="muted">Add a payee to pay.</p>;
  return (
    <form class="card" onSubmit={s.onSubmit} aria-labelledby="h-pay">
      <h2 id="h-pay">Pay</h2>
      <div class="form-row">
        <label>
          From
          <select name="from">
            {open.map((a) => (
              <option key={a.id} value={a.id}>
                {a.name} ({formatMoney(a.balance.available, a.currency)} available)
              </option>
            ))}
          </select>
        </label>
        <label>
          To
          <select name="payee">
            {payees.map((p) => (
              <option key={p.id} value={p.id}>
                {p.name} ({p.account_ref_masked})
              </option>
            ))}
          </select>
        </label>
        <label>
          Amount
          <input name="amount" inputMode="decimal" required autoComplete="off" />
        </label>
        <label>
          Memo
          <input name="memo" maxLength={140} />
        </label>
      </div>
      <FormStatus s={s} />
      <button type="submit" disabled={s.busy}>
        Pay
      </button>
    </form>
  );
}

function Cancel({ p, onDone }: { p: Payment; onDone: () => void }) {
  const [error, setError] = useState<string | undefined>();
  const cancel = async () => {
    setError(undefined);
    try {
      unwrap(await api.POST("/v1/payments/{id}/cancel", { params: { path: { id: p.id } }, body: {} }));
      onDone();
    } catch (err) {
      setError(errorMessage(err));
    }
  };
  return (
    <span class="actions">
      <button type="button" class="danger" onClick={() => void cancel()} aria-label={`Cancel payment ${p.id}`}>
        Cancel
      </button>
      {error && (
        <span class="error" role="alert">
          {error}
        </span>
      )}
    </span>
  );
}

function PaymentsPage() {
  // Polled while the page is visible; a poll that brings the same data changes nothing on screen.
  const { data, error, loading, reload } = useData(load, [], { pollMs: 2_000 });
  const inFlight = data?.payments.some((p) => p.status === "pending" || p.status === "processing") ?? false;
  const payees = new Map(data?.payees.map((p) => [p.id, p.name]));
  const accounts = new Map(data?.accounts.map((a) => [a.id, a.name]));
  const columns: Column<Payment>[] = [
    { header: "Created", cell: (p) => formatDateTime(p.created_at) },
    { header: "From", cell: (p) => accounts.get(p.account_id) ?? p.account_id },
    { header: "To", cell: (p) => payees.get(p.payee_id) ?? "a deleted payee" },
    { header: "Status", cell: (p) => (p.failure_reason ? `${p.status} (${p.failure_reason})` : p.status), testId: "payment-status" },
    { header: "Amount", num: true, cell: (p) => <Money amount={-p.amount} currency={p.currency} /> },
    { header: "Actions", cell: (p) => p.status === "pending" && <Cancel p={p} onDone={() => void reload()} /> },
  ];
  return (
    <>
      <h1>Payments</h1>
      <ErrorNote error={error} />
      {loading && !data && <Loading what="Loading payments" />}
      {data && <PayForm accounts={data.accounts} payees={data.payees} onDone={() => void reload()} />}
      {data && <Payees payees={data.payees} onChange={() => void reload()} />}
      {data && (
        <section class="card" aria-labelledby="h-payments">
          <h2 id="h-payments">Your payments</h2>
          <p class="muted" aria-live="polite">
            {inFlight ? "Updating while payments are in progress." : "All payments are final."}
          </p>
          <DataTable
            caption="Newest first"
            columns={columns}
            rows={data.payments}
            rowKey={(p) => p.id}
            rowTestId="payment-row"
            empty="No payments yet."
          />
        </section>
      )}
    </>
  );
}

export const route: PageRoute = {
  path: "/payments",
  title: "Payments",
  access: "user",
  nav: { label: "Payments", order: 22 },
  component: PaymentsPage,
};
