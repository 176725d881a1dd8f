/**
 * Charts drawn by uPlot (time series as lines, categories as grouped bars).
 * Colours come from the theme's CSS variables and the chart is rebuilt when
 * the system switches between light and dark. The canvas has a text label;
 * each page shows the same numbers as a table for screen readers and keyboards.
 */
import { useEffect, useRef, useState } from "preact/hooks";
import uPlot from "uplot";
import "uplot/dist/uPlot.min.css";

export interface ChartSeries {
  label: string;
  values: (number | null)[];
}

interface Props {
  /** What the chart shows, read out instead of the canvas. */
  label: string;
  /** Unix seconds for a time axis, or omitted with `categories` for bars. */
  x?: number[];
  categories?: string[];
  series: ChartSeries[];
  kind: "line" | "bars";
  yFormat?: (v: number) => string;
  height?: number;
}

function usePrefersDark(): boolean {
  const query = "(prefers-color-scheme: dark)";
  const [dark, setDark] = useState(() => matchMedia(query).matches);
  useEffect(() => {
    const mq = matchMedia(query);
    const on = () => setDark(mq.matches);
    mq.addEventListener("change", on);
    return () => mq.removeEventListener("change", on);
  }, []);
  return dark;
}

export function Chart({ label, x, categories, series, kind, yFormat = (v) => String(v), height = 220 }: Props) {
  const ref = useRef<HTMLDivElement>(null);
  const dark = usePrefersDark();

  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    const css = getComputedStyle(el);
    const v = (name: string) => css.getPropertyValue(name).trim();
    const colors = [v("--chart-1"), v("--chart-2"), v("--chart-3"), v("--chart-4"), v("--chart-5")];
    const xs = x ?? (categories ?? []).map((_, i) => i);
    const n = series.length;
    const axis = { stroke: v("--fg-muted"), grid: { stroke: v("--grid"), width: 1 }, ticks: { stroke: v("--grid") } };
    const opts: uPlot.Options = {
      width: Math.max(el.clientWidth, 240),
      height,
      scales: x ? { x: { time: true } } : { x: { time: false, range: () => [-0.5, xs.length - 0.5] } },
      axes: [
        categories ? { ...axis, splits: () => xs, values: (_u, splits) => splits.map((i) => categories[i] ?? "") } : { ...axis },
        { ...axis, size: 80, values: (_u, splits) => splits.map(yFormat) },
      ],
      series: [
        { label: categories ? "Category" : "Date", value: categories ? (_u, i) => categories[i] ?? "" : undefined },
        ...series.map((s, i) => {
          const color = colors[i % colors.length]!;
          const common = { label: s.label, stroke: color, value: (_u: uPlot, val: number | null) => (val == null ? "–" : yFormat(val)) };
          if (kind === "line") return { ...common, width: 2 };
          const size = 0.8 / n;
          const align = n === 1 ? 0 : i < n / 2 ? -1 : 1;
          return { ...common, fill: color, width: 0, paths: uPlot.paths.bars!({ size: [size, 48], align: align as -1 | 0 | 1 }) };
        }),
      ],
      legend: { live: kind === "line" },
      cursor: { drag: { x: false, y: false } },
    };
    const plot = new uPlot(opts, [xs, ...series.map((s) => s.values)] as uPlot.AlignedData, el);
    const ro = new ResizeObserver(() => plot.setSize({ width: Math.max(el.clientWidth, 240), height }));
    ro.observe(el);
    return () => {
      ro.disconnect();
      plot.destroy();
    };
  }, [x, categories, series, kind, yFormat, height, dark]);

  return <div class="chart" ref={ref} role="img" aria-label={label} />;
}
