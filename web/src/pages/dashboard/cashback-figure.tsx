/** The dashboard's "Cashback this month" figure: the estimate per currency (GET /v1/analytics/cashback), shown only when the user has cashback rules. */
import { api } from "../../api/client";
import { unwrap } from "../../api/errors";
import { Money } from "../../components/money";
import { useData } from "../../components/use-data";
import { monthOf } from "../../lib/dates";

export function CashbackFigure({ pollMs }: { pollMs: number }) {
  const month = monthOf(new Date());
  const { data } = useData(() => api.GET("/v1/analytics/cashback", { params: { query: { month } } }).then(unwrap), [month], { pollMs });
  if (!data || data.rules.length === 0) return null;
  return (
    <section class="card" aria-labelledby="h-cashback">
      <h2 id="h-cashback">Cashback this month</h2>
      <ul class="figures" data-testid="dashboard-cashback">
        {data.totals.map((t) => (
          <li key={t.currency}>
            <Money amount={t.net} currency={t.currency} />
          </li>
        ))}
        <li class="muted">
          estimate from {data.rules.length} rule{data.rules.length === 1 ? "" : "s"}
        </li>
      </ul>
    </section>
  );
}
