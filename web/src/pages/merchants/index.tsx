/**
 * Merchants: the top merchants by spend this month, then every merchant
 * entity the normalizer found in your transactions with spend, visits,
 * first/last seen and category (GET /v1/merchants, a page at a time).
 */
import { useState } from "preact/hooks";
import { api } from "../../api/client";
import { unwrap } from "../../api/errors";
import type { Merchant } from "../../api/types";
import { type Column, DataTable } from "../../components/data-table";
import { Money } from "../../components/money";
import { ErrorNote, Loading } from "../../components/status";
import { useData } from "../../components/use-data";
import { formatDate, monthOf } from "../../lib/dates";
import type { PageRoute } from "../../router";

const PAGE = 50;

const columns: Column<Merchant>[] = [
  { header: "Merchant", cell: (m) => m.name, rowHeader: true, testId: "merchant-name" },
  { header: "Category", cell: (m) => m.category.detailed.replaceAll("_", " ").toLowerCase() },
  { header: "Spend", cell: (m) => <Money amount={m.spend} currency={m.currency} />, num: true, testId: "merchant-spend" },
  { header: "Visits", cell: (m) => m.visits, num: true },
  { header: "First seen", cell: (m) => formatDate(m.first_seen) },
  { header: "Last seen", cell: (m) => formatDate(m.last_seen) },
];

async function load(month: string) {
  const [top, first] = await Promise.all([
    api.GET("/v1/merchants/top", { params: { query: { month, limit: 5 } } }).then(unwrap),
    api.GET("/v1/merchants", { params: { query: { limit: PAGE } } }).then(unwrap),
  ]);
  return { top: top.data, first };
}

function MerchantsPage() {
  const month = monthOf(new Date());
  const { data, error, loading } = useData(() => load(month), [month]);
  const [more, setMore] = useState<{ items: Merchant[]; cursor: string | null } | null>(null);
  if (loading && !data) return <Loading what="Loading your merchants" />;
  if (!data) return <ErrorNote error={error} />;
  const items = [...data.first.data, ...(more?.items ?? [])];
  const cursor = more ? more.cursor : data.first.next_cursor;
  const loadMore = async () => {
    if (!cursor) return;
    const page = unwrap(await api.GET("/v1/merchants", { params: { query: { limit: PAGE, cursor } } }));
    setMore({ items: [...(more?.items ?? []), ...page.data], cursor: page.next_cursor });
  };
  return (
    <>
      <div class="page-head">
        <h1>Merchants</h1>
      </div>
      <section class="card" aria-labelledby="h-top-merchants">
        <h2 id="h-top-merchants">Top merchants in {month}</h2>
        <DataTable
          caption={`Largest spend in ${month}`}
          columns={columns.slice(0, 4)}
          rows={data.top}
          rowKey={(m) => `${m.merchant_key}:${m.currency}`}
          rowTestId="top-merchant"
          empty={`No purchases in ${month} yet.`}
        />
      </section>
      <section class="card" aria-labelledby="h-all-merchants">
        <h2 id="h-all-merchants">All merchants</h2>
        <DataTable
          caption="Every merchant, by name key"
          columns={columns}
          rows={items}
          rowKey={(m) => `${m.merchant_key}:${m.currency}`}
          rowTestId="merchant-row"
          empty="No purchases yet."
        />
        {cursor && (
          <button type="button" onClick={loadMore}>
            Show more merchants
          </button>
        )}
      </section>
    </>
  );
}

export const route: PageRoute = {
  path: "/merchants",
  title: "Merchants",
  access: "user",
  nav: { label: "Merchants", order: 32 },
  component: MerchantsPage,
};
