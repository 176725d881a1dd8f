/**
 * One symbol: its daily candles (GET /v1/market/{symbol}/bars?timeframe=1Day)
 * drawn by lightweight-charts, the latest price and day change kept live by
 * the market stream (lib/market-socket.ts: each trade moves the price and
 * today's candle; a gap resyncs from the snapshot), the market status, and
 * the order ticket for your brokerage accounts.
 */
import { useEffect, useMemo, useRef, useState } from "preact/hooks";
import { api } from "../../api/client";
import { unwrap } from "../../api/errors";
import type { Bar, MarketSymbol, Snapshot } from "../../api/market-types";
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
import { OrderTicket } from "./order-ticket";
import "../../markets.css";

const DAY = 86_400;
const dayStart = (iso: string) => Math.floor(Date.parse(iso) / 1000 / DAY) * DAY;

function toCandle(b: Bar): Candle {
  return { time: Math.floor(Date.parse(b.t) / 1000), open: Number(b.o), high: Number(b.h), low: Number(b.l), close: Number(b.c) };
}

/** The candles with `price` at `t` folded into its day: today's candle moves, a new day opens one. */
function withTrade(candles: Candle[], price: number, t: string): Candle[] {
  const day = dayStart(t);
  const last = candles[candles.length - 1];
  if (!last || day > last.time) return [...candles, { time: day, open: price, high: price, low: price, close: price }];
  if (day < last.time) return candles;
  const next = { ...last, high: Math.max(last.high, price), low: Math.min(last.low, price), close: price };
  return [...candles.slice(0, -1), next];
}

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
  const [candles, setCandles] = useState<Candle[] | null>(null);
  const [snap, setSnap] = useState<Snapshot | null>(null);
  const [trade, setTrade] = useState<Trade | null>(null);
  const [status, setStatus] = useState<MarketStatus | null>(null);
  const [live, setLive] = useState(false);
  const [error, setError] = useState<unknown>(undefined);
  const [placed, setPlaced] = useState(false);
  /** The newest trade seen, folded into the history when it arrives after it. */
  const newest = useRef<{ p: string; t: string } | null>(null);

  useEffect(() => {
    let gone = false;
    setCandles(null);
    (async () => {
      try {
        const page = unwrap(
          await api.GET("/v1/market/{symbol}/bars", { params: { path: { symbol }, query: { timeframe: "1Day", limit: 1000 } } }),
        );
        if (gone) return;
        const n = newest.current;
        setCandles((prev) => {
          const merged = mergeHistory(page.data.filter((b): b is Bar => b !== null).map(toCandle), prev);
          return n ? withTrade(merged, Number(n.p), n.t) : merged;
        });
      } catch (err) {
        if (!gone) setError(err);
      }
    })();
    const close = openMarketSocket({
      symbols: [symbol],
      onSnapshot: (s) => {
        setSnap(s);
        setStatus(s.status);
        const lt = s.latest_trade;
        if (!lt) return;
        newest.current = lt;
        setTrade({ S: s.symbol, ...lt });
        setCandles((c) => (c ? withTrade(c, Number(lt.p), lt.t) : c));
      },
      onTrade: (t) => {
        newest.current = t;
        setTrade(t);
        setCandles((c) => (c ? withTrade(c, Number(t.p), t.t) : c));
      },
      onStatus: (_s, st) => setStatus(st),
      onLive: setLive,
    });
    return () => {
      gone = true;
      close();
    };
  }, [symbol]);

  const prevClose = referenceClose(snap, trade?.t);
  const change = dayChange(trade?.p, prevClose);
  const chartLabel = useMemo(
    () => `Daily candles of ${symbol}${candles?.length ? `, ${candles.length} days` : ""}; latest price shown above the chart`,
    [symbol, candles?.length],
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
          <ErrorNote error={error} />
          {candles === null ? (
            !error && <Loading what="Loading the chart" />
          ) : candles.length === 0 ? (
            <p class="muted">No daily bars yet.</p>
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

/** History from the API under the candle(s) live trades may already have made while it loaded. */
function mergeHistory(history: Candle[], live: Candle[] | null): Candle[] {
  const sorted = [...history].sort((a, b) => a.time - b.time);
  if (!live?.length) return sorted;
  const lastTime = sorted[sorted.length - 1]?.time ?? -1;
  return [...sorted, ...live.filter((c) => c.time > lastTime)];
}

export const route: PageRoute = { path: "/markets/:symbol", title: "Symbol", access: "user", component: SymbolPage };
