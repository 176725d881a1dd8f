/**
 * `npm run bench:intel`: the intelligence cores' time per call, in this
 * Node process (no server): recurring detection over one user with 10,000
 * transactions (a year of daily spending at 40 merchants plus subscriptions
 * and pay), and a 90-day forecast with N = 1,000 paths over that history.
 * Target: the forecast answers in ≤ 300 ms (seed 002's API target). The
 * cores are bundled with esbuild on the fly, so this measures the same code
 * the Worker runs (the Worker adds the Silver read and the UserDO call).
 *
 * `npm run bench`'s scenario `intel` (bench/intel-routes.mjs) reports these
 * next to the same questions asked through the routes (inIntelProcess).
 *
 * Environment: BENCH_INTEL_CALLS=5 (timed calls per core, after one warm-up).
 */
import { build } from "esbuild";
import { performance } from "node:perf_hooks";
import { pathToFileURL } from "node:url";
import { percentile } from "./util.mjs";

const bundle = await build({
  stdin: {
    contents: `export { detectRecurring } from "./src/domain/intel/recurring";
      export { forecast } from "./src/domain/intel/forecast";`,
    resolveDir: process.cwd(),
    loader: "ts",
  },
  bundle: true,
  format: "esm",
  platform: "node",
  write: false,
});
const { detectRecurring, forecast } = await import(
  `data:text/javascript;base64,${Buffer.from(bundle.outputFiles[0].text).toString("base64")}`
);

// A deterministic year ending on AS_OF: 10,000 rows.
const AS_OF = "2026-11-30";
const DAY = 86_400_000;
const start = Date.parse("2025-12-01T00:00:00Z");
let seed = 42;
const rand = () => {
  seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
  return seed / 2 ** 31;
};
const txs = [];
const push = (t, amount, merchant, direction = "debit") =>
  txs.push({
    id: `tx_${String(txs.length).padStart(6, "0")}`,
    account_id: "acc_bench",
    user_id: "usr_bench",
    occurred_at: new Date(t).toISOString(),
    amount,
    direction,
    currency: "USD",
    merchant,
    description: null,
    category: "general",
  });
for (let m = 0; m < 12; m++) {
  const month = new Date(Date.UTC(2025, 11 + m, 1));
  push(month.getTime() + 9 * 3_600_000, 520_000, "ACME PAYROLL", "credit");
  for (const [day, amount, name] of [
    [5, 999, "SPOTIFY"],
    [15, 1_799, "NETFLIX.COM"],
    [1, 195_000, "Maple Street Properties"],
    [8, 7_999, "Comcast Xfinity"],
  ])
    push(month.getTime() + (day - 1) * DAY + 7 * 3_600_000, amount, name);
}
while (txs.length < 10_000)
  push(start + Math.floor(rand() * 365 * DAY), 200 + Math.floor(rand() * 20_000), `Shop ${Math.floor(rand() * 40)}`);

function time(label, calls, fn) {
  fn(); // warm-up
  const ms = [];
  for (let i = 0; i < calls; i++) {
    const t0 = performance.now();
    fn();
    ms.push(performance.now() - t0);
  }
  ms.sort((a, b) => a - b);
  const r1 = (x) => Math.round(x * 10) / 10;
  return { label, p50_ms: r1(percentile(ms, 50)), p95_ms: r1(percentile(ms, 95)), max_ms: r1(ms.at(-1)) };
}

/** Recurring detection and the 90-day forecast (N = 1,000) over the synthetic 10,000 rows, `calls` timed calls each. */
export function inProcessIntel(calls) {
  let streams = [];
  const recurring = time("recurring detection, 10,000 transactions", calls, () => {
    streams = detectRecurring(txs, { asOf: AS_OF });
  });
  const fc = time("forecast, 90 days, N = 1,000", calls, () =>
    forecast({ user_id: "usr_bench", as_of: AS_OF, horizon_days: 90, currency: "USD", starting_balance: 1_000_000, history: txs, streams }),
  );
  return { transactions: txs.length, streams: streams.length, recurring, forecast: { ...fc, target_ms: 300, ok: fc.p50_ms <= 300 } };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const out = inProcessIntel(Number(process.env.BENCH_INTEL_CALLS ?? 5));
  console.table([out.recurring, out.forecast]);
  console.log(JSON.stringify(out));
  if (process.env.BENCH_STRICT === "1" && !out.forecast.ok) process.exit(1);
}
