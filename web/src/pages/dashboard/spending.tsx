/** Spending by category this month against last month (uPlot bars and a table with the change). */
import { Chart } from "../../components/chart";
import { Money } from "../../components/money";
import type { SpendingItem } from "../../api/types";
import { formatAxis, formatPercent, toMajorNumber } from "../../lib/money";
import { DataTable } from "../../components/data-table";

interface Row {
  category: string;
  currency: string;
  now: string;
  before: string;
}

export function spendingRows(now: SpendingItem[], before: SpendingItem[]): Row[] {
  const rows = new Map<string, Row>();
  for (const s of now) rows.set(`${s.currency}:${s.key}`, { category: s.key, currency: s.currency, now: s.amount, before: "0" });
  for (const s of before) {
    const k = `${s.currency}:${s.key}`;
    const r = rows.get(k);
    if (r) r.before = s.amount;
    else rows.set(k, { category: s.key, currency: s.currency, now: "0", before: s.amount });
  }
  return [...rows.values()].sort((a, b) => Number(b.now) - Number(a.now) || Number(b.before) - Number(a.before));
}

function change(r: Row): string {
  const before = Number(r.before);
  if (before === 0) return Number(r.now) === 0 ? "–" : "new";
  const f = (Number(r.now) - before) / before;
  return `${f > 0 ? "+" : ""}${formatPercent(f)}`;
}

export function Spending({
  now,
  before,
  month,
  prevMonth,
}: {
  now: SpendingItem[];
  before: SpendingItem[];
  month: string;
  prevMonth: string;
}) {
  const rows = spendingRows(now, before);
  if (rows.length === 0)
    return (
      <p class="muted">
        No spending in {month} or {prevMonth} yet.
      </p>
    );
  const currency = rows[0]!.currency;
  const charted = rows.filter((r) => r.currency === currency).slice(0, 8);
  return (
    <>
      <Chart
        kind="bars"
        label={`Spending by category in ${currency}, ${prevMonth} and ${month}`}
        categories={charted.map((r) => r.category)}
        series={[
          { label: prevMonth, values: charted.map((r) => toMajorNumber(r.before, currency)) },
          { label: month, values: charted.map((r) => toMajorNumber(r.now, currency)) },
        ]}
        yFormat={(v) => formatAxis(v, currency)}
      />
      <DataTable
        caption="Spending by category"
        rows={rows}
        rowKey={(r) => `${r.currency}:${r.category}`}
        columns={[
          { header: "Category", cell: (r) => r.category, rowHeader: true },
          { header: prevMonth, num: true, cell: (r) => <Money amount={r.before} currency={r.currency} /> },
          { header: month, num: true, cell: (r) => <Money amount={r.now} currency={r.currency} /> },
          { header: "Change", num: true, cell: (r) => change(r) },
        ]}
      />
    </>
  );
}
