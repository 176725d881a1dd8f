/**
 * A candlestick chart of daily bars drawn by TradingView's lightweight-charts.
 * Colours come from the theme's CSS variables and follow the system's light
 * or dark scheme; the chart sizes itself to its box. `bars` sets the whole
 * series; a change to only the last candle (a live trade) is applied with
 * `update`, so the chart does not redraw from scratch on every tick. The
 * canvas has a text label; the page shows the numbers as text beside it.
 * Floats here are for drawing only. The library is its own chunk, loaded
 * when a chart is first shown, so pages without one do not download it.
 */
import type { IChartApi, ISeriesApi, UTCTimestamp } from "lightweight-charts";
import { useEffect, useRef, useState } from "preact/hooks";
import { usePrefersDark } from "./use-prefers-dark";

export interface Candle {
  /** Unix seconds of the bar's start. */
  time: number;
  open: number;
  high: number;
  low: number;
  close: number;
}

interface Props {
  label: string;
  bars: Candle[];
  height?: number;
  precision: number;
}

export function PriceChart({ label, bars, height = 320, precision }: Props) {
  const box = useRef<HTMLDivElement>(null);
  const chart = useRef<IChartApi | null>(null);
  const series = useRef<ISeriesApi<"Candlestick"> | null>(null);
  const shown = useRef<{ count: number; first: number | undefined }>({ count: 0, first: undefined });
  const dark = usePrefersDark();
  const [lib, setLib] = useState<typeof import("lightweight-charts") | null>(null);

  useEffect(() => {
    let gone = false;
    void import("lightweight-charts").then((m) => !gone && setLib(m));
    return () => {
      gone = true;
    };
  }, []);

  useEffect(() => {
    const el = box.current;
    if (!el || !lib) return;
    const { CandlestickSeries, ColorType, createChart } = lib;
    const css = getComputedStyle(el);
    const v = (name: string) => css.getPropertyValue(name).trim();
    const c = createChart(el, {
      autoSize: true,
      height,
      layout: { background: { type: ColorType.Solid, color: v("--surface") }, textColor: v("--fg-muted"), attributionLogo: false },
      grid: { vertLines: { color: v("--grid") }, horzLines: { color: v("--grid") } },
      rightPriceScale: { borderColor: v("--border") },
      timeScale: { borderColor: v("--border") },
      localization: { locale: navigator.language },
    });
    const s = c.addSeries(CandlestickSeries, {
      upColor: v("--ok"),
      downColor: v("--danger"),
      wickUpColor: v("--ok"),
      wickDownColor: v("--danger"),
      borderVisible: false,
      priceFormat: { type: "price", precision, minMove: 10 ** -precision },
    });
    chart.current = c;
    series.current = s;
    shown.current = { count: 0, first: undefined };
    return () => {
      c.remove();
      chart.current = null;
      series.current = null;
    };
  }, [lib, dark, height, precision]);

  useEffect(() => {
    const s = series.current;
    if (!s || bars.length === 0) return;
    const data = bars.map((b) => ({ ...b, time: b.time as UTCTimestamp }));
    const prev = shown.current;
    // Same history with a changed or one new last candle: update in place.
    if (prev.first === bars[0]!.time && (bars.length === prev.count || bars.length === prev.count + 1)) s.update(data[data.length - 1]!);
    else {
      s.setData(data);
      chart.current?.timeScale().fitContent();
    }
    shown.current = { count: bars.length, first: bars[0]!.time };
  }, [lib, bars, dark, height, precision]);

  return <div class="price-chart" ref={box} role="img" aria-label={label} data-testid="price-chart" />;
}
