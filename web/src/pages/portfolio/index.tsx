/**
 * The portfolio over all of your brokerage accounts, from Gold: its value,
 * cash and positions at the latest close, the value over a chosen period
 * (uPlot line), the returns each labelled by method, and the allocation by
 * symbol and by asset class. Next to Gold's close, the positions are valued
 * live: one market socket streams the held symbols' trades and each position
 * is revalued client-side with the API's exact rule (qty × price, half-even to
 * the minor unit, lib/position-value.ts); a symbol with no trade since the
 * page opened keeps its close. Money comes as exact decimal strings.
 */
import { useState } from "preact/hooks";
import { api } from "../../api/client";
import { unwrap } from "../../api/errors";
import type { components } from "../../api/schema";
import { Chart } from "../../components/chart";
import { type Column, DataTable } from "../../components/data-table";
import { Money } from "../../components/money";
import { ErrorNote, Loading } from "../../components/status";
import { useData } from "../../components/use-data";
import { formatDateTime } from "../../lib/dates";
import { formatAxis, formatPercent, toMajorNumber } from "../../lib/money";
import { marketValueMinor } from "../../lib/position-value";
import { type LivePrice, useLivePrices } from "../../lib/use-live-prices";
import type { PageRoute } from "../../router";

type Portfolio = components["schemas"]["Portfolio"];
type History = components["schemas"]["PortfolioHistory"];
type Bucket = components["schemas"]["AllocationBucket"];
type Position = Portfolio["positions"][number];
type Figure = components["schemas"]["ReturnFigure"];
type Period = History["period"];

const PERIODS: Period[] = ["1M", "3M", "1Y", "all"];
const POLL_MS = 4000;

const METHOD_LABELS: Record<Figure["method"], string> = {
  simple_return: "Simple return",
  twr: "Time-weighted return (TWR)",
  mwr: "Money-weighted return (XIRR)",
  volatility: "Volatility",
  sharpe: "Sharpe ratio",
  max_drawdown: "Max drawdown",
};

function figureText(f: Figure): string {
  if (f.value === null) return "Not enough data";
  return f.method === "sharpe" ? f.value.toFixed(2) : formatPercent(f.value);
}

function Returns({ returns }: { returns: Figure[] }) {
  const columns: Column<Figure>[] = [
    { header: "Method", rowHeader: true, cell: (f) => METHOD_LABELS[f.method] },
    { header: "Value", num: true, cell: (f) => figureText(f), testId: "return-value" },
    { header: "Annualized", cell: (f) => (f.annualized ? "yes" : "no") },
  ];
  return <DataTable caption="Returns over the period" columns={columns} rows={returns} rowKey={(f) => f.method} rowTestId="return" />;
}

function Allocation({ caption, rows, currency, testId }: { caption: string; rows: Bucket[]; currency: string; testId: string }) {
  const columns: Column<Bucket>[] = [
    { header: "Holding", rowHeader: true, cell: (b) => b.key },
    { header: "Market value", num: true, cell: (b) => <Money amount={b.market_value} currency={currency} /> },
    { header: "Weight", num: true, cell: (b) => formatPercent(b.weight) },
  ];
  return <DataTable caption={caption} columns={columns} rows={rows} rowKey={(b) => b.key} rowTestId={testId} empty="Nothing held yet." />;
}

/** A position's value at its live price (minor units), or null when no trade has streamed since the page opened. */
function liveValue(x: Position, live: Map<string, LivePrice>, currency: string): string | null {
  const l = live.get(x.symbol);
  return l ? marketValueMinor(x.qty, l.p, currency).toString() : null;
}

/** Cash plus every position at its live price, or at its close where none streamed yet. */
function liveTotal(p: Portfolio, live: Map<string, LivePrice>): string {
  let total = BigInt(p.cash);
  for (const x of p.positions) total += BigInt(liveValue(x, live, p.currency) ?? x.market_value);
  return total.toString();
}

function Positions({ p, live }: { p: Portfolio; live: Map<string, LivePrice> }) {
  const columns: Column<Position>[] = [
    { header: "Symbol", rowHeader: true, cell: (x) => x.symbol },
    { header: "Quantity", num: true, cell: (x) => x.qty },
    { header: "Close", num: true, cell: (x) => (x.close_price === null ? "no price yet" : `${x.close_price} (${x.close_day})`) },
    { header: "Value at close", num: true, cell: (x) => <Money amount={x.market_value} currency={p.currency} /> },
    { header: "Live price", num: true, testId: "portfolio-live-price", cell: (x) => live.get(x.symbol)?.p ?? "waiting for a trade" },
    {
      header: "Live value",
      num: true,
      testId: "portfolio-live-value",
      cell: (x) => {
        const v = liveValue(x, live, p.currency);
        return v === null ? "–" : <Money amount={v} currency={p.currency} />;
      },
    },
  ];
  return (
    <DataTable
      caption="Positions at their latest close and at the latest streamed trade"
      columns={columns}
      rows={p.positions}
      rowKey={(x) => x.symbol}
      rowTestId="portfolio-position"
      empty="No positions yet."
    />
  );
}

