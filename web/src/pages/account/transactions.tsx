/**
 * An account's journal, newest first: filters by kind, category and date
 * range (the API's query parameters), and more pages as the list scrolls
 * into view (the API's cursor), with a button for keyboards.
 */
import { useEffect, useRef, useState } from "preact/hooks";
import { api } from "../../api/client";
import { unwrap } from "../../api/errors";
import type { Transaction } from "../../api/types";
import { field } from "../../components/form";
import { ErrorNote, Loading } from "../../components/status";
import { TransactionTable } from "../../components/transaction-table";

const KINDS = ["deposit", "withdrawal", "purchase", "refund", "fee", "interest", "reversal", "transfer_out", "transfer_in"] as const;
type Kind = (typeof KINDS)[number];
export const PAGE_SIZE = 25;

interface Filter {
  kind?: Kind;
  category?: string;
  from?: string;
  to?: string;
}

/** A day typed in a date input → the API's instants: `from` inclusive at its start, `to` exclusive at the next day's start. */
function toQuery(f: Filter) {
  const next = f.to ? new Date(Date.parse(`${f.to}T00:00:00Z`) + 86_400_000).toISOString() : undefined;
  return { kind: f.kind, category: f.category, from: f.from ? `${f.from}T00:00:00Z` : undefined, to: next };
}

export function Transactions({ accountId, version }: { accountId: string; version: number }) {
  const [filter, setFilter] = useState<Filter>({});
  const [rows, setRows] = useState<Transaction[]>([]);
  const [cursor, setCursor] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(undefined);
  const [loaded, setLoaded] = useState(false);
  const generation = useRef(0);
  const sentinel = useRef<HTMLDivElement>(null);

  async function load(after: string | null) {
    const mine = generation.current;
    setBusy(true);
    try {
      const page = unwrap(
        await api.GET("/v1/accounts/{id}/transactions", {
          params: { path: { id: accountId }, query: { ...toQuery(filter), limit: PAGE_SIZE, cursor: after ?? undefined } },
        }),
      );
      if (mine !== generation.current) return;
      setRows((r) => (after ? [...r, ...page.data] : page.data));
      setCursor(page.has_more ? (page.next_cursor ?? null) : null);
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
    void load(null);
  }, [accountId, filter, version]);

  useEffect(() => {
    const el = sentinel.current;
    if (!el || !cursor) return;
    const io = new IntersectionObserver((entries) => {
      if (entries.some((e) => e.isIntersecting) && !busy) void load(cursor);
    });
    io.observe(el);
    return () => io.disconnect();
  }, [cursor, busy]);

  return (
    <section class="card" aria-labelledby="h-tx">
      <h2 id="h-tx">Transactions</h2>
      <form
        class="form-row filters"
        aria-label="Filter transactions"
        onSubmit={(e) => {
          e.preventDefault();
          const f = new FormData(e.currentTarget);
          setFilter({
            kind: field(f, "kind") as Kind | undefined,
            category: field(f, "category"),
            from: field(f, "from"),
            to: field(f, "to"),
          });
        }}
      >
        <label>
          Kind
          <select name="kind">
            <option value="">Any</option>
            {KINDS.map((k) => (
              <option key={k} value={k}>
                {k.replace("_", " ")}
              </option>
            ))}
          </select>
        </label>
        <label>
          Category
          <input name="category" maxLength={64} />
        </label>
        <label>
          From
          <input name="from" type="date" />
        </label>
        <label>
          To
          <input name="to" type="date" />
        </label>
        <button type="submit" class="secondary">
          Filter
        </button>
      </form>
      <ErrorNote error={error} />
      {!loaded && <Loading what="Loading transactions" />}
      {loaded && rows.length === 0 && <p class="muted">No transactions match.</p>}
      {rows.length > 0 && <TransactionTable rows={rows} accountId={accountId} caption={`${rows.length} shown, newest first`} />}
      <div ref={sentinel} data-testid="more-sentinel" />
      {cursor && (
        <button type="button" class="secondary" disabled={busy} onClick={() => void load(cursor)}>
          {busy ? "Loading…" : "Load more"}
        </button>
      )}
    </section>
  );
}
