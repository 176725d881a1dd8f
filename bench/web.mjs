/**
 * `npm run bench:web`: the web app's bars from issue 9. Builds web/ afresh,
 * measures its JavaScript (web-size.mjs), starts its own `wrangler dev`
 * (server.mjs) with the demo data, times "dashboard data on screen after
 * sign-in" in Debian's Chromium (web-timing.mjs), runs Lighthouse on the
 * signed-in dashboard (web-lighthouse.mjs), prints a table and writes
 * bench/web-results.json, then stops the server.
 *
 * Environment (all optional):
 *   BENCH_WEB_RUNS=7   counted sign-in → dashboard runs (after one warm-up)
 *   BENCH_STRICT=1     exit 1 when a bar is missed
 */
import { spawnSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import path from "node:path";
import { seedDemo } from "../scripts/demo-data.mjs";
import { buildWeb } from "../scripts/lib/build-web.mjs";
import { DEMO_USER } from "../scripts/lib/demo-plan.mjs";
import { ROOT } from "../scripts/lib/stack.mjs";
import { machineFacts } from "./report.mjs";
import { startBenchServer } from "./server.mjs";
import { runLighthouse } from "./web-lighthouse.mjs";
import { JS_GZIP_BAR_BYTES, measureWebAssets } from "./web-size.mjs";
import { timeDashboardAfterSignIn } from "./web-timing.mjs";

const HERE = import.meta.dirname;
const RUNS = Number(process.env.BENCH_WEB_RUNS ?? 7);
const log = (m) => console.error(`[bench:web] ${m}`);
const kB = (b) => `${(b / 1000).toFixed(1)} kB`;
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

let server = null;
async function shutdown(code) {
  if (server) await server.stop().catch((e) => log(`stopping wrangler: ${e.message}`));
  server = null;
  process.exit(code);
}
for (const sig of ["SIGINT", "SIGTERM", "SIGHUP"]) process.on(sig, () => void shutdown(130));

async function main() {
  const machine = machineFacts();
  log("building web/");
  buildWeb({ stdio: "inherit" });
  const assets = measureWebAssets();

  log("starting wrangler dev and seeding the demo data");
  server = await startBenchServer();
  const seeded = await seedDemo(server.baseUrl);
  log(`seeded in ${seeded.ms} ms; timing sign-in → dashboard data, ${RUNS} runs`);
  const runs = await timeDashboardAfterSignIn(server.baseUrl, DEMO_USER, { runs: RUNS });
  log("lighthouse");
  const lighthouse = await runLighthouse(server.baseUrl, DEMO_USER, { log });

  const onScreen = { runs_ms: runs, median_ms: median(runs), min_ms: Math.min(...runs), max_ms: Math.max(...runs) };
  const s = lighthouse.scores;
  const bars = [
    { bar: "Lighthouse performance ≥ 90", value: s.performance, met: s.performance >= 90 },
    { bar: "Lighthouse accessibility ≥ 95", value: s.accessibility, met: s.accessibility >= 95 },
    { bar: "Lighthouse best practices ≥ 95", value: s["best-practices"], met: s["best-practices"] >= 95 },
    { bar: "app JavaScript ≤ 150 kB gzipped", value: kB(assets.js.gzip), met: assets.js.gzip <= JS_GZIP_BAR_BYTES },
    { bar: "dashboard data on screen ≤ 1 s after sign-in (median)", value: `${onScreen.median_ms} ms`, met: onScreen.median_ms <= 1000 },
  ];
  const results = { machine, assets, dashboard_on_screen: onScreen, lighthouse, bars };
  const out = path.join(HERE, "web-results.json");
  writeFileSync(out, JSON.stringify(results, null, 2) + "\n");
  // In the project's format, so `npm run lint` passes on a fresh result.
  spawnSync(process.execPath, [path.join(ROOT, "node_modules/@biomejs/biome/bin/biome"), "format", "--write", out], { stdio: "ignore" });

  const nav = lighthouse.steps.navigation;
  const span = lighthouse.steps.timespan;
  const lines = [
    "",
    `FinEdge web app — ${machine.date}`,
    `${machine.cpu}, ${machine.cores} cores; Node ${machine.node}; Chromium ${lighthouse.chromium}; Lighthouse ${lighthouse.lighthouse} (${lighthouse.form_factor}, ${lighthouse.throttling}d throttling); load avg at start ${machine.load_avg_at_start.join(" ")}`,
    "",
    "| bar | value | |",
    "| --- | --- | --- |",
    ...bars.map((b) => `| ${b.bar} | ${b.value} | ${b.met ? "met" : "**not met**"} |`),
    "",
    `Lighthouse navigation of / landed on ${nav.landed}: FCP ${Math.round(nav.metrics_ms.fcp)} ms, LCP ${Math.round(nav.metrics_ms.lcp)} ms, TBT ${Math.round(nav.metrics_ms.tbt)} ms, CLS ${nav.cls.toFixed(3)}, SI ${Math.round(nav.metrics_ms.speed_index)} ms`,
    span
      ? `Lighthouse timespan sign-in → dashboard data: performance ${span.scores.performance}, TBT ${Math.round(span.tbt_ms)} ms, CLS ${span.cls.toFixed(3)}, INP ${span.inp_ms === null ? "n/a" : `${Math.round(span.inp_ms)} ms`}`
      : "",
    `Lighthouse snapshot of the signed-in dashboard: accessibility ${lighthouse.steps.snapshot.scores.accessibility}, best practices ${lighthouse.steps.snapshot.scores["best-practices"]}`,
    `JavaScript ${assets.js.files} file(s), ${kB(assets.js.raw)} raw, ${kB(assets.js.gzip)} gzipped; CSS ${kB(assets.css.raw)} raw, ${kB(assets.css.gzip)} gzipped`,
    `Dashboard data on screen after sign-in, ${runs.length} runs: median ${onScreen.median_ms} ms (min ${onScreen.min_ms}, max ${onScreen.max_ms}): ${runs.join(", ")}`,
    `wrote ${path.relative(process.cwd(), path.join(HERE, "web-results.json"))}`,
  ];
  console.log(lines.filter((l) => l !== null).join("\n"));
  return process.env.BENCH_STRICT === "1" && bars.some((b) => !b.met) ? 1 : 0;
}

main().then(
  (code) => shutdown(code),
  (err) => {
    log(err instanceof Error ? (err.stack ?? err.message) : String(err));
    return shutdown(1);
  },
);
