/**
 * Markets: the demo symbols, or the registry's matches for a search (symbol
 * or name, searched by the API), with name, asset class, last price and day
 * change (the latest trade against the previous close), and the market clock
 * (open or closed, next open and close). Prices are live: the page subscribes
 * on the market socket to the symbols shown and watched (which also runs the
 * simulator while it listens; at most MAX_SHOWN search results are shown, so
 * a socket stays under its 100-symbol cap); a symbol with no trade yet shows
 * its last daily close. Each symbol links to its page with the chart and
 * order ticket. A star adds a symbol to the caller's watchlist
 * (/v1/watchlist) or removes it; the watchlist is shown above the symbols
 * with the same live prices.
 */
import { useEffect, useState } from "preact/hooks";
import { api } from "../../api/client";
import { unwrap } from "../../api/errors";
import type { MarketClock, MarketSymbol, Snapshot } from "../../api/market-types";
import { DataTable } from "../../components/data-table";
import { ErrorNote, Loading } from "../../components/status";
import { useData } from "../../components/use-data";
import { formatDateTime } from "../../lib/dates";
import { loadSnapshot, loadSymbols } from "../../lib/market";
import { openMarketSocket } from "../../lib/market-socket";
import type { PageRoute } from "../../router";
import { marketColumns, type Quote, type Row } from "./columns";
import "../../markets.css";

/** Search results shown (and streamed) at most; with a 50-symbol watchlist a socket stays within 100 symbols. */
const MAX_SHOWN = 50;
const SEARCH_DEBOUNCE_MS = 250;

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
  const registry = useData(loadSymbols, []);
  const [text, setText] = useState("");
  const [q, setQ] = useState("");
  useEffect(() => {
    const timer = setTimeout(() => setQ(text.trim()), SEARCH_DEBOUNCE_MS);
    return () => clearTimeout(timer);
  }, [text]);
  const found = useData(
    async (): Promise<MarketSymbol[]> =>
      q ? unwrap(await api.GET("/v1/market/symbols", { params: { query: { q } } })).data : (await loadSymbols()).filter((s) => s.demo),
    [q],
  );
  const [snaps, setSnaps] = useState<Map<string, Snapshot>>(new Map());
  const [trades, setTrades] = useState<Map<string, Quote>>(new Map());
  const [live, setLive] = useState(false);
  const [error, setError] = useState<unknown>(undefined);
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

  const specOf = new Map((registry.data ?? []).map((s) => [s.symbol, s]));
  const list = found.data?.slice(0, MAX_SHOWN);
  const watchedSpecs = registry.data ? shown.flatMap((sym) => specOf.get(sym) ?? []) : [];
  // The symbols on the socket: those shown in either table (a stable key, so the socket reopens only when they change).
  const streamed = [...new Set([...(list ?? []).map((s) => s.symbol), ...watchedSpecs.map((s) => s.symbol)])];
  const streamKey = list ? streamed.join(",") : "";

  useEffect(() => {
    if (!streamKey) return;
    const symbols = streamKey.split(",");
    let gone = false;
    // The newest wins: an API snapshot that answers after the socket's trades must not take the price back.
    const put = (s: Snapshot) => {
      setSnaps((m) => ((m.get(s.symbol)?.seq ?? -1) > s.seq ? m : new Map(m).set(s.symbol, s)));
      const lt = s.latest_trade;
      if (lt) setTrades((m) => ((m.get(s.symbol)?.q ?? -1) > lt.q ? m : new Map(m).set(s.symbol, { p: lt.p, t: lt.t, q: lt.q })));
    };
    // First from the API (the socket's snapshots follow and replace these), then live.
    Promise.all(symbols.map((s) => loadSnapshot(s))).then(
      (all) => {
        if (!gone) for (const s of all) put(s);
      },
      (err) => !gone && setError(err),
    );
    const close = openMarketSocket({
      symbols,
      onSnapshot: put,
      onTrade: (t) => setTrades((m) => ((m.get(t.S)?.q ?? -1) > t.q ? m : new Map(m).set(t.S, { p: t.p, t: t.t, q: t.q }))),
      onLive: setLive,
    });
    return () => {
      gone = true;
      close();
    };
  }, [streamKey]);

  const rowOf = (spec: MarketSymbol): Row => ({ spec, snap: snaps.get(spec.symbol) ?? null, trade: trades.get(spec.symbol) ?? null });
  const columns = marketColumns(shown, (symbol) => void toggle(symbol));
  const total = found.data?.length ?? 0;

  return (
    <>
      <div class="page-head">
        <h1>Markets</h1>
        {clock.data ? <ClockNote clock={clock.data} /> : <ErrorNote error={clock.error} />}
      </div>
      {registry.data && (
        <section class="card" aria-labelledby="h-watchlist">
          <h2 id="h-watchlist">Your watchlist</h2>
          <ErrorNote error={watchlist.error} />
          {shown.length === 0 ? (
            <p class="muted">No symbols yet: star one below to watch it.</p>
          ) : (
            <DataTable
              caption="Watched symbols, live"
              columns={columns}
              rows={watchedSpecs.map(rowOf)}
              rowKey={(r) => r.spec.symbol}
              rowTestId="watchlist-row"
            />
          )}
        </section>
      )}
      <section class="card" aria-labelledby="h-symbols">
        <h2 id="h-symbols">Symbols</h2>
        <search>
          <form class="form-row" onSubmit={(e) => e.preventDefault()}>
            <label class="inline">
              Search symbols
              <input
                type="search"
                name="q"
                value={text}
                maxLength={40}
                placeholder="Symbol or name, e.g. apple"
                data-testid="symbol-search"
                onInput={(e) => setText(e.currentTarget.value)}
              />
            </label>
          </form>
        </search>
        <p class="muted small" role="status" data-testid="symbol-count">
          {!found.data
            ? ""
            : q
              ? `${total} ${total === 1 ? "symbol matches" : "symbols match"} “${q}”${total > MAX_SHOWN ? `; the first ${MAX_SHOWN} are shown` : ""}`
              : `The ${total} demo symbols of ${registry.data?.length ?? "the"} registered; search to find any other.`}
        </p>
        <p class="muted small" role="status" data-testid="live-status">
          {live ? "Live: prices update as trades arrive" : "Connecting for live prices…"}
        </p>
        <ErrorNote error={found.error ?? registry.error ?? error} />
        {!list ? (
          !found.error && <Loading what="Loading symbols" />
        ) : (
          <DataTable
            caption="Last trade and change since the previous close"
            columns={columns}
            rows={list.map(rowOf)}
            rowKey={(r) => r.spec.symbol}
            rowTestId="market-row"
            empty={`No symbol matches “${q}”.`}
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
