/**
 * `npm run eval:anomalies`: the anomaly score's per-rule precision and recall
 * on the generated labelled set (src/domain/intel/eval/), printed as markdown.
 * Pure, in-process, no bindings. Options: --seed=N (repeatable; default the
 * committed seeds) and --users=N (default 40 per seed).
 */
import { evaluate } from "../src/domain/intel/eval/evaluate";
import { DEFAULT_SEEDS, DEFAULT_USERS, generateLabelledSet } from "../src/domain/intel/eval/labelled-set";
import { evaluationMarkdown } from "../src/domain/intel/eval/report";

const arg = (name: string) => process.argv.filter((a) => a.startsWith(`--${name}=`)).map((a) => Number(a.split("=")[1]));
const seeds = arg("seed").length > 0 ? arg("seed") : [...DEFAULT_SEEDS];
const users = arg("users")[0] ?? DEFAULT_USERS;
if (![...seeds, users].every(Number.isSafeInteger) || users < 1) {
  console.error("usage: npm run eval:anomalies -- [--seed=N ...] [--users=N]");
  process.exit(2);
}
const started = performance.now();
const set = seeds.flatMap((seed) => generateLabelledSet(seed, users));
const result = evaluate(set);
console.log(evaluationMarkdown(result, `Seeds ${seeds.join(", ")}`));
console.log(`\n(${((performance.now() - started) / 1000).toFixed(1)} s)`);
