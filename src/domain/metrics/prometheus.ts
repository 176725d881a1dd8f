/**
 * The Prometheus text exposition format (version 0.0.4) of a set of series
 * and gauges: `# HELP`/`# TYPE` once per name, histograms as cumulative
 * `_bucket{le}` lines (milliseconds become seconds) with `_sum` and `_count`.
 */
import type { Labels, SeriesDelta } from "./series";

export interface Gauge {
  name: string;
  labels: Labels;
  value: number;
}

const escapeLabel = (v: string) => v.replaceAll("\\", "\\\\").replaceAll("\n", "\\n").replaceAll('"', '\\"');

function labelText(labels: Labels, extra?: [string, string]): string {
  const pairs = Object.entries(labels).sort(([a], [b]) => a.localeCompare(b));
  if (extra) pairs.push(extra);
  return pairs.length === 0 ? "" : `{${pairs.map(([k, v]) => `${k}="${escapeLabel(v)}"`).join(",")}}`;
}

const num = (n: number) => (Number.isInteger(n) ? String(n) : n.toFixed(6).replace(/0+$/, ""));

export function prometheusText(series: readonly SeriesDelta[], gauges: readonly Gauge[], help: Record<string, string>): string {
  const lines: string[] = [];
  const byName = new Map<string, { type: string; rows: string[] }>();
  const section = (name: string, type: string) => {
    let s = byName.get(name);
    if (!s) {
      s = { type, rows: [] };
      byName.set(name, s);
    }
    return s.rows;
  };
  for (const s of [...series].sort((a, b) => labelText(a.labels).localeCompare(labelText(b.labels)))) {
    if (s.kind === "counter") {
      section(s.name, "counter").push(`${s.name}${labelText(s.labels)} ${num(s.count)}`);
      continue;
    }
    const rows = section(s.name, "histogram");
    let cumulative = 0;
    s.bounds.forEach((b, i) => {
      cumulative += s.buckets[i] ?? 0;
      rows.push(`${s.name}_bucket${labelText(s.labels, ["le", num(b / 1000)])} ${cumulative}`);
    });
    rows.push(`${s.name}_bucket${labelText(s.labels, ["le", "+Inf"])} ${s.count}`);
    rows.push(`${s.name}_sum${labelText(s.labels)} ${num(s.sum / 1000)}`);
    rows.push(`${s.name}_count${labelText(s.labels)} ${s.count}`);
  }
  for (const g of gauges) section(g.name, "gauge").push(`${g.name}${labelText(g.labels)} ${num(g.value)}`);
  for (const [name, { type, rows }] of [...byName].sort(([a], [b]) => a.localeCompare(b))) {
    if (help[name]) lines.push(`# HELP ${name} ${help[name]}`);
    lines.push(`# TYPE ${name} ${type}`, ...rows);
  }
  return `${lines.join("\n")}\n`;
}
