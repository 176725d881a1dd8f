/**
 * Markets: every symbol of the registry with its name, asset class, last
 * price and day change (the snapshot's latest trade against the previous
 * close), and the market clock (open or closed, next open and close). The
 * snapshots reload every 15 s while the tab is visible; each symbol links to
 * its page with the live chart and the order ticket.
 */
import { api } from "../../api/client";
import { unwrap } from "../../api/errors";
import type { MarketClock, MarketSymbol, Snapshot } from "../../api/market-types";
import { type Column, DataTable } from "../../components/data-table";
import { Link } from "../../components/link";
import { ErrorNote, Loading } from "../../components/status";
import { useData } from "../../components/use-data";
import { formatDateTime } from "../../lib/dates";
import { dayChange, formatPrice, formatPriceChange, formatSignedPercent, loadSnapshot, loadSymbols, trendClass } from "../../lib/market";
import type { PageRoute } from "../../router";
import "../../markets.css";

interface Row {
  spec: MarketSymbol;
  snap: Snapshot | null;
}

const ASSET_CLASS: Record<MarketSymbol["asset_class"], string> = { us_equity: "US equity", crypto: "Crypto" };

export function ClockNote({ clock }: { clock: MarketClock }) {
  return (
    <p data-testid="market-clock">
      <span class={clock.is_open ? "market-status open" : "market-status closed"}>US equities {clock.is_open ? "open" : "closed"}</span>
      {clock.calendar === "always_open" ? (
        <span class="muted"> · always-open calendar (local dev); crypto trades around the clock</span>
      ) : (
        <span class="muted">
          {clock.is_open && clock.next_close ? ` · closes ${formatDateTime(clock.next_close)}` : ""}
          {!clock.is_open && clock.next_open ? ` · opens ${formatDateTime(clock.next_open)}` : ""} · crypto trades around the clock
        </span>
      )}
    </p>
  );
}

function MarketsPage() {
  const clock = useData(async () => unwrap(await api.GET("/v1/market/clock")), [], { pollMs: 60_000 });
  const rows = useData(
    async (): Promise<Row[]> => {
      const specs = await loadSymbols();
      const snaps = await Promise.all(specs.map((s) => loadSnapshot(s.symbol).catch(() => null)));
      return specs.map((spec, i) => ({ spec, snap: snaps[i] ?? null }));
    },
    [],
    { pollMs: 15_000 },
  );

  const columns: Column<Row>[] = [
    {
      header: "Symbol",
      rowHeader: true,
      cell: (r) => (
        <Link href={`/markets/${encodeURIComponent(r.spec.symbol)}`} data-testid="symbol-link">
          {r.spec.symbol}
        </Link>
      ),
    },
    { header: "Name", cell: (r) => r.spec.name },
    { header: "Asset class", cell: (r) => ASSET_CLASS[r.spec.asset_class] },
    {
      header: "Last price",
      num: true,
      testId: "last-price",
      cell: (r) => (r.snap?.latest_trade ? formatPrice(r.snap.latest_trade.p, r.spec.currency, r.spec.price_precision) : "–"),
    },
    {
      header: "Day change",
      num: true,
      testId: "day-change",
      cell: (r) => {
        const ch = dayChange(r.snap?.latest_trade?.p, r.snap?.prev_close);
        if (!ch) return "–";
        return (
          <span class={trendClass(ch.change)}>
            {formatPriceChange(ch.change, r.spec.currency, r.spec.price_precision)} ({formatSignedPercent(ch.fraction)})
          </span>
        );
      },
    },
  ];

  return (
    <>
      <div class="page-head">
        <h1>Markets</h1>
        {clock.data ? <ClockNote clock={clock.data} /> : <ErrorNote error={clock.error} />}
      </div>
      <section class="card" aria-labelledby="h-symbols">
        <h2 id="h-symbols">Symbols</h2>
        <ErrorNote error={rows.error} />
        {!rows.data ? (
          rows.error ? null : (
            <Loading what="Loading prices" />
          )
        ) : (
          <DataTable
            caption="Last trade and change since the previous close"
            columns={columns}
            rows={rows.data}
            rowKey={(r) => r.spec.symbol}
            rowTestId="market-row"
          />
        )}
      </section>
    </>
  );
}

export const route: PageRoute = {
  path: "/markets",
  title: "Markets",
  access: "user",
  nav: { label: "Markets", order: 25 },
  component: MarketsPage,
};
