/**
 * The Insights page's digest card: the digest a notification links to
 * (`/insights?digest=<id>`, GET /v1/insights/digests/{id}), else the latest
 * weekly one (stored by the cron, or the current week computed on read).
 * Spend and its change, income and savings rate, top categories, anomalies,
 * bills due and budget suggestions, as the API gives them.
 */
import { api } from "../../api/client";
import { unwrap } from "../../api/errors";
import type { components } from "../../api/schema";
import { ErrorNote, Loading } from "../../components/status";
import { useData } from "../../components/use-data";
import { formatMoney } from "../../lib/money";
import { useLocation } from "../../router";

type Digest = components["schemas"]["Digest"];

async function loadDigest(id: string | null): Promise<Digest | null> {
  if (id) return unwrap(await api.GET("/v1/insights/digests/{id}", { params: { path: { id } } }));
  const list = unwrap(await api.GET("/v1/insights/digests", { params: { query: { kind: "weekly", limit: 1 } } }));
  return list.data[0] ?? null;
}

const pct = (v: number | null) => (v === null ? "no earlier spend" : `${v > 0 ? "+" : ""}${v} %`);

export function DigestCard() {
  const id = useLocation().searchParams.get("digest");
  const { data, error, loading } = useData(() => loadDigest(id), [id]);
  if (loading && data === undefined) return <Loading what="Loading your digest" />;
  if (data === undefined) return <ErrorNote error={error} />;
  if (data === null) return null;
  const money = (n: number) => formatMoney(n, data.currency);
  const t = data.totals;
  return (
    <section class="card" aria-labelledby="h-digest" data-testid="digest">
      <h2 id="h-digest">
        {data.period === "weekly" ? "Weekly" : "Monthly"} digest, {data.start} to {data.end}
      </h2>
      <p data-testid="digest-totals">
        Spent {money(t.spend)} ({pct(t.spend_change_pct)}); income {money(t.income)}
        {t.savings_rate === null ? "" : `, savings rate ${Math.round(t.savings_rate * 100)} %`}.
        {data.stored ? "" : " Computed now: no digest stored yet."}
      </p>
      {data.top_categories.length > 0 && (
        <p>Top categories: {data.top_categories.map((c) => `${c.category} ${money(c.amount)}`).join(", ")}</p>
      )}
      {data.anomalies.length > 0 && <p>{data.anomalies.length} unusual transactions.</p>}
      {data.bills_due_7d.length > 0 && (
        <p>Bills due in 7 days: {data.bills_due_7d.map((b) => `${b.merchant_name} ${money(b.amount)} on ${b.date}`).join(", ")}</p>
      )}
      {data.budget_suggestions.length > 0 && (
        <p data-testid="digest-budgets">
          Suggested monthly budgets: {data.budget_suggestions.map((b) => `${b.category} ${money(b.amount)}`).join(", ")}
        </p>
      )}
    </section>
  );
}
