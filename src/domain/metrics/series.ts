/**
 * Metric series as plain data: counters and fixed-bucket histograms keyed by
 * name and labels. One isolate buffers increments in a `MetricSet` and drains
 * them as deltas; the MetricsDO merges every isolate's deltas into its own
 * set. Pure: no platform imports.
 */

/** Histogram upper bounds in milliseconds (Prometheus `le`, converted to seconds on output). */
export const LATENCY_BOUNDS_MS = [5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000] as const;
/** Pipeline lag (event commit → Gold) spans milliseconds to minutes. */
export const LAG_BOUNDS_MS = [50, 100, 250, 500, 1000, 2500, 5000, 10000, 30000, 60000, 300000] as const;

export type Labels = Record<string, string>;

export interface SeriesDelta {
  name: string;
  labels: Labels;
  kind: "counter" | "histogram";
  /** The counter's increment, or the histogram's number of observations. */
  count: number;
  /** Histograms: the sum of the observations (ms) and the count per bucket (the last one is +Inf). */
  sum: number;
  buckets: number[];
  bounds: readonly number[];
}

export const seriesKey = (name: string, labels: Labels) =>
  `${name}${JSON.stringify(
    Object.keys(labels)
      .sort()
      .map((k) => [k, labels[k]]),
  )}`;

export class MetricSet {
  readonly #series = new Map<string, SeriesDelta>();
  readonly #max: number;
  #dropped = 0;

  constructor(maxSeries = 5000) {
    this.#max = maxSeries;
  }

  #get(name: string, labels: Labels, kind: SeriesDelta["kind"], bounds: readonly number[]): SeriesDelta | null {
    const key = seriesKey(name, labels);
    let s = this.#series.get(key);
    if (!s) {
      if (this.#series.size >= this.#max) {
        this.#dropped++;
        return null;
      }
      s = { name, labels, kind, count: 0, sum: 0, buckets: kind === "histogram" ? new Array(bounds.length + 1).fill(0) : [], bounds };
      this.#series.set(key, s);
    }
    return s;
  }

  inc(name: string, labels: Labels, by = 1): void {
    const s = this.#get(name, labels, "counter", []);
    if (s) s.count += by;
  }

  observe(name: string, labels: Labels, valueMs: number, bounds: readonly number[] = LATENCY_BOUNDS_MS): void {
    const s = this.#get(name, labels, "histogram", bounds);
    if (!s) return;
    const v = Math.max(0, valueMs);
    s.count++;
    s.sum += v;
    const i = bounds.findIndex((b) => v <= b);
    s.buckets[i === -1 ? bounds.length : i]!++;
  }

  /** Adds deltas (another set's drain); a histogram whose bounds differ is skipped. */
  merge(deltas: readonly SeriesDelta[]): void {
    for (const d of deltas) {
      const s = this.#get(d.name, d.labels, d.kind, d.bounds);
      if (!s || s.buckets.length !== d.buckets.length) continue;
      s.count += d.count;
      s.sum += d.sum;
      d.buckets.forEach((n, i) => {
        s.buckets[i]! += n;
      });
    }
  }

  get size(): number {
    return this.#series.size;
  }

  get dropped(): number {
    return this.#dropped;
  }

  all(): SeriesDelta[] {
    return [...this.#series.values()];
  }

  /** Everything since the last drain, and empties the set. */
  drain(): SeriesDelta[] {
    const out = this.all();
    this.#series.clear();
    return out;
  }
}
