/**
 * One symbol: its candles in a chosen timeframe (1Min: last 2 h, 1Hour: last
 * 10 days, 1Day: last year, from GET /v1/market/{symbol}/bars; candles.ts)
 * drawn by lightweight-charts, the latest price and day change kept live by
 * the market stream (lib/market-socket.ts: each trade moves the price and the
 * current candle of the chosen timeframe, a streamed minute bar sets its
 * minute on the 1Min chart; a gap resyncs from the snapshot), the market
 * status, and the order ticket for your brokerage accounts.
 */
import { useEffect, useMemo, useRef, useState } from "preact/hooks";
import { api } from "../../api/client";
import { unwrap } from "../../api/errors";
import type { MarketSymbol, Snapshot } from "../../api/market-types";
import type { Account } from "../../api/types";
import { Link } from "../../components/link";
import { NotFound } from "../../components/not-found";
import { type Candle, PriceChart } from "../../components/price-chart";
import { ErrorNote, Loading } from "../../components/status";
import { useData } from "../../components/use-data";
import { loadAccounts } from "../../lib/accounts";
import { formatDateTime } from "../../lib/dates";
import { dayChange, formatPrice, formatPriceChange, formatSignedPercent, loadSymbols, referenceClose, trendClass } from "../../lib/market";
import { type MarketStatus, openMarketSocket, type Trade } from "../../lib/market-socket";
import type { PageRoute } from "../../router";
import { barsWindow, historyCandles, type Timeframe, timeframeSpec, withMinuteBar, withTrade } from "./candles";
import { OrderTicket } from "./order-ticket";
import { TimeframePicker } from "./timeframe-picker";
import "../../markets.css";

function SymbolPage({ params }: { params: Record<string, string> }) {
  const symbol = params.symbol!.toUpperCase();
  const meta = useData(async () => {
    const [specs, accounts] = await Promise.all([loadSymbols(), loadAccounts()]);
    return {
      spec: specs.find((s) => s.symbol === symbol) ?? null,
      accounts: accounts.filter((a) => a.type === "brokerage" && a.status === "open"),
    };
  }, [symbol]);
  const spec = meta.data?.spec;
  if (meta.data && !spec) return <NotFound />;
  if (!meta.data || !spec) return meta.error ? <ErrorNote error={meta.error} /> : <Loading what={`Loading ${symbol}`} />;
  return <SymbolView spec={spec} accounts={meta.data.accounts} reloadAccounts={meta.reload} />;
}

