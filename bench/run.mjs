/**
 * `npm run bench`: starts its own wrangler dev on a fresh state directory,
 * loads it with autocannon over loopback, prints a table and writes
 * bench/results.json, then stops the server and removes the directory.
 *
 * Environment (all optional):
 *   BENCH_DURATION=10        seconds per load scenario, in BENCH_ROUNDS interleaved slices
 *   BENCH_ROUNDS=5
 *   BENCH_CONNECTIONS=16     concurrent connections
 *   BENCH_ACCOUNTS=100       accounts in the transfer scenario
 *   BENCH_FRESHNESS_PURCHASES=200
 *   BENCH_NOTIFY_PURCHASES=50    budget crossings in the notifications scenario
 *   BENCH_NOTIFY_WEBHOOKS=500    webhook test deliveries to the loopback receiver
 *   BENCH_SCENARIOS=floor,read,deposits,transfers,orders,freshness,throughput,payments,scoring,intel,replay,market,auth,notifications
 *   BENCH_PAYMENTS=300       payments accepted on one account in the payments scenario
 *                            (auth: the limiter's and the session check's cost, against two more servers)
 *   BENCH_SCORING_EVENTS=400 purchases per round of the scoring scenario (with/without anomaly scoring,
 *   BENCH_SCORING_ROUNDS=3   against a second server with INTEL_SCORING=off; judged on events per second
 *                            of consumer busy time, bench/consumer-busy.mjs)
 *   BENCH_INTEL_TRANSACTIONS=10000  one user's history in the intel scenario (recurring + forecast per call)
 *   BENCH_INTEL_CALLS=7      timed calls per route / core in the intel scenario
 *   BENCH_AUTH_ROUNDS=20     paired 1 s slices of the auth scenario
 *   BENCH_ARCHIVE_EVENTS=100000  purchases added before the replay scenario, so replay runs over
 *                            an archive of the size its target names (0: replay what exists)
 *   BENCH_WRANGLER_LOG=warn  wrangler dev --log-level (info logs every request)
 *   BENCH_STRICT=1           exit 1 when a target is missed (correctness failures always do)
 *   BENCH_PROFILE=1          V8 CPU profile of the worker isolate during the load phase
 *                            → bench/.state/profile.cpuprofile (pick scenarios with BENCH_SCENARIOS)
 */
