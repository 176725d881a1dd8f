/**
 * `npm run bench`: starts its own wrangler dev on a fresh state directory,
 * loads it with autocannon over loopback, prints a table and writes
 * bench/results.json, then stops the server and removes the directory.
 *
 * Environment (all optional):
 *   BENCH_DURATION=10        seconds per load scenario
 *   BENCH_CONNECTIONS=16     concurrent connections
 *   BENCH_ACCOUNTS=100       accounts in the transfer scenario
 *   BENCH_FRESHNESS_PURCHASES=200
 *   BENCH_SCENARIOS=floor,deposits,transfers,freshness,throughput,replay
 *   BENCH_WRANGLER_LOG=warn  wrangler dev --log-level (info logs every request)
 *   BENCH_STRICT=1           exit 1 when a target is missed (correctness failures always do)
 */
import { randomBytes } from "node:crypto";
import { writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { seedDemo } from "../scripts/demo-data.mjs";
import { createApi } from "../scripts/lib/api.mjs";
import { depositsScenario, floorScenario, setupLedger, transfersScenario } from "./ledger.mjs";
import { adminSession, freshnessScenario, replayScenario, servedPaths, throughputScenario } from "./pipeline.mjs";
import { judge, machineFacts, printReport } from "./report.mjs";
import { BENCH_ADMIN, startBenchServer } from "./server.mjs";
import { runLoad } from "./load.mjs";

const HERE = path.dirname(fileURLToPath(import.meta.url));
const num = (v, d) => (v !== undefined && v !== "" && Number.isFinite(Number(v)) ? Number(v) : d);
const env = process.env;

const config = {
  duration: num(env.BENCH_DURATION, 10),
  connections: num(env.BENCH_CONNECTIONS, 16),
  accounts: num(env.BENCH_ACCOUNTS, 100),
  freshness: { purchases: num(env.BENCH_FRESHNESS_PURCHASES, 200), intervalMs: 40, pollMs: 20, timeoutMs: 15_000 },
  replayTimeoutMs: 120_000,
  scenarios: (env.BENCH_SCENARIOS ?? "floor,deposits,transfers,freshness,throughput,replay").split(",").map((s) => s.trim()),
  wranglerLogLevel: env.BENCH_WRANGLER_LOG ?? "warn",
};

let server = null;
let stopping = false;
async function shutdown(code) {
  if (stopping) return;
  stopping = true;
  if (server) await server.stop().catch((e) => console.error(`[bench] stopping wrangler: ${e.message}`));
  process.exit(code);
}
for (const sig of ["SIGINT", "SIGTERM", "SIGHUP"]) process.on(sig, () => void shutdown(130));

const log = (m) => console.log(`[bench] ${m}`);

/** Run one scenario if selected; an exception becomes `{ error }` so the others still run. */
async function scenario(name, fn) {
  if (!config.scenarios.includes(name)) return undefined;
  log(`${name}…`);
  try {
    return await fn();
  } catch (err) {
    log(`${name} failed: ${err.message}`);
    return { error: err.message };
  }
}

async function main() {
  const machine = machineFacts();
  const runId = randomBytes(4).toString("hex");
  log(`starting wrangler dev on a fresh state directory (run ${runId})`);
  server = await startBenchServer({ logLevel: config.wranglerLogLevel });
  log(`server ${server.baseUrl}, state ${server.dir}`);
  const api = createApi(server.baseUrl);

  // The demo seeder doubles as a functional smoke test and warms every money path.
  const demo = await seedDemo(server.baseUrl);
  log(`demo data: ${demo.transactions} transactions, ${demo.transfers} transfers in ${(demo.ms / 1000).toFixed(1)} s`);
  await runLoad({ baseUrl: server.baseUrl, title: "warmup", connections: config.connections, duration: 2, next: () => ({ method: "GET", path: "/health" }) });
  const setup = await setupLedger(api, config, runId);
  log(`setup: hot account, ${setup.accounts.length} transfer accounts under ${setup.users} user(s)`);
  const admin = await adminSession(api, BENCH_ADMIN);
  const paths = await servedPaths(api);

  const scenarios = {};
  scenarios.floor = await scenario("floor", () => floorScenario(api, config));
  // Freshness first among the pipeline figures: it wants a quiet pipeline, before the load backs it up.
  scenarios.freshness = await scenario("freshness", () => freshnessScenario(api, config, paths, runId));
  const windowStart = Date.now();
  scenarios.deposits = await scenario("deposits", () => depositsScenario(api, config, setup, runId));
  scenarios.transfers = await scenario("transfers", () => transfersScenario(api, config, setup, runId));
  const window = scenarios.deposits || scenarios.transfers ? { start: windowStart, end: Date.now() } : null;
  scenarios.throughput = await scenario("throughput", () => throughputScenario(api, config, paths, admin, window));
  scenarios.replay = await scenario("replay", () => replayScenario(api, config, paths, admin));

  const checks = Object.values(scenarios).flatMap((x) => x?.checks ?? []);
  const errors = Object.entries(scenarios).filter(([, x]) => x?.error).map(([k, x]) => ({ name: `${k} ran`, ok: false, detail: x.error }));
  const targets = judge(scenarios);
  const results = {
    machine,
    config: { ...config, wrangler_log_level: config.wranglerLogLevel },
    demo: { transactions: demo.transactions, transfers: demo.transfers, seconds: demo.ms / 1000 },
    scenarios,
    targets,
    checks: [...checks, ...errors],
  };
  writeFileSync(path.join(HERE, "results.json"), JSON.stringify(results, null, 2) + "\n");
  printReport(results);
  log(`wrote ${path.relative(process.cwd(), path.join(HERE, "results.json"))}`);

  const broken = results.checks.some((c) => !c.ok);
  const missed = targets.some((t) => t.result === "FAIL");
  return broken || (env.BENCH_STRICT === "1" && missed) ? 1 : 0;
}

main().then(
  (code) => shutdown(code),
  async (err) => {
    console.error(`[bench] ${err.stack ?? err.message}`);
    await shutdown(1);
  },
);
