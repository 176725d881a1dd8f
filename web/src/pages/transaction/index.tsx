/**
 * One journal entry: its facts, the annotation form (category, notes,
 * description: PATCH, which changes no money) and reversal (a new entry that
 * undoes it, with its own Idempotency-Key). Someone else's entry is not found.
 */
import { api } from "../../api/client";
import { ApiError, unwrap } from "../../api/errors";
import type { Transaction } from "../../api/types";
import { field, useSubmit } from "../../components/form";
import { FormStatus } from "../../components/form-status";
import { Link } from "../../components/link";
import { Money } from "../../components/money";
import { NotFound } from "../../components/not-found";
import { ErrorNote, Loading } from "../../components/status";
import { describe } from "../../components/transaction-table";
import { useData } from "../../components/use-data";
import { formatDateTime } from "../../lib/dates";
import type { PageRoute } from "../../router";

function Annotate({ accountId, tx, onDone }: { accountId: string; tx: Transaction; onDone: () => void }) {
  const s = useSubmit(async (f) => {
    const body = { category: field(f, "category") ?? null, notes: field(f, "notes") ?? null, description: field(f, "description") ?? null };
    unwrap(await api.PATCH("/v1/accounts/{id}/transactions/{tx_id}", { params: { path: { id: accountId, tx_id: tx.id } }, body }));
    onDone();
    return "Saved.";
  });
  return (
    <form class="card" onSubmit={s.onSubmit} aria-labelledby="h-edit">
      <h2 id="h-edit">Category and notes</h2>
      <div class="form-row">
        <label>
          Category
          <input name="category" defaultValue={tx.category ?? ""} maxLength={64} />
        </label>
        <label>
          Description
          <input name="description" defaultValue={tx.description ?? ""} maxLength={200} />
        </label>
      </div>
      <label>
        Notes
        <textarea name="notes" rows={3} maxLength={1000} defaultValue={tx.notes ?? ""} />
      </label>
      <FormStatus s={s} />
      <button type="submit" disabled={s.busy}>
        Save
      </button>
    </form>
  );
}

function Reverse({ accountId, tx, onDone }: { accountId: string; tx: Transaction; onDone: () => void }) {
  const s = useSubmit(async (_f, key) => {
    const r = unwrap(
      await api.POST("/v1/accounts/{id}/transactions/{tx_id}/reverse", {
        params: { path: { id: accountId, tx_id: tx.id }, header: { "idempotency-key": key } },
        body: {},
      }),
    );
    onDone();
    return `Reversed by entry ${r.id}.`;
  });
  if (tx.reversed_by)
    return (
      <p>
        Reversed by <Link href={`/accounts/${accountId}/transactions/${tx.reversed_by}`}>{tx.reversed_by}</Link>.
      </p>
    );
  if (tx.kind === "reversal" || tx.transfer_id) return null;
  return (
    <form class="card" onSubmit={s.onSubmit} aria-labelledby="h-reverse">
      <h2 id="h-reverse">Reverse</h2>
      <p class="muted">Records an opposite entry of the same amount; the original stays in the journal.</p>
      <FormStatus s={s} />
      <button type="submit" class="danger" disabled={s.busy}>
        Reverse this transaction
      </button>
    </form>
  );
}

function TransactionPage({ params }: { params: Record<string, string> }) {
  const { id, tx_id } = params as { id: string; tx_id: string };
  const {
    data: tx,
    error,
    loading,
    reload,
  } = useData(
    async () => unwrap(await api.GET("/v1/accounts/{id}/transactions/{tx_id}", { params: { path: { id, tx_id } } })),
    [id, tx_id],
  );
  if (error instanceof ApiError && (error.status === 404 || error.status === 400)) return <NotFound />;
  if (loading && !tx) return <Loading what="Loading the transaction" />;
  if (!tx) return <ErrorNote error={error} />;
  return (
    <>
      <div class="page-head">
        <h1>{describe(tx)}</h1>
        <p>
          <Link href={`/accounts/${id}`}>Back to the account</Link>
        </p>
      </div>
      <section class="card" aria-labelledby="h-facts">
        <h2 id="h-facts">Details</h2>
        <dl class="facts">
          <dt>Amount</dt>
          <dd data-testid="tx-amount">
            <Money amount={tx.direction === "debit" ? -tx.amount : tx.amount} currency={tx.currency} />
          </dd>
          <dt>Kind</dt>
          <dd>{tx.kind.replace("_", " ")}</dd>
          <dt>Category</dt>
          <dd data-testid="tx-category">{tx.category ?? "–"}</dd>
          <dt>Merchant</dt>
          <dd>{tx.merchant ?? "–"}</dd>
          <dt>Notes</dt>
          <dd data-testid="tx-notes">{tx.notes ?? "–"}</dd>
          <dt>When</dt>
          <dd>{formatDateTime(tx.occurred_at)}</dd>
          <dt>Balance after</dt>
          <dd>
            <Money amount={tx.balance_after} currency={tx.currency} />
          </dd>
          {tx.reverses && (
            <>
              <dt>Reverses</dt>
              <dd>
                <Link href={`/accounts/${id}/transactions/${tx.reverses}`}>{tx.reverses}</Link>
              </dd>
            </>
          )}
          <dt>Entry</dt>
          <dd class="small">
            #{tx.seq} · {tx.id} · hash {tx.hash.slice(0, 16)}…
          </dd>
        </dl>
      </section>
      <Annotate accountId={id} tx={tx} onDone={() => void reload()} />
      <Reverse accountId={id} tx={tx} onDone={() => void reload()} />
    </>
  );
}

export const route: PageRoute = {
  path: "/accounts/:id/transactions/:tx_id",
  title: "Transaction",
  access: "user",
  component: TransactionPage,
};
