/** Net worth per currency, each account's balance, and the daily closing balances (uPlot lines). */
import { Chart } from "../../components/chart";
import { Link } from "../../components/link";
import { Money } from "../../components/money";
import type { Dashboard, DashboardAccount } from "../../api/types";
import { type Column, DataTable } from "../../components/data-table";
import { formatAxis, toMajorNumber } from "../../lib/money";
import type { AccountHistory } from "./load";

const accountColumns: Column<DashboardAccount>[] = [
  {
    header: "Account",
    rowHeader: true,
    cell: (a) => (
      <>
        <Link href={`/accounts/${a.id}`}>{a.name}</Link>
        {a.status === "closed" && <span class="tag">closed</span>}
      </>
    ),
  },
  { header: "Type", cell: (a) => a.type },
  { header: "Balance", num: true, cell: (a) => <Money amount={a.balance} currency={a.currency} /> },
  { header: "Pending", num: true, cell: (a) => <Money amount={a.pending} currency={a.currency} /> },
  { header: "Available", num: true, cell: (a) => <Money amount={a.available} currency={a.currency} /> },
];

export function Accounts({ dashboard }: { dashboard: Dashboard }) {
  return (
    <DataTable
      caption="Balances per account"
      columns={accountColumns}
      rows={dashboard.accounts}
      rowKey={(a) => a.id}
      rowTestId="dashboard-account"
    />
  );
}

export function BalanceHistory({ history }: { history: AccountHistory[] }) {
  if (history.length === 0) return <p class="muted">No balance history yet.</p>;
  const currency = history[0]!.account.currency;
  const same = history.filter((h) => h.account.currency === currency);
  const days = [...new Set(same.flatMap((h) => h.days.map((d) => d.day)))].sort();
  const x = days.map((d) => Date.parse(`${d}T00:00:00Z`) / 1000);
  const series = same.map((h) => {
    const byDay = new Map(h.days.map((d) => [d.day, d.closing_balance]));
    let last: number | null = null;
    return {
      label: h.account.name,
      values: days.map((d) => {
        const v = byDay.get(d);
        if (v !== undefined) last = toMajorNumber(v, currency);
        return last;
      }),
    };
  });
  return (
    <Chart
      kind="line"
      label={`Daily closing balance per account in ${currency}`}
      x={x}
      series={series}
      yFormat={(v) => formatAxis(v, currency)}
    />
  );
}