import { randomBytes } from "node:crypto";
import { mkdirSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { seedDemo } from "../scripts/demo-data.mjs";
import { createApi } from "../scripts/lib/api.mjs";
import { authCostScenario } from "./auth-cost.mjs";
import { depositsScenario, floorScenario, readScenario, setupLedger, transfersScenario } from "./ledger.mjs";
import { createLoad } from "./load.mjs";
import { marketScenario } from "./market.mjs";
import { notificationsScenario } from "./notifications.mjs";
import { ordersScenario } from "./orders.mjs";
import { paymentsScenario } from "./payments.mjs";
import { growArchive } from "./archive.mjs";
import { adminSession, freshnessScenario, replayScenario, servedPaths, throughputScenario } from "./pipeline.mjs";
import { startProfiler, summariseProfile } from "./profile.mjs";
import { intelScenario } from "./intel-routes.mjs";
import { scoringScenario } from "./scoring.mjs";
import { judge, machineFacts, printReport } from "./report.mjs";
import { BENCH_ADMIN, startBenchServer } from "./server.mjs";

const HERE = path.dirname(fileURLToPath(import.meta.url));
const num = (v, d) => (v !== undefined && v !== "" && Number.isFinite(Number(v)) ? Number(v) : d);
const env = process.env;

const config = {
  duration: num(env.BENCH_DURATION, 10),
  rounds: num(env.BENCH_ROUNDS, 5),
  connections: num(env.BENCH_CONNECTIONS, 16),
  accounts: num(env.BENCH_ACCOUNTS, 100),
  freshness: { purchases: num(env.BENCH_FRESHNESS_PURCHASES, 200), intervalMs: 40, pollMs: 20, timeoutMs: 15_000 },
  notifications: { purchases: num(env.BENCH_NOTIFY_PURCHASES, 50), webhooks: num(env.BENCH_NOTIFY_WEBHOOKS, 500), timeoutMs: 10_000 },
  replayTimeoutMs: 300_000,
  archiveEvents: num(env.BENCH_ARCHIVE_EVENTS, 100_000),
  archiveTimeoutMs: 900_000,
  scenarios: (
    env.BENCH_SCENARIOS ?? "floor,read,deposits,transfers,freshness,notifications,throughput,payments,scoring,intel,replay,market,auth"
  )
    .split(",")
    .map((s) => s.trim()),
  wranglerLogLevel: env.BENCH_WRANGLER_LOG ?? "warn",
  authRounds: num(env.BENCH_AUTH_ROUNDS, 20),
  scoringEvents: num(env.BENCH_SCORING_EVENTS, 400),
  scoringRounds: num(env.BENCH_SCORING_ROUNDS, 3),
  intelTransactions: num(env.BENCH_INTEL_TRANSACTIONS, 10_000),
  intelCalls: num(env.BENCH_INTEL_CALLS, 7),
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

/**
 * The load scenarios, interleaved: each round runs a slice of every selected
 * scenario in turn, so background load on a shared machine falls on all alike
 * and the ratios to the floor stay fair.
 */
async function runLoads(api, cfg, setup, runId, admin) {
  const defs = {
    floor: () => floorScenario(),
    read: () => readScenario(setup),
    deposits: () => depositsScenario(api, setup, runId),
    transfers: () => transfersScenario(api, setup, runId),
    orders: () => ordersScenario(api, setup, runId, admin),
  };
  const active = Object.entries(defs)
    .filter(([name]) => cfg.scenarios.includes(name))
    .map(([name, make]) => ({ name, s: make() }));
  const out = {};
  for (const a of active) {
    try {
      await a.s.before?.();
    } catch (err) {
      out[a.name] = { error: err.message };
    }
  }
  const seconds = Math.max(1, Math.round(cfg.duration / cfg.rounds));
  const stopProfiler = env.BENCH_PROFILE === "1" ? await startProfiler(cfg.server.inspectorPort) : null;
  for (let round = 1; round <= cfg.rounds; round++) {
    log(
      `load round ${round}/${cfg.rounds}: ${active
        .filter((a) => !out[a.name])
        .map((a) => a.name)
        .join(", ")} (${seconds} s each)`,
    );
    for (const a of active) {
      if (out[a.name]) continue;
      try {
        await a.s.load.slice({ baseUrl: api.baseUrl, connections: cfg.connections, seconds, server: cfg.server });
      } catch (err) {
        out[a.name] = { error: err.message };
      }
    }
  }
  if (stopProfiler) {
    const profile = await stopProfiler();
    mkdirSync(path.join(HERE, ".state"), { recursive: true });
    const file = path.join(HERE, ".state", "profile.cpuprofile");
    writeFileSync(file, JSON.stringify(profile));
    out.profile = { file: path.relative(process.cwd(), file), scenarios: active.map((a) => a.name), ...summariseProfile(profile) };
    log(`profile: ${out.profile.file}`);
  }
  for (const a of active) {
    if (out[a.name]) continue;
    try {
      const summary = a.s.load.summary();
      const extra = (await a.s.after?.(summary)) ?? {};
      out[a.name] = { ...summary, unanswered: summary.unanswered.length, ...extra };
    } catch (err) {
      out[a.name] = { error: err.message };
    }
  }
  return out;
}

async function main() {
  const machine = machineFacts();
  const runId = randomBytes(4).toString("hex");
  log(`starting wrangler dev on a fresh state directory (run ${runId})`);
  // The market scenario holds 1,000 sockets under one bench user: raise the per-user connection limit.
  server = await startBenchServer({ logLevel: config.wranglerLogLevel, extraArgs: ["--var", "STREAM_MAX_CONNECTIONS_PER_USER:5000"] });
  log(`server ${server.baseUrl}, state ${server.dir}`);
  const api = createApi(server.baseUrl);
  const cfg = { ...config, server }; // scenarios measure the server's processes; results.json gets `config`

  // The demo seeder doubles as a functional smoke test and warms every money path.
  const demo = await seedDemo(server.baseUrl);
  log(`demo data: ${demo.transactions} transactions, ${demo.transfers} transfers in ${(demo.ms / 1000).toFixed(1)} s`);
  await createLoad({ title: "warmup", next: () => ({ method: "GET", path: "/health" }) }).slice({
    baseUrl: server.baseUrl,
    connections: config.connections,
    seconds: 2,
  });
  const setup = await setupLedger(api, cfg, runId);
  log(`setup: hot account, ${setup.accounts.length} transfer accounts under ${setup.users} user(s)`);
  const admin = await adminSession(api, BENCH_ADMIN, server);
  const paths = await servedPaths(api);

  const scenarios = {};
  // Freshness first: it wants a quiet pipeline, before the load backs it up.
  scenarios.freshness = await scenario("freshness", () => freshnessScenario(api, cfg, paths, runId));
  scenarios.notifications = await scenario("notifications", () => notificationsScenario(api, cfg, runId));
  const windowStart = Date.now();
  Object.assign(scenarios, await runLoads(api, cfg, setup, runId, admin));
  const window = scenarios.deposits || scenarios.transfers ? { start: windowStart, end: Date.now() } : null;
  scenarios.throughput = await scenario("throughput", () => throughputScenario(api, cfg, paths, admin, window));
  scenarios.payments = await scenario("payments", () => paymentsScenario(api, cfg, runId));
  scenarios.scoring = await scenario("scoring", () => scoringScenario(cfg, runId, log));
  scenarios.intel = await scenario("intel", () => intelScenario(cfg, runId, log));
  if (config.scenarios.includes("replay") && paths.has("/v1/admin/replay")) {
    log("archive…");
    scenarios.archive = await growArchive(api, cfg, setup, admin, runId, log).catch((err) => ({ error: err.message }));
  }
  scenarios.replay = await scenario("replay", () => replayScenario(api, cfg, paths, admin));
  scenarios.market = await scenario("market", () => marketScenario(api, cfg));
  scenarios.auth_cost = await scenario("auth", () => authCostScenario(cfg, log));
  machine.load_avg_at_end = os.loadavg().map((x) => Math.round(x * 100) / 100);

  const checks = Object.values(scenarios).flatMap((x) => x?.checks ?? []);
  const errors = Object.entries(scenarios)
    .filter(([, x]) => x?.error)
    .map(([k, x]) => ({ name: `${k} ran`, ok: false, detail: x.error }));
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
