/**
 * Scenario `intel` of `npm run bench` (issue 12): recurring detection and the
 * 90-day forecast (N = 1,000) for ONE user with BENCH_INTEL_TRANSACTIONS
 * (10,000) transactions, each as time per call, asked through the real routes
 * on the bench server — GET /v1/recurring and GET /v1/forecast?horizon_days=90
 * (client-side latency over loopback: auth, the Silver read of the user's
 * rows, detection, the forecast, JSON) — and in this Node process on the cores
 * alone (bench/intel.mjs, the same synthetic year `npm run bench:intel` uses).
 * Target: the forecast answers in ≤ 300 ms (judged on the route's p95).
 *
 * The user's history is posted through the API like any client's: 8 funded
 * checking accounts, occurred_at spread over the last 89 days (the API takes
 * up to 90 days back): monthly pay, rent and three subscriptions, weekly
 * parking, and the rest at 40 shops. Timing starts once the EVENTS consumer
 * has drained it all (no new pipeline run for 3 s).
 */
import { createApi } from "../scripts/lib/api.mjs";
import { adminSession, settledRuns } from "./pipeline.mjs";
import { BENCH_ADMIN } from "./server.mjs";
import { mapLimit, percentile } from "./util.mjs";

const DAY = 86_400_000;
const ACCOUNTS = 8;

/** The i-th row of the history: [body, occurred_at], deterministic. */
function row(i, total, now) {
  const monthly = [
    ["deposit", 520_000, "ACME PAYROLL", 1],
    ["purchase", 195_000, "Maple Street Properties", 2],
    ["purchase", 999, "SPOTIFY", 5],
    ["purchase", 1_799, "NETFLIX.COM", 15],
    ["purchase", 7_999, "Comcast Xfinity", 8],
  ];
  // The first rows are the recurring ones: 3 months of each monthly, 12 weeks of parking.
  if (i < monthly.length * 3) {
    const [kind, amount, merchant, day] = monthly[i % monthly.length];
    const month = Math.floor(i / monthly.length);
    return { kind, amount, merchant, at: now - (88 - day - month * 30) * DAY };
  }
  if (i < monthly.length * 3 + 12)
    return { kind: "purchase", amount: 1_200, merchant: "City Parking", at: now - (86 - (i - 15) * 7) * DAY };
  const k = (i * 7919) % 1_000_003;
  return { kind: "purchase", amount: 200 + (k % 20_000), merchant: `Shop ${k % 40}`, at: now - ((i * 89) / total) * DAY - 60_000 };
}

async function timed(api, path, token, calls) {
  await api.get(path, token); // warm-up
  const ms = [];
  for (let i = 0; i < calls; i++) {
    const t0 = performance.now();
    await api.get(path, token);
    ms.push(performance.now() - t0);
  }
  ms.sort((a, b) => a - b);
  const r1 = (x) => Math.round(x * 10) / 10;
  return { calls, p50_ms: r1(percentile(ms, 50)), p95_ms: r1(percentile(ms, 95)), max_ms: r1(ms.at(-1)) };
}

export async function intelScenario(cfg, runId, log) {
  const api = createApi(cfg.server.baseUrl);
  const admin = await adminSession(api, BENCH_ADMIN, cfg.server);
  const user = await api.session(`bench-intel-${runId}@finedge.bench`, "bench-password-2026", "Bench Intel");
  const token = user.access_token;
  const accounts = [];
  for (let i = 0; i < ACCOUNTS; i++) {
    const a = await api.post("/v1/accounts", { type: "checking", currency: "USD", name: `Intel ${i}` }, token);
    await api.post(
      `/v1/accounts/${a.id}/transactions`,
      { kind: "deposit", amount: 500_000_000, description: "Funding" },
      token,
      `if-${a.id}`,
    );
    accounts.push(a.id);
  }
  const total = cfg.intelTransactions - ACCOUNTS; // the fundings count
  const now = Date.now();
  const started = Date.now();
  await mapLimit(
    Array.from({ length: total }, (_, i) => i),
    cfg.connections,
    async (i) => {
      const r = row(i, total, now);
      // A merchant is for purchases only (the API refuses one on a deposit): pay is known by its description.
      const body = { kind: r.kind, amount: r.amount, description: r.merchant, occurred_at: new Date(Math.round(r.at)).toISOString() };
      if (r.kind === "purchase") body.merchant = r.merchant;
      await api.post(`/v1/accounts/${accounts[i % ACCOUNTS]}/transactions`, body, token, `it-${runId}-${i}`);
    },
  );
  const postS = (Date.now() - started) / 1000;
  await settledRuns(api, admin.access_token, started, 300_000);
  log(`intel: ${cfg.intelTransactions} transactions posted in ${postS.toFixed(1)} s and drained`);

  const recurring = await api.get("/v1/recurring", token);
  const streams = (recurring.data ?? recurring.streams ?? []).length;
  const recurringRoute = await timed(api, "/v1/recurring", token, cfg.intelCalls);
  const forecastRoute = await timed(api, "/v1/forecast?horizon_days=90", token, cfg.intelCalls);
  const { inProcessIntel } = await import("./intel.mjs");
  const inProcess = inProcessIntel(cfg.intelCalls);
  return {
    transactions: cfg.intelTransactions,
    posted_in_s: Math.round(postS * 10) / 10,
    calls: cfg.intelCalls,
    streams_detected: streams,
    recurring_route: recurringRoute,
    forecast_route: { ...forecastRoute, target_ms: 300 },
    in_process: { recurring: inProcess.recurring, forecast: inProcess.forecast, streams: inProcess.streams },
    checks: [{ name: "intel: recurring streams detected for the bench user", ok: streams >= 1, detail: `${streams} streams` }],
  };
}
