/** Net worth per currency, each account's balance, and the daily closing balances (uPlot lines). */
import { Chart } from "../../components/chart";
import { Link } from "../../components/link";
import { Money } from "../../components/money";
import type { Dashboard } from "../../api/types";
import { formatAxis, toMajorNumber } from "../../lib/money";
import type { AccountHistory } from "./load";
import { TableWrap } from "../../components/table-wrap";

export function Accounts({ dashboard }: { dashboard: Dashboard }) {
  return (
    <TableWrap label="Balances per account">
      <table>
        <caption>Balances per account</caption>
        <thead>
          <tr>
            <th scope="col">Account</th>
            <th scope="col">Type</th>
            <th scope="col" class="num">
              Balance
            </th>
            <th scope="col" class="num">
              Pending
            </th>
            <th scope="col" class="num">
              Available
            </th>
          </tr>
        </thead>
        <tbody>
          {dashboard.accounts.map((a) => (
            <tr key={a.id} data-testid="dashboard-account">
              <th scope="row">
                <Link href={`/accounts/${a.id}`}>{a.name}</Link>
                {a.status === "closed" && <span class="tag">closed</span>}
              </th>
              <td>{a.type}</td>
              <td class="num">
                <Money amount={a.balance} currency={a.currency} />
              </td>
              <td class="num">
                <Money amount={a.pending} currency={a.currency} />
              </td>
              <td class="num">
                <Money amount={a.available} currency={a.currency} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </TableWrap>
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
