/**
 * `npm run bench:payments` (issue 13): payments accepted per second on one
 * account, and the time from the 202 to a final status (p50, p95), with the
 * simulated processor's delays, declines and transient errors at zero. Starts
 * its own wrangler dev like `npm run bench` (bench/server.mjs) and stops it.
 *
 * Environment (optional): BENCH_PAYMENTS=300 payments, BENCH_CONNECTIONS=16 in flight,
 * BENCH_SETTLE_TIMEOUT_MS=60000 for every payment to reach a final status.
 */
import { createApi } from "../scripts/lib/api.mjs";
import { startBenchServer } from "./server.mjs";
import { mapLimit, percentile, sleep } from "./util.mjs";

const num = (v, d) => (v !== undefined && v !== "" && Number.isFinite(Number(v)) ? Number(v) : d);
const PAYMENTS = num(process.env.BENCH_PAYMENTS, 300);
const CONNECTIONS = num(process.env.BENCH_CONNECTIONS, 16);
const SETTLE_TIMEOUT_MS = num(process.env.BENCH_SETTLE_TIMEOUT_MS, 60_000);
const FINAL = new Set(["success", "failed", "canceled"]);

const server = await startBenchServer({
  vars: {
    PAYMENTS_SIM_DELAY_MS_MIN: "0",
    PAYMENTS_SIM_DELAY_MS_MAX: "0",
    PAYMENTS_SIM_FAILURE_RATE: "0",
    PAYMENTS_SIM_TRANSIENT_RATE: "0",
  },
});
try {
  const api = createApi(server.baseUrl);
  const runId = Date.now().toString(36);
  const user = await api.session(`bench-pay-${runId}@finedge.bench`, "bench-password-2026", "Bench Payments");
  const token = user.access_token;
  const account = await api.post("/v1/accounts", { type: "checking", name: "Payments" }, token);
  await api.post(`/v1/accounts/${account.id}/transactions`, { kind: "deposit", amount: PAYMENTS * 100 }, token, `fund-${runId}`);
  const payee = await api.post("/v1/payees", { name: "Bench payee", account_ref: "DE89370400440532013000" }, token);

  // Phase 1: accept. Each 202's time is noted; settlement is watched afterwards from the status history.
  const accepted = [];
  const started = performance.now();
  await mapLimit(
    Array.from({ length: PAYMENTS }, (_, i) => i),
    CONNECTIONS,
    async (i) => {
      const r = await api.request("POST", "/v1/payments", {
        token,
        key: `pay-${runId}-${i}`,
        body: { from_account_id: account.id, payee_id: payee.id, amount: 100 },
      });
      if (r.status !== 202) throw new Error(`payment ${i}: ${r.status} ${JSON.stringify(r.body)}`);
      accepted.push(r.body.id);
    },
  );
  const acceptSeconds = (performance.now() - started) / 1000;

  // Phase 2: every payment's 202 → final, from its own history (pending's time to the final status's time).
  const deadline = Date.now() + SETTLE_TIMEOUT_MS;
  const latencies = [];
  let open = [...accepted];
  while (open.length > 0 && Date.now() < deadline) {
    const still = [];
    await mapLimit(open, CONNECTIONS, async (id) => {
      const p = await api.get(`/v1/payments/${id}`, token);
      if (!FINAL.has(p.status)) return void still.push(id);
      const at = (s) => Date.parse(p.history.find((h) => h.status === s).at);
      latencies.push(at(p.status) - at("pending"));
    });
    open = still;
    if (open.length > 0) await sleep(200);
  }
  latencies.sort((a, b) => a - b);
  const balance = (await api.get(`/v1/accounts/${account.id}`, token)).balance;
  const result = {
    payments: PAYMENTS,
    connections: CONNECTIONS,
    accepted_per_second: Math.round(PAYMENTS / acceptSeconds),
    settled: latencies.length,
    unsettled: open.length,
    final_ms: { p50: percentile(latencies, 50), p95: percentile(latencies, 95), max: latencies.at(-1) ?? null },
    balance_after: balance,
    books_ok: open.length === 0 && balance.posted === 0 && balance.pending === 0,
  };
  console.log(JSON.stringify(result, null, 2));
  if (!result.books_ok) process.exitCode = 1;
} finally {
  await server.stop();
}
