/** Income and expenses per month (uPlot bars) with the savings rate, one currency at a time. */
import { Chart } from "../../components/chart";
import { Money } from "../../components/money";
import type { MonthSummary } from "../../api/types";
import { formatAxis, formatPercent, toMajorNumber } from "../../lib/money";
import { TableWrap } from "../../components/table-wrap";

export function savingsRate(m: MonthSummary): number | null {
  const income = Number(m.income);
  return income > 0 ? (income - Number(m.expenses)) / income : null;
}

export function CashFlow({ months }: { months: MonthSummary[] }) {
  const currencies = [...new Set(months.map((m) => m.currency))];
  if (currencies.length === 0) return <p class="muted">No income or spending yet.</p>;
  return (
    <>
      {currencies.map((currency) => {
        const rows = months.filter((m) => m.currency === currency);
        const labels = rows.map((m) => m.month);
        return (
          <div key={currency}>
            <Chart
              kind="bars"
              label={`Income and expenses per month in ${currency}`}
              categories={labels}
              series={[
                { label: "Income", values: rows.map((m) => toMajorNumber(m.income, currency)) },
                { label: "Expenses", values: rows.map((m) => toMajorNumber(m.expenses, currency)) },
              ]}
              yFormat={(v) => formatAxis(v, currency)}
            />
            <TableWrap label={`Cash flow in ${currency}`}>
              <table>
                <caption>Cash flow in {currency}</caption>
                <thead>
                  <tr>
                    <th scope="col">Month</th>
                    <th scope="col" class="num">
                      Income
                    </th>
                    <th scope="col" class="num">
                      Expenses
                    </th>
                    <th scope="col" class="num">
                      Net
                    </th>
                    <th scope="col" class="num">
                      Savings rate
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {rows.map((m) => {
                    const rate = savingsRate(m);
                    return (
                      <tr key={m.month}>
                        <th scope="row">{m.month}</th>
                        <td class="num">
                          <Money amount={m.income} currency={currency} />
                        </td>
                        <td class="num">
                          <Money amount={m.expenses} currency={currency} />
                        </td>
                        <td class="num">
                          <Money amount={m.net} currency={currency} />
                        </td>
                        <td class="num">{rate === null ? "–" : formatPercent(rate)}</td>
                      </tr>
                    );
                  })}
                </tbody>
              </table>
            </TableWrap>
          </div>
        );
      })}
    </>
  );
}
