/** The evaluation as markdown: the per-rule table (with the alert decision's row) and what fired on each kind of event. */
import type { Evaluation, Stats } from "./evaluate";

const pct = (x: number | null): string => (x === null ? "—" : `${(x * 100).toFixed(1)} %`);
const row = (s: Stats): string => `| ${s.id} | ${s.tp} | ${s.fp} | ${s.fn} | ${pct(s.precision)} | ${pct(s.recall)} |`;

export function evaluationMarkdown(e: Evaluation, title: string): string {
  const rules = [
    `${title}: ${e.users} users, ${e.events} scored debits.`,
    "",
    "| rule | TP | FP | FN | precision | recall |",
    "|---|---:|---:|---:|---:|---:|",
    ...e.rules.map(row),
    row(e.alert),
  ];
  const kinds = [
    "| event kind | events | alerts | rules fired (events) |",
    "|---|---:|---:|---|",
    ...e.kinds.map(
      (k) =>
        `| ${k.kind} | ${k.events} | ${k.alerts} | ${
          Object.entries(k.fired)
            .sort((a, b) => b[1] - a[1])
            .map(([r, n]) => `${r} ${n}`)
            .join(", ") || "—"
        } |`,
    ),
  ];
  return [...rules, "", ...kinds].join("\n");
}
