/** Transfers: the form, and every transfer of your accounts, with post and void for the pending ones you sent. */
import { useState } from "preact/hooks";
import { api } from "../../api/client";
import { errorMessage, unwrap } from "../../api/errors";
import type { Account, TransferLine } from "../../api/types";
import { type Column, DataTable } from "../../components/data-table";
import { Money } from "../../components/money";
import { ErrorNote, Loading } from "../../components/status";
import { useData } from "../../components/use-data";
import { loadAccounts } from "../../lib/accounts";
import { formatDateTime } from "../../lib/dates";
import type { PageRoute } from "../../router";
import { TransferForm } from "./transfer-form";

async function load(): Promise<{ accounts: Account[]; transfers: TransferLine[] }> {
  const [accounts, transfers] = await Promise.all([
    loadAccounts(),
    api.GET("/v1/transfers", { params: { query: { limit: 100 } } }).then(unwrap),
  ]);
  return { accounts, transfers: transfers.data };
}

function Actions({ t, onDone }: { t: TransferLine; onDone: (status: TransferLine["status"]) => void }) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | undefined>();
  if (t.status !== "pending" || t.direction !== "sent") return null;
  const act = async (what: "post" | "void") => {
    setBusy(true);
    setError(undefined);
    try {
      const params = { path: { id: t.id }, header: { "idempotency-key": crypto.randomUUID() } };
      const done = unwrap(
        what === "post"
          ? await api.POST("/v1/transfers/{id}/post", { params, body: {} })
          : await api.POST("/v1/transfers/{id}/void", { params, body: {} }),
      );
      onDone(done.status);
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <span class="actions">
      <button type="button" class="secondary" disabled={busy} onClick={() => void act("post")} aria-label={`Post transfer ${t.id}`}>
        Post
      </button>
      <button type="button" class="danger" disabled={busy} onClick={() => void act("void")} aria-label={`Void transfer ${t.id}`}>
        Void
      </button>
      {error && (
        <span class="error" role="alert">
          {error}
        </span>
      )}
    </span>
  );
}

function TransfersPage() {
  const { data, error, loading, reload } = useData(load, []);
  // The answer of a post or void, shown at once (the list may take a moment to follow).
  const [settled, setSettled] = useState<Record<string, TransferLine["status"]>>({});
  const status = (t: TransferLine) => settled[t.id] ?? t.status;
  const names = new Map(data?.accounts.map((a) => [a.id, a.name]));
  const name = (id: string) => names.get(id) ?? id;
  const columns: Column<TransferLine>[] = [
    { header: "Created", cell: (t) => formatDateTime(t.created_at) },
    { header: "Account", cell: (t) => name(t.account_id) },
    { header: "Direction", cell: (t) => (t.direction === "sent" ? "sent to" : "received from") },
    { header: "Counterparty", cell: (t) => name(t.counterparty_account_id) },
    { header: "Status", cell: status, testId: "transfer-status" },
    {
      header: "Amount",
      num: true,
      cell: (t) => (
        <Money amount={t.direction === "sent" ? -(t.posted_amount ?? t.amount) : (t.posted_amount ?? t.amount)} currency={t.currency} />
      ),
    },
    {
      header: "Actions",
      cell: (t) =>
        status(t) === "pending" && (
          <Actions
            t={t}
            onDone={(s) => {
              setSettled((m) => ({ ...m, [t.id]: s }));
              void reload();
            }}
          />
        ),
    },
  ];
  return (
    <>
      <h1>Transfers</h1>
      <ErrorNote error={error} />
      {loading && !data && <Loading what="Loading transfers" />}
      {data && <TransferForm accounts={data.accounts} onDone={() => void reload()} />}
      {data && (
        <section class="card" aria-labelledby="h-transfers">
          <h2 id="h-transfers">Your transfers</h2>
          <DataTable
            caption="Newest first"
            columns={columns}
            rows={data.transfers}
            rowKey={(t) => `${t.id}:${t.account_id}`}
            rowTestId="transfer-row"
            empty="No transfers yet."
          />
        </section>
      )}
    </>
  );
}

export const route: PageRoute = {
  path: "/transfers",
  title: "Transfers",
  access: "user",
  nav: { label: "Transfers", order: 20 },
  component: TransfersPage,
};