function SymbolView({ spec, accounts, reloadAccounts }: { spec: MarketSymbol; accounts: Account[]; reloadAccounts: () => Promise<void> }) {
  const symbol = spec.symbol;
  const [timeframe, setTimeframe] = useState<Timeframe>("1Day");
  const [candles, setCandles] = useState<Candle[] | null>(null);
  const [snap, setSnap] = useState<Snapshot | null>(null);
  const [trade, setTrade] = useState<Trade | null>(null);
  const [status, setStatus] = useState<MarketStatus | null>(null);
  const [live, setLive] = useState(false);
  const [error, setError] = useState<unknown>(undefined);
  const [placed, setPlaced] = useState(false);
  /** The newest trade seen, folded into the history when it arrives after it. */
  const newest = useRef<{ p: string; t: string } | null>(null);
  /** The timeframe the socket's trades fold into (the socket outlives a timeframe switch). */
  const tf = useRef(timeframe);
  tf.current = timeframe;

  useEffect(() => {
    let gone = false;
    setCandles(null);
    setError(undefined);
    (async () => {
      try {
        const query = { timeframe, ...barsWindow(timeframe), limit: 1000 };
        const page = unwrap(await api.GET("/v1/market/{symbol}/bars", { params: { path: { symbol }, query } }));
        if (gone) return;
        const n = newest.current;
        const history = historyCandles(page.data);
        setCandles(n ? withTrade(history, Number(n.p), n.t, timeframe) : history);
      } catch (err) {
        if (!gone) setError(err);
      }
    })();
    return () => {
      gone = true;
    };
  }, [symbol, timeframe]);

  useEffect(() => {
    const fold = (p: string, t: string) => setCandles((c) => (c ? withTrade(c, Number(p), t, tf.current) : c));
    return openMarketSocket({
      symbols: [symbol],
      onSnapshot: (s) => {
        setSnap(s);
        setStatus(s.status);
        const lt = s.latest_trade;
        if (!lt) return;
        newest.current = lt;
        setTrade({ S: s.symbol, ...lt });
        fold(lt.p, lt.t);
      },
      onTrade: (t) => {
        newest.current = t;
        setTrade(t);
        fold(t.p, t.t);
      },
      onBar: (b) => {
        if (tf.current === "1Min") setCandles((c) => (c ? withMinuteBar(c, b) : c));
      },
      onStatus: (_s, st) => setStatus(st),
      onLive: setLive,
    });
  }, [symbol]);

  const prevClose = referenceClose(snap, trade?.t);
  const change = dayChange(trade?.p, prevClose);
  const frame = timeframeSpec(timeframe);
  const chartLabel = useMemo(
    () =>
      `${frame.adjective} candles of ${symbol}${candles?.length ? `, ${candles.length} ${frame.unit}` : ""}; latest price shown above the chart`,
    [symbol, candles?.length, frame],
  );

  return (
    <>
      <div class="page-head">
        <h1>
          {symbol} <span class="muted small">{spec.name}</span>
        </h1>
        <p class="muted" role="status" data-testid="live-status">
          {live ? "Live: prices update as trades arrive" : "Connecting for live prices…"}
        </p>
      </div>
      <div class="invest-grid">
        <section class="card" aria-labelledby="h-price">
          <h2 id="h-price">Price</h2>
          <div class="quote">
            <span class="price" data-testid="last-price">
              {trade ? formatPrice(trade.p, spec.currency, spec.price_precision) : "–"}
            </span>
            {change && (
              <span class={trendClass(change.change)} data-testid="day-change">
                {formatPriceChange(change.change, spec.currency, spec.price_precision)} ({formatSignedPercent(change.fraction)}) today
              </span>
            )}
            {status && (
              <span class={`market-status ${status}`} data-testid="symbol-status">
                {status}
              </span>
            )}
          </div>
          <p class="muted small">
            {trade ? (
              <>
                Last trade <time dateTime={trade.t}>{formatDateTime(trade.t)}</time> · #{trade.q}
              </>
            ) : (
              "No trade yet"
            )}
            {prevClose ? ` · previous close ${formatPrice(prevClose, spec.currency, spec.price_precision)}` : ""}
          </p>
          <TimeframePicker value={timeframe} onChange={setTimeframe} />
          <ErrorNote error={error} />
          {candles === null ? (
            !error && <Loading what="Loading the chart" />
          ) : candles.length === 0 ? (
            <p class="muted">No {frame.adjective.toLowerCase()} bars in this window yet.</p>
          ) : (
            <PriceChart label={chartLabel} bars={candles} precision={spec.price_precision} />
          )}
          <p class="muted small">
            Chart by{" "}
            <a href="https://www.tradingview.com/lightweight-charts/" rel="noopener noreferrer">
              TradingView Lightweight Charts
            </a>
            .
          </p>
        </section>
        <div>
          <OrderTicket
            spec={spec}
            accounts={accounts}
            onPlaced={() => {
              setPlaced(true);
              void reloadAccounts();
            }}
          />
          {placed && accounts.length > 0 && (
            <p class="small">
              Positions and orders:{" "}
              {accounts.map((a, i) => (
                <span key={a.id}>
                  {i > 0 && ", "}
                  <Link href={`/accounts/${a.id}`}>{a.name}</Link>
                </span>
              ))}
            </p>
          )}
        </div>
      </div>
      <p class="small">
        <Link href="/markets">All markets</Link>
      </p>
    </>
  );
}

export const route: PageRoute = { path: "/markets/:symbol", title: "Symbol", access: "user", component: SymbolPage };
