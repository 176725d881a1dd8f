/**
 * The Insights page's digest card: the digest a notification links to
 * (`/insights?digest=<id>`, GET /v1/insights/digests/{id}), else the latest
 * weekly one (stored by the cron, or the current week computed on read).
 * Spend and its change, income and savings rate, top categories, anomalies,
 * bills due and budget suggestions, as the API gives them, and a link to
 * the history (/insights/digests, web/src/pages/digests/). DigestView is the
 * card itself, shared by both pages.
 */
import { api } from "../../api/client";
import { unwrap } from "../../api/errors";
import type { components } from "../../api/schema";
import { Link } from "../../components/link";
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
  return (
    <>
      <DigestView data={data} />
      <p>
        <Link href="/insights/digests">All your digests</Link>
      </p>
    </>
  );
}

/** One digest as a card; `level` 3 when it opens inside a list under an h2 (the history page). */
export function DigestView({ data, level = 2 }: { data: Digest; level?: 2 | 3 }) {
  const money = (n: number) => formatMoney(n, data.currency);
  const t = data.totals;
  const Heading = level === 2 ? "h2" : "h3";
  const headingId = `h-digest-${data.id ?? `${data.period}-${data.start}-${data.currency}`}`;
  return (
    <section class="card" aria-labelledby={headingId} data-testid="digest">
      <Heading id={headingId}>
        {data.period === "weekly" ? "Weekly" : "Monthly"} digest, {data.start} to {data.end}
      </Heading>
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
