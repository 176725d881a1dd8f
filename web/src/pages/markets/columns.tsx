/** The Markets tables' columns: the watch star, symbol, name, asset class, live last price and day change. */
import type { MarketSymbol, Snapshot } from "../../api/market-types";
import type { Column } from "../../components/data-table";
import { Link } from "../../components/link";
import { dayChange, formatPrice, formatPriceChange, formatSignedPercent, referenceClose, trendClass } from "../../lib/market";

export interface Quote {
  p: string;
  t: string;
  /** The trade's place in the symbol's sequence: a later one replaces it, an older one never does. */
  q: number;
}

export interface Row {
  spec: MarketSymbol;
  snap: Snapshot | null;
  trade: Quote | null;
}

const ASSET_CLASS: Record<MarketSymbol["asset_class"], string> = { us_equity: "US equity", crypto: "Crypto" };

export function marketColumns(watched: readonly string[], toggle: (symbol: string) => void): Column<Row>[] {
  return [
    {
      header: "Watch",
      cell: (r) => {
        const on = watched.includes(r.spec.symbol);
        return (
          <button
            type="button"
            class="secondary star"
            aria-pressed={on}
            aria-label={`Watch ${r.spec.symbol}`}
            onClick={() => toggle(r.spec.symbol)}
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
}
