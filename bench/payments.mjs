/**
 * The `payments` scenario of `npm run bench` (issue 13): payments accepted per
 * second on one account, and the time from the 202 to a final status (p50,
 * p95, from each payment's own status history), with the simulated
 * processor's delays, declines and transient errors at zero (bench/server.mjs
 * sets them in the server's env). `npm run bench:payments` runs only this one.
 *
 * Environment (optional): BENCH_PAYMENTS=300 payments, BENCH_CONNECTIONS=16 in flight,
 * BENCH_SETTLE_TIMEOUT_MS=60000 for every payment to reach a final status.
 */
import { mapLimit, percentile, sleep } from "./util.mjs";

const num = (v, d) => (v !== undefined && v !== "" && Number.isFinite(Number(v)) ? Number(v) : d);
const FINAL = new Set(["success", "failed", "canceled"]);

export async function paymentsScenario(api, cfg, runId) {
  const PAYMENTS = num(process.env.BENCH_PAYMENTS, 300);
  const CONNECTIONS = cfg.connections;
  const SETTLE_TIMEOUT_MS = num(process.env.BENCH_SETTLE_TIMEOUT_MS, 60_000);
  const user = await api.session(`bench-pay-${runId}@finedge.bench`, "bench-password-2026", "Bench Payments");
  const token = user.access_token;
  const account = await api.post("/v1/accounts", { type: "checking", name: "Payments" }, token);
  await api.post(`/v1/accounts/${account.id}/transactions`, { kind: "deposit", amount: PAYMENTS * 100 }, token, `fund-${runId}`);
  const payee = await api.post("/v1/payees", { name: "Bench payee", account_ref: "DE89370400440532013000" }, token);

  // Phase 1: accept. Settlement is watched afterwards from each payment's status history.
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

  // Phase 2: every payment's 202 → final (pending's time to the final status's time).
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
  const booksOk = open.length === 0 && balance.posted === 0 && balance.pending === 0;
  return {
    payments: PAYMENTS,
    connections: CONNECTIONS,
    accepted_per_second: Math.round(PAYMENTS / acceptSeconds),
    settled: latencies.length,
    unsettled: open.length,
    final_ms: { p50: percentile(latencies, 50), p95: percentile(latencies, 95), max: latencies.at(-1) ?? null },
    balance_after: balance,
    checks: [
      {
        name: "payments: every payment final, posted once",
        ok: booksOk,
        detail: `${latencies.length}/${PAYMENTS} final; balance posted ${balance.posted}, pending ${balance.pending} (expected 0, 0)`,
      },
    ],
  };
}
