/**
 * Digest history (/insights/digests): the digests the cron runs stored
 * (GET /v1/insights/digests), newest period first, filtered by kind (all,
 * weekly, monthly), 10 a page with "Load more" (the API's cursor). Each
 * opens in place as the Insights page's digest card (DigestView). While none
 * is stored for the filter the API computes the last full period on read
 * (`stored: false`); the list shows it marked as such.
 */
import { useEffect, useRef, useState } from "preact/hooks";
import { api } from "../../api/client";
import { unwrap } from "../../api/errors";
import type { components } from "../../api/schema";
import { Link } from "../../components/link";
import { ErrorNote, Loading } from "../../components/status";
import { formatMoney } from "../../lib/money";
import type { PageRoute } from "../../router";
import { DigestView } from "../insights/digest-card";

type Digest = components["schemas"]["Digest"];
type Kind = "weekly" | "monthly";
export const PAGE_SIZE = 10;

const keyOf = (d: Digest) => d.id ?? `${d.period}-${d.start}-${d.currency}`;

function DigestHistory() {
  const [kind, setKind] = useState<Kind | undefined>(undefined);
  const [rows, setRows] = useState<Digest[]>([]);
  const [cursor, setCursor] = useState<string | null>(null);
  const [open, setOpen] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [loaded, setLoaded] = useState(false);
  const [error, setError] = useState<unknown>(undefined);
  const generation = useRef(0);

  async function load(after: string | null) {
    const mine = generation.current;
    setBusy(true);
    try {
      const page = unwrap(
        await api.GET("/v1/insights/digests", { params: { query: { kind, limit: PAGE_SIZE, cursor: after ?? undefined } } }),
      );
      if (mine !== generation.current) return;
      setRows((r) => (after ? [...r, ...page.data] : page.data));
      setCursor(page.has_more ? page.next_cursor : null);
      setError(undefined);
    } catch (err) {
      if (mine === generation.current) setError(err);
    } finally {
      if (mine === generation.current) {
        setBusy(false);
        setLoaded(true);
      }
    }
  }

  useEffect(() => {
    generation.current++;
    setOpen(null);
    void load(null);
  }, [kind]);

  return (
    <>
      <h1>Digest history</h1>
      <p>
        <Link href="/insights">Back to Insights</Link>
      </p>
      <section class="card" aria-labelledby="h-digests">
        <h2 id="h-digests">Your digests</h2>
        <div class="form-row">
          <label>
            Kind
            <select name="kind" value={kind ?? ""} onChange={(e) => setKind((e.currentTarget.value || undefined) as Kind | undefined)}>
              <option value="">Weekly and monthly</option>
              <option value="weekly">Weekly</option>
              <option value="monthly">Monthly</option>
            </select>
          </label>
        </div>
        <ErrorNote error={error} />
        {!loaded && <Loading what="Loading your digests" />}
        {loaded && rows.length === 0 && <p class="muted">No digests yet.</p>}
        <ul class="digest-list" data-testid="digest-list">
          {rows.map((d) => {
            const key = keyOf(d);
            const isOpen = open === key;
            return (
              <li key={key} data-testid="digest-item">
                <button type="button" class="secondary" aria-expanded={isOpen} onClick={() => setOpen(isOpen ? null : key)}>
                  {d.period === "weekly" ? "Week" : "Month"} {d.start} to {d.end}: spent {formatMoney(d.totals.spend, d.currency)}
                  {d.stored ? "" : " (computed now, not stored)"}
                </button>
                {isOpen && <DigestView data={d} level={3} />}
              </li>
            );
          })}
        </ul>
        {cursor && (
          <button type="button" disabled={busy} onClick={() => void load(cursor)}>
            {busy ? "Loading…" : "Load more"}
          </button>
        )}
      </section>
    </>
  );
}

export const route: PageRoute = {
  path: "/insights/digests",
  title: "Digest history",
  access: "user",
  component: DigestHistory,
};
