/**
 * Markets: every symbol of the registry with its name, asset class, last
 * price and day change (the latest trade against the previous close), and
 * the market clock (open or closed, next open and close). Prices are live:
 * the page subscribes to every symbol on the market socket (which also runs
 * the simulator while it listens); a symbol with no trade yet shows its last
 * daily close. Each symbol links to its page with the chart and order ticket.
 * A star adds a symbol to the caller's watchlist (/v1/watchlist) or removes
 * it; the watchlist is shown above all symbols with the same live prices.
 */
import { useEffect, useState } from "preact/hooks";
import { api } from "../../api/client";
import { unwrap } from "../../api/errors";
import type { MarketClock, MarketSymbol, Snapshot } from "../../api/market-types";
import { type Column, DataTable } from "../../components/data-table";
import { Link } from "../../components/link";
import { ErrorNote, Loading } from "../../components/status";
import { useData } from "../../components/use-data";
import { formatDateTime } from "../../lib/dates";
import {
  dayChange,
  formatPrice,
  formatPriceChange,
  formatSignedPercent,
  loadSnapshot,
  loadSymbols,
  referenceClose,
  trendClass,
} from "../../lib/market";
import { openMarketSocket } from "../../lib/market-socket";
import type { PageRoute } from "../../router";
import "../../markets.css";

interface Quote {
  p: string;
  t: string;
}

interface Row {
  spec: MarketSymbol;
  snap: Snapshot | null;
  trade: Quote | null;
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
  const specs = useData(loadSymbols, []);
  const [snaps, setSnaps] = useState<Map<string, Snapshot>>(new Map());
  const [trades, setTrades] = useState<Map<string, Quote>>(new Map());
  const [live, setLive] = useState(false);
  const [error, setError] = useState<unknown>(undefined);
  const list = specs.data;
  const watchlist = useData(async () => unwrap(await api.GET("/v1/watchlist")).symbols, []);
  const [watched, setWatched] = useState<string[] | null>(null);
  const shown = watched ?? watchlist.data ?? [];
  const toggle = async (symbol: string) => {
    try {
      const r = shown.includes(symbol)
        ? await api.DELETE("/v1/watchlist/symbols/{symbol}", { params: { path: { symbol } } })
        : await api.POST("/v1/watchlist/symbols", { body: { symbol } });
      setWatched(unwrap(r).symbols);
    } catch (err) {
      setError(err);
    }
  };

  useEffect(() => {
    if (!list) return;
    let gone = false;
    const put = (s: Snapshot) => {
      setSnaps((m) => new Map(m).set(s.symbol, s));
      const lt = s.latest_trade;
      if (lt) setTrades((m) => new Map(m).set(s.symbol, { p: lt.p, t: lt.t }));
    };
    // First from the API (the socket's snapshots follow and replace these), then live.
    Promise.all(list.map((s) => loadSnapshot(s.symbol))).then(
      (all) => {
        if (!gone) for (const s of all) put(s);
      },
      (err) => !gone && setError(err),
    );
    const close = openMarketSocket({
      symbols: list.map((s) => s.symbol),
      onSnapshot: put,
      onTrade: (t) => setTrades((m) => new Map(m).set(t.S, { p: t.p, t: t.t })),
      onLive: setLive,
    });
    return () => {
      gone = true;
      close();
    };
  }, [list]);

  const rows: Row[] = (list ?? []).map((spec) => ({ spec, snap: snaps.get(spec.symbol) ?? null, trade: trades.get(spec.symbol) ?? null }));
  const columns: Column<Row>[] = [
    {
      header: "Watch",
      cell: (r) => {
        const on = shown.includes(r.spec.symbol);
        return (
          <button
            type="button"
            class="secondary star"
            aria-pressed={on}
            aria-label={`Watch ${r.spec.symbol}`}
            onClick={() => void toggle(r.spec.symbol)}
          >
            <span aria-hidden="true">{on ? "★" : "☆"}</span>
          </button>
        );
      },
    },
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
      cell: (r) => {
        const fmt = (p: string) => formatPrice(p, r.spec.currency, r.spec.price_precision);
        if (r.trade) return fmt(r.trade.p);
        const close = r.snap?.daily_bar?.c ?? r.snap?.prev_close;
        return close ? (
          <>
            {fmt(close)} <span class="muted small">close</span>
          </>
        ) : (
          "–"
        );
      },
    },
    {
      header: "Day change",
      num: true,
      testId: "day-change",
      cell: (r) => {
        const ch = r.trade ? dayChange(r.trade.p, referenceClose(r.snap, r.trade.t)) : dayChange(r.snap?.daily_bar?.c, r.snap?.prev_close);
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
      {list && (
        <section class="card" aria-labelledby="h-watchlist">
          <h2 id="h-watchlist">Your watchlist</h2>
          <ErrorNote error={watchlist.error} />
          {shown.length === 0 ? (
            <p class="muted">No symbols yet: star one below to watch it.</p>
          ) : (
            <DataTable
              caption="Watched symbols, live"
              columns={columns}
              rows={shown.flatMap((sym) => rows.filter((r) => r.spec.symbol === sym))}
              rowKey={(r) => r.spec.symbol}
              rowTestId="watchlist-row"
            />
          )}
        </section>
      )}
      <section class="card" aria-labelledby="h-symbols">
        <h2 id="h-symbols">Symbols</h2>
        <p class="muted small" role="status" data-testid="live-status">
          {live ? "Live: prices update as trades arrive" : "Connecting for live prices…"}
        </p>
        <ErrorNote error={specs.error ?? error} />
        {!list ? (
          !specs.error && <Loading what="Loading symbols" />
        ) : (
          <DataTable
            caption="Last trade and change since the previous close"
            columns={columns}
            rows={rows}
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
