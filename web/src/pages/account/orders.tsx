/**
 * A brokerage account's orders, newest first (GET /v1/accounts/{id}/orders):
 * filtered by status (open, closed, all — the API's filter), more pages by
 * its cursor, and Cancel on each open order (DELETE …/orders/{order_id}),
 * which releases what it holds. Cash is in the account currency's minor units.
 */
import { useEffect, useRef, useState } from "preact/hooks";
import { api } from "../../api/client";
import { errorMessage, unwrap } from "../../api/errors";
import type { MarketSymbol, Order } from "../../api/market-types";
import { type Column, DataTable } from "../../components/data-table";
import { ErrorNote, Loading } from "../../components/status";
import { formatDateTime } from "../../lib/dates";
import { formatMajor, formatPrice, formatQty, loadSymbols } from "../../lib/market";
import { formatMoney } from "../../lib/money";

type Filter = "open" | "closed" | "all";
const OPEN = new Set<Order["status"]>(["new", "partially_filled"]);

interface Props {
  accountId: string;
  currency: string;
  version: number;
  /** An order was canceled (balances and positions change). */
  onChanged: () => void;
}

export function Orders({ accountId, currency, version, onChanged }: Props) {
  const [filter, setFilter] = useState<Filter>("open");
  const [rows, setRows] = useState<Order[] | null>(null);
  const [cursor, setCursor] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(undefined);
  const [note, setNote] = useState("");
  const [specs, setSpecs] = useState<Map<string, MarketSymbol>>(new Map());
  const generation = useRef(0);

  const load = async (after: string | null) => {
    const mine = after ? generation.current : ++generation.current;
    try {
      const page = unwrap(
        await api.GET("/v1/accounts/{id}/orders", {
          params: { path: { id: accountId }, query: { status: filter, limit: 50, ...(after ? { cursor: after } : {}) } },
        }),
      );
      if (mine !== generation.current) return;
      setRows((prev) => (after ? [...(prev ?? []), ...page.data] : page.data));
      setCursor(page.has_more ? (page.next_cursor ?? null) : null);
      setError(undefined);
    } catch (err) {
      if (mine === generation.current) setError(err);
    }
  };

  useEffect(() => {
    void loadSymbols().then(
      (s) => setSpecs(new Map(s.map((x) => [x.symbol, x]))),
      () => undefined,
    );
  }, []);
  useEffect(() => {
    void load(null);
  }, [accountId, filter, version]);

  const cancel = async (o: Order) => {
    setNote("");
    try {
      const c = unwrap(await api.DELETE("/v1/accounts/{id}/orders/{order_id}", { params: { path: { id: accountId, order_id: o.id } } }));
      setNote(
        `Canceled the ${o.type} ${o.side} of ${o.symbol}${c.hold === 0 && o.hold > 0 ? `; ${formatMoney(o.hold, currency)} released` : ""}.`,
      );
      onChanged();
      await load(null);
    } catch (err) {
      setError(new Error(`Could not cancel: ${errorMessage(err)}`));
      await load(null);
    }
  };

  const price = (p: string | null, sym: string) => {
    const s = specs.get(sym);
    return p === null ? "–" : formatPrice(p, s?.currency ?? currency, s?.price_precision ?? 2);
  };
  const columns: Column<Order>[] = [
    { header: "Placed", cell: (o) => <time dateTime={o.created_at}>{formatDateTime(o.created_at)}</time> },
    { header: "Symbol", rowHeader: true, testId: "order-symbol", cell: (o) => o.symbol },
    { header: "Side", cell: (o) => o.side },
    { header: "Type", cell: (o) => `${o.type} · ${o.time_in_force}` },
    { header: "Size", num: true, cell: (o) => (o.qty ? formatQty(o.qty) : o.notional ? formatMajor(o.notional, currency) : "–") },
    { header: "Limit", num: true, cell: (o) => price(o.limit_price, o.symbol) },
    {
      header: "Status",
      testId: "order-status",
      cell: (o) => (
        <>
          {o.status.replace("_", " ")}
          {o.reason ? <span class="muted small"> ({o.reason})</span> : null}
        </>
      ),
    },
    { header: "Filled", num: true, cell: (o) => formatQty(o.filled_qty) },
    { header: "Avg fill", num: true, cell: (o) => price(o.filled_avg_price, o.symbol) },
    { header: "Cash", num: true, cell: (o) => formatMoney(o.filled_cash, currency) },
    { header: "Held", num: true, cell: (o) => formatMoney(o.hold, currency) },
    {
      header: "Action",
      cell: (o) =>
        OPEN.has(o.status) ? (
          <button type="button" class="secondary" onClick={() => cancel(o)} aria-label={`Cancel ${o.type} ${o.side} ${o.symbol}`}>
            Cancel
          </button>
        ) : (
          ""
        ),
    },
  ];

  return (
    <section class="card" aria-labelledby="h-orders" data-testid="orders">
      <h2 id="h-orders">Orders</h2>
      <div class="form-row">
        <label>
          Status
          <select name="status" value={filter} onChange={(e) => setFilter(e.currentTarget.value as Filter)}>
            <option value="open">Open</option>
            <option value="closed">Closed (filled, canceled, expired, rejected)</option>
            <option value="all">All</option>
          </select>
        </label>
      </div>
      <ErrorNote error={error} />
      <p class="success" role="status" aria-live="polite">
        {note}
      </p>
      {rows === null ? (
        !error && <Loading what="Loading orders" />
      ) : (
        <DataTable
          caption={`${filter === "all" ? "All" : filter === "open" ? "Open" : "Closed"} orders, newest first`}
          columns={columns}
          rows={rows}
          rowKey={(o) => o.id}
          rowTestId="order-row"
          empty={filter === "open" ? "No open orders." : "No orders."}
        />
      )}
      {cursor && (
        <button type="button" class="secondary" onClick={() => load(cursor)}>
          Load more
        </button>
      )}
    </section>
  );
}
