/**
 * One account: balances, the deposit / withdrawal / purchase form, a
 * brokerage account's positions and orders (brokerage.tsx), and the
 * transaction list. Another user's account (or an unknown id) is answered 404
 * by the API and shown as the not-found page, with nothing of its data.
 */
import { useState } from "preact/hooks";
import { api } from "../../api/client";
import { ApiError, unwrap } from "../../api/errors";
import { Link } from "../../components/link";
import { Money } from "../../components/money";
import { NotFound } from "../../components/not-found";
import { ErrorNote, Loading } from "../../components/status";
import { useData } from "../../components/use-data";
import { formatDate } from "../../lib/dates";
import type { PageRoute } from "../../router";
import { Brokerage } from "./brokerage";
import { MoneyForm } from "./money-form";
import { Transactions } from "./transactions";

function AccountPage({ params }: { params: Record<string, string> }) {
  const id = params.id!;
  const [version, setVersion] = useState(0);
  const {
    data: account,
    error,
    loading,
    reload,
  } = useData(async () => unwrap(await api.GET("/v1/accounts/{id}", { params: { path: { id } } })), [id]);
  if (error instanceof ApiError && (error.status === 404 || error.status === 400)) return <NotFound />;
  if (loading && !account) return <Loading what="Loading the account" />;
  if (!account) return <ErrorNote error={error} />;
  return (
    <>
      <div class="page-head">
        <h1>{account.name}</h1>
        <p class="muted">
          {account.type} · {account.currency} · {account.status} · opened {formatDate(account.created_at)}
        </p>
      </div>
      <section class="card" aria-labelledby="h-balance">
        <h2 id="h-balance">Balance</h2>
        <dl class="facts" data-testid="account-balances">
          <dt>Posted</dt>
          <dd data-testid="balance-posted">
            <Money amount={account.balance.posted} currency={account.currency} />
          </dd>
          <dt>Pending</dt>
          <dd>
            <Money amount={account.balance.pending} currency={account.currency} />
          </dd>
          <dt>Available</dt>
          <dd>
            <Money amount={account.balance.available} currency={account.currency} />
          </dd>
        </dl>
        <p class="small">
          <Link href="/transfers">Transfers</Link> · <Link href="/budgets">Budgets</Link> · <Link href="/exports">Exports</Link>
        </p>
      </section>
      <MoneyForm
        account={account}
        onDone={() => {
          // The balance and the list reload in place; the form keeps its confirmation.
          void reload();
          setVersion((v) => v + 1);
        }}
      />
      {account.type === "brokerage" && (
        <Brokerage
          account={account}
          version={version}
          onChanged={() => {
            void reload();
            setVersion((v) => v + 1);
          }}
        />
      )}
      <Transactions accountId={id} version={version} />
    </>
  );
}

export const route: PageRoute = { path: "/accounts/:id", title: "Account", access: "user", component: AccountPage };
