/**
 * A brokerage account's open positions (GET /v1/accounts/{id}/positions),
 * valued at each symbol's latest trade: quantity, average entry, cost basis,
 * current price, market value and unrealized P/L with its percentage. The
 * valuation is live: a trade streamed on the market socket (one connection
 * for the held symbols) revalues its position client-side with the API's
 * exact rules (lib/position-value.ts); the API's figures stand until a trade
 * newer than the last read arrives. Money is formatted from exact decimal
 * strings in the account's currency, prices at the symbol's precision; the
 * table reloads every 30 s (and after an order) for quantities and fills.
 */
import { api } from "../../api/client";
import { unwrap } from "../../api/errors";
import type { MarketSymbol, Position } from "../../api/market-types";
import { type Column, DataTable } from "../../components/data-table";
import { Link } from "../../components/link";
import { ErrorNote, Loading } from "../../components/status";
import { useData } from "../../components/use-data";
import { formatMajor, formatPrice, formatQty, formatSignedPercent, loadSymbols, trendClass } from "../../lib/market";
import { valueAt } from "../../lib/position-value";
import { useLivePrices } from "../../lib/use-live-prices";
import "../../markets.css";

export function Positions({ accountId, currency, version }: { accountId: string; currency: string; version: number }) {
  const { data, error } = useData(
    async () => {
      const asked = Date.now();
      const [specs, page] = await Promise.all([
        loadSymbols(),
        api.GET("/v1/accounts/{id}/positions", { params: { path: { id: accountId } } }).then(unwrap),
      ]);
      return { specs: new Map(specs.map((s) => [s.symbol, s])), rows: page.data, asked };
    },
    [accountId, version],
    { pollMs: 30_000 },
  );
  const live = useLivePrices(data?.rows.map((p) => p.symbol) ?? []);
  // A price that arrived after the read was asked for may be newer than the one the API valued at.
  const rows = (data?.rows ?? []).map((p) => {
    const l = live.get(p.symbol);
    return l && l.at >= data!.asked ? valueAt(p, l.p, currency) : p;
  });
  const price = (p: string | null, s: MarketSymbol | undefined) =>
    p === null ? "–" : formatPrice(p, s?.currency ?? currency, s?.price_precision ?? 2);
  const money = (m: string | null, signed = false) => (m === null ? "–" : formatMajor(m, currency, signed));
  const columns: Column<Position>[] = [
    {
      header: "Symbol",
      rowHeader: true,
      testId: "position-symbol",
      cell: (p) => <Link href={`/markets/${encodeURIComponent(p.symbol)}`}>{p.symbol}</Link>,
    },
    { header: "Quantity", num: true, testId: "position-qty", cell: (p) => formatQty(p.qty) },
    { header: "Avg entry", num: true, cell: (p) => price(p.avg_entry_price, data?.specs.get(p.symbol)) },
    { header: "Cost basis", num: true, cell: (p) => money(p.cost_basis) },
    { header: "Current price", num: true, testId: "position-price", cell: (p) => price(p.current_price, data?.specs.get(p.symbol)) },
    { header: "Market value", num: true, testId: "position-value", cell: (p) => money(p.market_value) },
    {
      header: "Unrealized P/L",
      num: true,
      testId: "position-pl",
      cell: (p) => (p.unrealized_pl === null ? "–" : <span class={trendClass(p.unrealized_pl)}>{money(p.unrealized_pl, true)}</span>),
    },
    {
      header: "P/L %",
      num: true,
      cell: (p) =>
        p.unrealized_plpc === null ? "–" : <span class={trendClass(p.unrealized_plpc)}>{formatSignedPercent(p.unrealized_plpc)}</span>,
    },
    { header: "Realized P/L", num: true, cell: (p) => money(p.realized_pl, true) },
  ];
  return (
    <section class="card" aria-labelledby="h-positions" data-testid="positions">
      <h2 id="h-positions">Positions</h2>
      <ErrorNote error={error} />
      {!data ? (
        !error && <Loading what="Loading positions" />
      ) : (
        <DataTable
          caption="Open positions at average cost, valued at the latest trade"
          columns={columns}
          rows={rows}
          rowKey={(p) => p.symbol}
          rowTestId="position-row"
          empty={
            <>
              No open positions. Buy on a symbol's page in <Link href="/markets">Markets</Link>.
            </>
          }
        />
      )}
    </section>
  );
}