function ValueChart({ history }: { history: History }) {
  if (history.points.length === 0) return <p class="muted">No portfolio history yet.</p>;
  const x = history.points.map((p) => Date.parse(`${p.day}T00:00:00Z`) / 1000);
  return (
    <Chart
      kind="line"
      label={`Portfolio value per day in ${history.currency}, ${history.from} to ${history.to}`}
      x={x}
      series={[{ label: "Value", values: history.points.map((p) => toMajorNumber(p.value, history.currency)) }]}
      yFormat={(v) => formatAxis(v, history.currency)}
    />
  );
}

function PortfolioPage() {
  const [period, setPeriod] = useState<Period>("1M");
  const { data, error, loading } = useData(
    async () => {
      const [now, history] = await Promise.all([
        api.GET("/v1/portfolio").then(unwrap),
        api.GET("/v1/portfolio/history", { params: { query: { period } } }).then(unwrap),
      ]);
      return { now, history };
    },
    [period],
    { pollMs: POLL_MS },
  );
  const live = useLivePrices(data?.now.positions.map((x) => x.symbol) ?? []);
  if (loading && !data) return <Loading what="Loading your portfolio" />;
  if (!data) return <ErrorNote error={error} />;
  const { now, history } = data;
  return (
    <>
      <div class="page-head">
        <h1>Portfolio</h1>
        <p class="muted">
          {now.as_of ? (
            <>
              Analytics as of <time dateTime={now.as_of}>{formatDateTime(now.as_of)}</time>
            </>
          ) : (
            "Analytics have not run yet"
          )}
        </p>
      </div>
      <ErrorNote error={error} />
      <div class="grid">
        <section class="card" aria-labelledby="h-pf-live">
          <h2 id="h-pf-live">Value now</h2>
          <p class="figures" data-testid="portfolio-live-total">
            <Money amount={liveTotal(now, live)} currency={now.currency} />
          </p>
          <p class="muted">Cash plus positions at the latest streamed trade</p>
        </section>
        <section class="card" aria-labelledby="h-pf-value">
          <h2 id="h-pf-value">Value at close</h2>
          <p class="figures" data-testid="portfolio-total">
            <Money amount={now.total_value} currency={now.currency} />
          </p>
        </section>
        <section class="card" aria-labelledby="h-pf-cash">
          <h2 id="h-pf-cash">Cash</h2>
          <p class="figures" data-testid="portfolio-cash">
            <Money amount={now.cash} currency={now.currency} />
          </p>
        </section>
        <section class="card" aria-labelledby="h-pf-positions">
          <h2 id="h-pf-positions">Positions</h2>
          <p class="figures" data-testid="portfolio-positions-value">
            <Money amount={now.positions_value} currency={now.currency} />
          </p>
        </section>
      </div>
      <section class="card" aria-labelledby="h-pf-history" data-testid="portfolio-history">
        <h2 id="h-pf-history">Value over time</h2>
        <fieldset class="choices">
          <legend>Period</legend>
          {PERIODS.map((p) => (
            <label key={p}>
              <input type="radio" name="period" value={p} checked={p === period} onChange={() => setPeriod(p)} /> {p === "all" ? "All" : p}
            </label>
          ))}
        </fieldset>
        <ValueChart history={history} />
        <Returns returns={history.returns} />
      </section>
      <section class="card" aria-labelledby="h-pf-holdings">
        <h2 id="h-pf-holdings">Holdings</h2>
        <Positions p={now} live={live} />
      </section>
      <section class="card" aria-labelledby="h-pf-alloc">
        <h2 id="h-pf-alloc">Allocation</h2>
        <Allocation caption="By symbol" rows={now.allocation.by_symbol} currency={now.currency} testId="allocation-symbol" />
        <Allocation caption="By asset class" rows={now.allocation.by_asset_class} currency={now.currency} testId="allocation-class" />
      </section>
    </>
  );
}

export const route: PageRoute = {
  path: "/portfolio",
  title: "Portfolio",
  access: "user",
  nav: { label: "Portfolio", order: 15 },
  component: PortfolioPage,
};
