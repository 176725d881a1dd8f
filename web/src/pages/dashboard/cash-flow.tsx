/** Income and expenses per month (uPlot bars) with the savings rate, one currency at a time. */
import { Chart } from "../../components/chart";
import { Money } from "../../components/money";
import type { MonthSummary } from "../../api/types";
import { formatAxis, formatPercent, toMajorNumber } from "../../lib/money";
import { DataTable } from "../../components/data-table";

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
            <DataTable
              caption={`Cash flow in ${currency}`}
              rows={rows}
              rowKey={(m) => m.month}
              columns={[
                { header: "Month", cell: (m) => m.month, rowHeader: true },
                { header: "Income", num: true, cell: (m) => <Money amount={m.income} currency={currency} /> },
                { header: "Expenses", num: true, cell: (m) => <Money amount={m.expenses} currency={currency} /> },
                { header: "Net", num: true, cell: (m) => <Money amount={m.net} currency={currency} /> },
                {
                  header: "Savings rate",
                  num: true,
                  cell: (m) => {
                    const rate = savingsRate(m);
                    return rate === null ? "–" : formatPercent(rate);
                  },
                },
              ]}
            />
          </div>
        );
      })}
    </>
  );
}
